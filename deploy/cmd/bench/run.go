package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/postgres"
)

type options struct {
	workers      int
	duration     time.Duration
	warmup       time.Duration
	binDir       string
	pgPort       int
	pgAdmin      string
	debtRounds   int
	partners     string
	defaultFsync bool
	brokerNice   int
	oursOnly     bool
	debtOnly     bool
	sarOnly      bool
	sarCases     int
	sarSearches  int
	key          string
	runID        string
}

func run(ctx context.Context) error {
	var o options
	flag.IntVar(&o.workers, "workers", 16, "concurrent officers, ceiling clients and peer producers")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured phase (BENCH_DURATION)")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before the first phase of each system")
	flag.StringVar(&o.binDir, "bin", "bin", "directory holding the service binaries")
	flag.IntVar(&o.pgPort, "pg-port", 54329, "PostgreSQL port")
	flag.StringVar(&o.pgAdmin, "pg-admin-user", "postgres", "superuser for pg_stat_statements (trusted on loopback by deploy/local/postgres.sh)")
	flag.StringVar(&o.partners, "partners", "contracts/partners.yaml", "partners file the NATS accounts are generated from")
	flag.BoolVar(&o.defaultFsync, "default-fsync", true, "also measure ours against a broker on JetStream's default fsync, as a second line")
	flag.IntVar(&o.brokerNice, "broker-nice", -5, "nice value of the broker's process, whatever the bench's own (below the bench's needs root; docs/bench.md, sixth round)")
	flag.BoolVar(&o.oursOnly, "ours-only", false, "measure ours alone, for a quick look while developing")
	flag.IntVar(&o.debtRounds, "debt-rounds", 3, "rounds of the debt bulk referral, each on a fresh database; the median ratio is reported")
	flag.BoolVar(&o.debtOnly, "debt-only", false, "measure the debt bulk referral alone (its own database and broker)")
	flag.BoolVar(&o.sarOnly, "sar-only", false, "run the subject access search benchmark alone")
	flag.IntVar(&o.sarCases, "sar-cases", 1_000_000, "cases loaded in total across the services the subject access search asks")
	flag.IntVar(&o.sarSearches, "sar-searches", 100, "subject access searches measured")
	if d, err := time.ParseDuration(os.Getenv("BENCH_DURATION")); err == nil {
		o.duration = d
	}
	flag.Parse()
	o.key = randomKey()
	o.runID = randomKey()[:8] // databases of this run only: other runs on the server keep theirs
	if o.debtOnly {
		return debtPhase(ctx, o, postgres.Config{Host: "127.0.0.1", Port: o.pgPort, User: "casework", Password: "casework",
			Database: "casework_bench_" + o.runID, SSLMode: "disable", MaxOpenConns: 4}, o.key)
	}
	if o.sarOnly {
		return sarPhase(ctx, o)
	}

	st, err := startRig(ctx, o, "casework_bench_"+o.runID, true)
	if err != nil {
		return err
	}
	defer st.close()
	fmt.Printf("bench: %d officers, %s per phase, JetStream %s, service %s, NATS %s (own process, nice %d), PostgreSQL shared memory on %s\n",
		o.workers, o.duration, st.fsyncName(), st.base, st.natsURL(), st.broker.nice, postgresPageSize(ctx, st.db, o.pgAdmin))
	ours, err := measureOurs(ctx, o, st, true)
	if err != nil {
		return err
	}
	ours.print(st)
	if o.oursOnly {
		return nil
	}

	// The ceilings, then the peer, run right after ours: the machine's speed drifts over the
	// minutes the other phases take, and the ratio compares figures of one stretch of it.
	pgCeiling, err := measureCeiling(ctx, st.db, o.workers, o.duration)
	if err != nil {
		return err
	}
	fmt.Printf("bench: ceiling     postgres one-row insert commits per_s=%.0f at %d clients on the same database\n", pgCeiling, o.workers)
	brokerCeiling, err := measureBrokerCeiling(ctx, st, o.workers, o.duration, ours.payloadBytes, ours.streamShares)
	if err != nil {
		return err
	}
	fmt.Printf("bench: ceiling     broker async publishes per_s=%.0f at %d publishers, %d-byte messages into %d streams in ours' shares %.2f, %s\n",
		brokerCeiling, o.workers, ours.payloadBytes, len(ours.streamShares), ours.streamShares, st.fsyncName())
	ceiling := min(pgCeiling, brokerCeiling/ours.messagesPerTransition)
	fmt.Printf("bench: ceiling     in transitions per_s=%.0f (postgres %.0f, broker %.0f / %.2f messages per transition)\n",
		ceiling, pgCeiling, brokerCeiling, ours.messagesPerTransition)
	peer, err := measurePeer(ctx, o, st)
	if err != nil {
		return fmt.Errorf("peer: %w", err)
	}
	peer.print(st)

	inv, err := investigationsPhase(ctx, o, st)
	if err != nil {
		return fmt.Errorf("investigations: %w", err)
	}
	printInvestigations(inv)
	if err := debtPhase(ctx, o, st.db, o.key); err != nil {
		return fmt.Errorf("debt: %w", err)
	}
	if err := sarPhase(ctx, o); err != nil {
		return fmt.Errorf("subject access search: %w", err)
	}

	if o.defaultFsync {
		st.close() // one system at a time on the two cores
		fast, err := startRig(ctx, o, "casework_bench_"+o.runID+"_default_fsync", false)
		if err != nil {
			return err
		}
		defer fast.close()
		second, err := measureOurs(ctx, o, fast, false)
		if err != nil {
			return err
		}
		second.print(fast)
		fast.close()
	}

	// Both e2e and the peer count what was committed and also delivered within the phase.
	fmt.Printf("bench: e2e_per_s=%.0f ceiling_per_s=%.0f ratio=%.2f peer_per_s=%.0f p50_ms=%.1f p99_ms=%.1f\n",
		ours.satRate(), ceiling, ours.satRate()/ceiling, peer.satRate(), ours.halfRateLatency().p50, ours.halfRateLatency().p99)
	return nil
}

func freshDatabase(ctx context.Context, cfg postgres.Config) error {
	admin, err := postgres.Open(ctx, cfg.WithDatabase("postgres"))
	if err != nil {
		return fmt.Errorf("postgres (make bench starts it): %w", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+cfg.Database+`" WITH (FORCE)`); err != nil {
		return err
	}
	_, err = admin.ExecContext(ctx, `CREATE DATABASE "`+cfg.Database+`"`)
	return err
}

// dropDatabase removes a bench database; it runs on the way out, so it has its own time. It
// tries again for a while: autovacuum, at work on a freshly loaded table, is a superuser
// process that DROP DATABASE ... WITH (FORCE) may not end.
func dropDatabase(cfg postgres.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	admin, err := postgres.Open(ctx, cfg.WithDatabase("postgres"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: drop database:", err)
		return
	}
	defer admin.Close()
	for {
		_, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+cfg.Database+`" WITH (FORCE)`)
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(os.Stderr, "bench: drop database:", err)
			return
		case <-time.After(2 * time.Second):
		}
	}
}

// service is a listed service's process, started by startService.
type service struct {
	cmd  *exec.Cmd
	base string
}

// startService runs the listed service's binary on a free port with its own database (and
// env, its own settings beyond the local stack's) and waits until it is ready; stop shuts
// it down.
func startService(ctx context.Context, name, database string, o options, local stack.Local, env ...string) (*service, error) {
	list, err := contracts.Services()
	if err != nil {
		return nil, err
	}
	s, ok := list.Get(name)
	if !ok {
		return nil, fmt.Errorf("%s is not in contracts/services.yaml", name)
	}
	port, err := stack.FreePort()
	if err != nil {
		return nil, err
	}
	p := s.EnvPrefix() + "_"
	svc := &service{cmd: exec.Command(filepath.Join(o.binDir, name)), base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	svc.cmd.Env = append(append(os.Environ(), local.Env(s, port)...),
		p+"DB_NAME="+database, p+"DB_MAX_OPEN_CONNS="+strconv.Itoa(o.workers+8), p+"LOG_LEVEL=warn")
	svc.cmd.Env = append(svc.cmd.Env, env...)
	svc.cmd.Stdout, svc.cmd.Stderr = os.Stderr, os.Stderr
	svc.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // ends with the bench, however it ends
	if err := svc.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (run make build first): %w", svc.cmd.Path, err)
	}
	if err := waitReady(ctx, svc.base+"/readyz"); err != nil {
		svc.stop()
		return nil, err
	}
	return svc, nil
}

func (svc *service) stop() {
	_ = svc.cmd.Process.Signal(syscall.SIGTERM)
	_ = svc.cmd.Wait()
}

func randomKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func waitReady(ctx context.Context, url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("service not ready at %s", url)
}
