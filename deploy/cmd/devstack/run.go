package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"casework.dev/pkg/natsserver"
)

type options struct {
	binDir    string
	dataDir   string
	natsPort  int
	httpBase  int
	pgPort    int
	quickPath string
	partners  string
	hookPort  int
}

// service is one binary the stack runs.
type service struct {
	name string
	port int
	env  []string
}

func run(ctx context.Context) error {
	var o options
	flag.StringVar(&o.binDir, "bin", "bin", "directory holding the service binaries")
	flag.StringVar(&o.dataDir, "data", ".local", "directory for the NATS store and the dev signing key")
	flag.IntVar(&o.natsPort, "nats-port", envInt("CASEWORK_NATS_PORT", 4222), "NATS client port")
	flag.IntVar(&o.httpBase, "http-port", envInt("CASEWORK_HTTP_PORT", 8081), "first service HTTP port")
	flag.IntVar(&o.pgPort, "pg-port", envInt("CASEWORK_PG_PORT", 54329), "PostgreSQL port")
	flag.StringVar(&o.quickPath, "quickstart", ".local/quickstart.txt", "where to write the quick start as well")
	flag.StringVar(&o.partners, "partners", "contracts/partners.yaml", "partners file the NATS accounts are generated from")
	flag.IntVar(&o.hookPort, "webhook-port", envInt("CASEWORK_WEBHOOK_PORT", 8089), "port of the dev receiver standing in for every webhook partner")
	flag.Parse()

	key, err := devSigningKey(filepath.Join(o.dataDir, "dev-signing-key"))
	if err != nil {
		return err
	}
	accounts, err := prepareAccounts(o.dataDir, o.partners)
	if err != nil {
		return err
	}
	natsCfg := natsserver.Config{Port: o.natsPort, StoreDir: filepath.Join(o.dataDir, "nats"), ServerName: "casework-dev",
		ConfigFile: accounts.configPath}
	ns, err := natsserver.Start(natsCfg)
	if err != nil {
		return err
	}
	defer ns.Shutdown()
	natsURL := ns.ClientURL()
	fmt.Printf("devstack: NATS JetStream on %s (store %s, accounts %s)\n", natsURL, filepath.Join(o.dataDir, "nats"), accounts.configPath)
	// Partner feeds are created explicitly, before any disclosure is published.
	if err := accounts.provision(ctx, natsURL); err != nil {
		return err
	}
	go reloadOnHangup(ctx, ns, natsCfg, o.dataDir, o.partners, accounts)

	hooks, err := prepareWebhooks(o.dataDir, o.partners, "127.0.0.1:"+strconv.Itoa(o.hookPort))
	if err != nil {
		return err
	}
	stopReceiver, err := serveReceiver("127.0.0.1:"+strconv.Itoa(o.hookPort),
		newReceiver(hooks, func(format string, args ...any) { fmt.Printf("[webhook-receiver] "+format+"\n", args...) }))
	if err != nil {
		return err
	}
	defer stopReceiver()

	services := []service{{
		name: "complaints",
		port: o.httpBase,
		env: []string{
			"COMPLAINTS_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(o.httpBase),
			"COMPLAINTS_DB_PORT=" + strconv.Itoa(o.pgPort),
			"COMPLAINTS_NATS_URL=" + natsURL,
			"COMPLAINTS_NATS_USER=complaints",
			"COMPLAINTS_NATS_PASSWORD=" + accounts.password("complaints"),
			"COMPLAINTS_AUTH_ISSUER=" + devIssuer,
			"COMPLAINTS_AUTH_DEV_SIGNING_KEY=" + key,
		},
	}, {
		// Webhook delivery: every webhook partner of the partners file, posting to the dev
		// receiver, unless DELIVERY_WEBHOOKS is set in your shell (docs/webhooks.md).
		name: "delivery",
		port: o.httpBase + 1,
		env: append([]string{
			"DELIVERY_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(o.httpBase+1),
			"DELIVERY_DB_PORT=" + strconv.Itoa(o.pgPort),
			"DELIVERY_NATS_URL=" + natsURL,
			"DELIVERY_NATS_USER=delivery",
			"DELIVERY_NATS_PASSWORD=" + accounts.password("delivery"),
			"DELIVERY_AUTH_ISSUER=" + devIssuer,
			"DELIVERY_AUTH_DEV_SIGNING_KEY=" + key,
			"DELIVERY_STREAMS=COMPLAINTS_SHARE;INVESTIGATIONS_SHARE",
		}, deliveryWebhookEnv(hooks, os.Getenv)...),
	}, {
		name: "investigations",
		port: o.httpBase + 2,
		env: []string{
			"INVESTIGATIONS_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(o.httpBase+2),
			"INVESTIGATIONS_DB_PORT=" + strconv.Itoa(o.pgPort),
			"INVESTIGATIONS_NATS_URL=" + natsURL,
			"INVESTIGATIONS_NATS_USER=investigations",
			"INVESTIGATIONS_NATS_PASSWORD=" + accounts.password("investigations"),
			"INVESTIGATIONS_AUTH_ISSUER=" + devIssuer,
			"INVESTIGATIONS_AUTH_DEV_SIGNING_KEY=" + key,
		},
	}, {
		// The managers' board, over plain HTTP here: its sign-in cookie goes without Secure.
		name: "board",
		port: o.httpBase + 5,
		env: []string{
			"BOARD_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(o.httpBase+5),
			"BOARD_DB_PORT=" + strconv.Itoa(o.pgPort),
			"BOARD_NATS_URL=" + natsURL,
			"BOARD_NATS_USER=board",
			"BOARD_NATS_PASSWORD=" + accounts.password("board"),
			"BOARD_AUTH_ISSUER=" + devIssuer,
			"BOARD_AUTH_DEV_SIGNING_KEY=" + key,
			"BOARD_SESSION_INSECURE_COOKIE=true",
		},
	}}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	failed := make(chan error, len(services))
	var procs []*exec.Cmd
	for _, s := range services {
		cmd, err := start(s, o.binDir)
		if err != nil {
			cancel()
			stopAll(procs)
			return err
		}
		procs = append(procs, cmd)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := cmd.Wait()
			if ctx.Err() == nil {
				failed <- fmt.Errorf("%s exited: %v", s.name, err)
			}
		}()
	}
	defer func() {
		stopAll(procs)
		wg.Wait()
		fmt.Println("devstack: stopped")
	}()

	for _, s := range services {
		if err := waitReady(ctx, s, failed); err != nil {
			return err
		}
	}
	quick, err := quickStart(key, natsURL, services, accounts.quickStart(natsURL, o.partners),
		hooks.quickStart(o.partners, fmt.Sprintf("http://127.0.0.1:%d", o.httpBase+1)))
	if err != nil {
		return err
	}
	fmt.Print(quick)
	if err := os.WriteFile(o.quickPath, []byte(quick), 0o600); err == nil {
		fmt.Printf("(also written to %s)\n", o.quickPath)
	}

	select {
	case <-ctx.Done():
		fmt.Println("\ndevstack: stopping")
		return nil
	case err := <-failed:
		return err
	}
}

func start(s service, binDir string) (*exec.Cmd, error) {
	cmd := exec.Command(filepath.Join(binDir, s.name))
	cmd.Env = append(os.Environ(), s.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches us; we stop the children in order
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (run `make build` first): %w", s.name, err)
	}
	go prefixLines(s.name, out)
	return cmd, nil
}

func prefixLines(name string, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fmt.Printf("[%s] %s\n", name, sc.Text())
	}
}

// stopAll asks each service to shut down gracefully, then insists.
func stopAll(procs []*exec.Cmd) {
	for _, p := range procs {
		if p.Process != nil && p.ProcessState == nil {
			_ = p.Process.Signal(syscall.SIGTERM)
		}
	}
	deadline := time.Now().Add(25 * time.Second)
	for _, p := range procs {
		for p.ProcessState == nil && time.Now().Before(deadline) {
			if err := p.Process.Signal(syscall.Signal(0)); err != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if p.Process != nil && time.Now().After(deadline) {
			_ = p.Process.Kill()
		}
	}
}

func waitReady(ctx context.Context, s service, failed <-chan error) error {
	url := fmt.Sprintf("http://127.0.0.1:%d/readyz", s.port)
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-failed:
			return err
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready at %s within 90s", s.name, url)
}

// devSigningKey keeps one key per checkout so tokens stay valid across restarts.
func devSigningKey(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	key := hex.EncodeToString(buf)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	return key, os.WriteFile(path, []byte(key+"\n"), 0o600)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
