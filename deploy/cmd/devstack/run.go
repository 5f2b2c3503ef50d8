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
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
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
	only      string
	dbPrefix  string
}

// service is one listed service the stack runs, on its port with its environment.
type service struct {
	contracts.Service
	port int
	env  []string
}

func run(ctx context.Context) error {
	var o options
	flag.StringVar(&o.binDir, "bin", "bin", "directory holding the service binaries")
	flag.StringVar(&o.dataDir, "data", ".local", "directory for the NATS store and the dev signing key")
	flag.IntVar(&o.natsPort, "nats-port", envInt("CASEWORK_NATS_PORT", 4222), "NATS client port (-1: any free port)")
	flag.IntVar(&o.httpBase, "http-port", envInt("CASEWORK_HTTP_PORT", 8081),
		"HTTP port of the first service of contracts/services.yaml; the others keep their listed distance from it (0: any free ports)")
	flag.IntVar(&o.pgPort, "pg-port", envInt("CASEWORK_PG_PORT", 54329), "PostgreSQL port")
	flag.StringVar(&o.quickPath, "quickstart", ".local/quickstart.txt", "where to write the quick start as well")
	flag.StringVar(&o.partners, "partners", "contracts/partners.yaml", "partners file the NATS accounts are generated from")
	flag.IntVar(&o.hookPort, "webhook-port", envInt("CASEWORK_WEBHOOK_PORT", 8089), "port of the dev receiver standing in for every webhook partner (0: any free port)")
	flag.StringVar(&o.only, "services", "", "comma-separated services to start (default: every one of contracts/services.yaml)")
	flag.StringVar(&o.dbPrefix, "db-prefix", "", "put before every service's database name, to keep a second stack's data apart")
	flag.Parse()

	list, err := contracts.Services()
	if err != nil {
		return err
	}
	chosen, err := choose(list, o.only)
	if err != nil {
		return err
	}
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

	hookListener, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(o.hookPort))
	if err != nil {
		return fmt.Errorf("webhook receiver: %w", err)
	}
	hooks, err := prepareWebhooks(o.dataDir, o.partners, hookListener.Addr().String())
	if err != nil {
		hookListener.Close()
		return err
	}
	stopReceiver := serveReceiver(hookListener,
		newReceiver(hooks, func(format string, args ...any) { fmt.Printf("[webhook-receiver] "+format+"\n", args...) }))
	defer stopReceiver()

	local := stack.Local{PGPort: o.pgPort, DBPrefix: o.dbPrefix, NATSURL: natsURL, NATSPassword: accounts.password, AuthIssuer: devIssuer, DevSigningKey: key}
	services, err := plan(list, chosen, o.httpBase, local, hooks)
	if err != nil {
		return err
	}

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
				failed <- fmt.Errorf("%s exited: %v", s.Name, err)
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
	deliveryURL := ""
	if d, ok := running(services, "delivery"); ok {
		deliveryURL = fmt.Sprintf("http://127.0.0.1:%d", d.port)
	}
	quick, err := quickStart(key, natsURL, services, accounts.quickStart(natsURL, o.partners), hooks.quickStart(o.partners, deliveryURL))
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

// choose is the listed services named in only (comma-separated), or all of them.
func choose(list contracts.ServiceList, only string) (contracts.ServiceList, error) {
	if strings.TrimSpace(only) == "" {
		return list, nil
	}
	var out contracts.ServiceList
	for _, name := range strings.Split(only, ",") {
		s, ok := list.Get(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("-services: %q is not in contracts/services.yaml (%s)", name, strings.Join(list.Names(), ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

// plan gives each chosen service its port and environment: the listed port moved by as much
// as base is from the first listed service's, or any free port when base is 0. The delivery
// worker also gets the dev webhook partners.
func plan(list, chosen contracts.ServiceList, base int, local stack.Local, hooks devWebhooks) ([]service, error) {
	var out []service
	for _, s := range chosen {
		port := s.Port + base - list[0].Port
		if base == 0 {
			var err error
			if port, err = stack.FreePort(); err != nil {
				return nil, err
			}
		}
		env := local.Env(s, port)
		switch s.Name {
		case "delivery":
			env = append(env, deliveryWebhookEnv(hooks, os.Getenv)...)
		case "board": // plain HTTP here: its sign-in cookie goes without Secure
			env = append(env, "BOARD_SESSION_INSECURE_COOKIE=true")
		}
		out = append(out, service{Service: s, port: port, env: env})
	}
	return out, nil
}

func start(s service, binDir string) (*exec.Cmd, error) {
	cmd := exec.Command(filepath.Join(binDir, s.Name))
	cmd.Env = append(os.Environ(), s.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches us; we stop the children in order
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (run `make build` first): %w", s.Name, err)
	}
	go prefixLines(s.Name, out)
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
	return fmt.Errorf("%s not ready at %s within 90s", s.Name, url)
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
