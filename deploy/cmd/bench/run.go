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

	"github.com/nats-io/nats.go"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/postgres"
)

type options struct {
	workers  int
	duration time.Duration
	warmup   time.Duration
	binDir   string
	pgPort   int
	partners string
}

func run(ctx context.Context) error {
	var o options
	flag.IntVar(&o.workers, "workers", 16, "concurrent officers, and ceiling clients")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured phase")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before the first phase")
	flag.StringVar(&o.binDir, "bin", "bin", "directory holding the service binaries")
	flag.IntVar(&o.pgPort, "pg-port", 54329, "PostgreSQL port")
	flag.StringVar(&o.partners, "partners", "contracts/partners.yaml", "partners file the NATS accounts are generated from")
	flag.Parse()

	dbCfg := postgres.Config{Host: "127.0.0.1", Port: o.pgPort, User: "casework", Password: "casework",
		Database: "casework_bench", SSLMode: "disable", MaxOpenConns: o.workers + 4}
	if err := freshDatabase(ctx, dbCfg); err != nil {
		return err
	}
	store, err := os.MkdirTemp("", "casework-bench-nats-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(store)
	acc, err := generateAccounts(store, o.partners)
	if err != nil {
		return err
	}
	ns, err := natsserver.Start(natsserver.Config{Port: -1, StoreDir: filepath.Join(store, "js"), ServerName: "casework-bench", ConfigFile: acc.configPath})
	if err != nil {
		return err
	}
	defer ns.Shutdown()
	if err := natsaccounts.ProvisionAll(ctx, ns.ClientURL(), acc.partners, natsaccounts.FeedOptions{}); err != nil {
		return err
	}

	key := randomKey()
	local := stack.Local{PGPort: o.pgPort, NATSURL: ns.ClientURL(), NATSPassword: func(user string) string { return acc.passwords[user] },
		AuthIssuer: "casework-bench", DevSigningKey: key}
	base, stopService, err := startService(ctx, "complaints", dbCfg.Database, o, local)
	if err != nil {
		return err
	}
	defer stopService()

	nc, err := nats.Connect(ns.ClientURL(), nats.UserInfo("bench", acc.passwords["bench"]))
	if err != nil {
		return err
	}
	defer nc.Close()
	probe, err := newLatencyProbe(ctx, nc)
	if err != nil {
		return err
	}
	defer probe.stop()
	partner, err := newPartnerProbe(ctx, ns.ClientURL(), acc.passwords[benchPartner])
	if err != nil {
		return err
	}
	defer partner.stop()

	driver, err := newDriver(base, key, o.workers, complaints)
	if err != nil {
		return err
	}
	fmt.Printf("bench: %d officers, %s per phase, service %s, NATS %s\n", o.workers, o.duration, base, ns.ClientURL())

	driver.load(ctx, o.warmup, 0)

	probe.reset()
	sat := driver.load(ctx, o.duration, 0)
	satLat := probe.settle(ctx, sat.committed)
	satRate := float64(sat.committed) / sat.elapsed.Seconds()
	fmt.Printf("bench: saturated   transitions=%d errors=%d per_s=%.0f commit_to_consumer p50_ms=%.1f p99_ms=%.1f (n=%d)\n",
		sat.committed, sat.failed, satRate, satLat.p50, satLat.p99, satLat.n)

	probe.reset()
	partner.reset()
	half := driver.load(ctx, o.duration, satRate/2)
	halfLat := probe.settle(ctx, half.committed)
	partnerLat := partner.settle(ctx, half.disclosed)
	fmt.Printf("bench: half-rate   transitions=%d errors=%d per_s=%.0f commit_to_consumer p50_ms=%.1f p99_ms=%.1f (n=%d)\n",
		half.committed, half.failed, float64(half.committed)/half.elapsed.Seconds(), halfLat.p50, halfLat.p99, halfLat.n)

	fmt.Printf("bench: half-rate   commit_to_partner p50_ms=%.1f p99_ms=%.1f (n=%d, %s's own account)\n",
		partnerLat.p50, partnerLat.p99, partnerLat.n, benchPartner)

	inv, err := investigationsPhase(ctx, o, dbCfg, local)
	if err != nil {
		return fmt.Errorf("investigations: %w", err)
	}
	printInvestigations(inv)
	if err := debtPhase(ctx, o, dbCfg, key); err != nil {
		return fmt.Errorf("debt: %w", err)
	}

	ceiling, err := measureCeiling(ctx, dbCfg, o.workers, o.duration)
	if err != nil {
		return err
	}
	fmt.Printf("bench: ceiling     one-row insert commits per_s=%.0f at %d clients on the same database\n", ceiling, o.workers)
	fmt.Printf("bench: e2e_per_s=%.0f ceiling_per_s=%.0f ratio=%.2f p50_ms=%.1f p99_ms=%.1f\n",
		satRate, ceiling, satRate/ceiling, halfLat.p50, halfLat.p99)
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

// startService runs the listed service's binary on a free port with its own database and
// waits until it is ready; stop shuts it down.
func startService(ctx context.Context, name, database string, o options, local stack.Local) (base string, stop func(), err error) {
	list, err := contracts.Services()
	if err != nil {
		return "", nil, err
	}
	s, ok := list.Get(name)
	if !ok {
		return "", nil, fmt.Errorf("%s is not in contracts/services.yaml", name)
	}
	port, err := stack.FreePort()
	if err != nil {
		return "", nil, err
	}
	p := s.EnvPrefix() + "_"
	svc := exec.Command(filepath.Join(o.binDir, name))
	svc.Env = append(append(os.Environ(), local.Env(s, port)...),
		p+"DB_NAME="+database, p+"DB_MAX_OPEN_CONNS="+strconv.Itoa(o.workers+8), p+"LOG_LEVEL=warn")
	svc.Stdout, svc.Stderr = os.Stderr, os.Stderr
	if err := svc.Start(); err != nil {
		return "", nil, fmt.Errorf("start %s (run make build first): %w", svc.Path, err)
	}
	stop = func() {
		_ = svc.Process.Signal(syscall.SIGTERM)
		_ = svc.Wait()
	}
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitReady(ctx, base+"/readyz"); err != nil {
		stop()
		return "", nil, err
	}
	return base, stop, nil
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
