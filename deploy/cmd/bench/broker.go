package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"casework.dev/pkg/natsserver"
)

// brokerChildArg, as the first argument, makes the bench binary run a NATS server and
// nothing else (see runBrokerChild).
const brokerChildArg = "broker-child"

// brokerProcess is a run's NATS server in a process of its own, as production runs it
// (deploy/nats), so that its CPU and its waits for a core are its own figures and not
// the officers'. -broker-nice can raise its priority over the services and PostgreSQL: at
// half rate every event waits for the broker's fsyncs, and a broker thread that waits for
// a core holds up its whole stream (docs/bench.md, sixth round, says what that gained and
// cost).
type brokerProcess struct {
	cmd      *exec.Cmd
	url      string
	nice     int // as the process itself read it
	stopOnce sync.Once
}

// startBrokerProcess runs this binary as a broker child at the given nice value (through
// nice(1), so every thread of the child has it from its start) and waits until it serves.
// Without the right to raise priority the child runs at the bench's own, and the bench
// says so.
func startBrokerProcess(ctx context.Context, cfg natsserver.Config, nice int) (*brokerProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	spec, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	args := []string{self, brokerChildArg, string(spec)}
	own, err := ownNice()
	if err != nil {
		return nil, err
	}
	if nice != own {
		if path, err := exec.LookPath("nice"); err == nil {
			// nice(1) adds to the caller's value.
			args = append([]string{path, "-n", strconv.Itoa(nice - own)}, args...)
		}
	}
	b := &brokerProcess{cmd: exec.Command(args[0], args[1:]...)}
	// The broker ends with the bench, however the bench ends.
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	b.cmd.Stderr = os.Stderr
	out, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start broker process: %w", err)
	}
	ready := make(chan error, 1)
	go func() {
		r := bufio.NewReader(out)
		line, err := r.ReadString('\n')
		if err != nil {
			ready <- fmt.Errorf("broker process ended before it served (its errors are above): %w", err)
			return
		}
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "ready %s nice=%d", &b.url, &b.nice); err != nil {
			ready <- fmt.Errorf("broker process said %q: %w", line, err)
			return
		}
		ready <- nil
		_, _ = io.Copy(os.Stderr, r) // anything more it says, so that it never blocks on a full pipe
	}()
	select {
	case err = <-ready:
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(30 * time.Second):
		err = errors.New("broker process not ready within 30s")
	}
	if err != nil {
		b.stop()
		return nil, err
	}
	if b.nice != nice {
		fmt.Fprintf(os.Stderr, "bench: the broker runs at nice %d, not %d: a higher priority needs root (CAP_SYS_NICE)\n", b.nice, nice)
	}
	return b, nil
}

func (b *brokerProcess) pid() int { return b.cmd.Process.Pid }

// stop asks the broker to shut down cleanly and, if it has not within 15 s, kills it.
func (b *brokerProcess) stop() {
	b.stopOnce.Do(func() {
		_ = b.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() {
			_ = b.cmd.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = b.cmd.Process.Kill()
			<-done
		}
	})
}

// ownNice is this process's nice value. The raw system call answers 20 - nice.
func ownNice() (int, error) {
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	return 20 - prio, err
}

// brokerChildMain runs the broker child, and exits, when this process was started as one.
func brokerChildMain() {
	if len(os.Args) != 3 || os.Args[1] != brokerChildArg {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runBrokerChild(ctx, os.Args[2])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench broker:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// runBrokerChild is the broker child's whole life: the server of the config given as JSON,
// one line on stdout once it serves ("ready <url> nice=<n>"), and a clean shutdown (its
// store flushed) on SIGTERM.
func runBrokerChild(ctx context.Context, spec string) error {
	var cfg natsserver.Config
	if err := json.Unmarshal([]byte(spec), &cfg); err != nil {
		return fmt.Errorf("broker config: %w", err)
	}
	ns, err := natsserver.Start(cfg)
	if err != nil {
		return err
	}
	nice, err := ownNice()
	if err != nil {
		return err
	}
	fmt.Printf("ready %s nice=%d\n", ns.ClientURL(), nice)
	<-ctx.Done()
	ns.Shutdown()
	ns.WaitForShutdown()
	return nil
}
