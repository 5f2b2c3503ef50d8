package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
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
	cmd  *exec.Cmd
	url  string
	nice int // as the process itself read it
}

// startBrokerProcess runs this binary as a broker child at the given nice value (through
// nice(1), so every thread of the child has it from its start) and waits until it
// serves. Without the right to raise priority, nice(1) runs the child as it is, and the
// nice the child reports says so.
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
	if nice != 0 {
		if path, err := exec.LookPath("nice"); err == nil {
			args = append([]string{path, "-n", strconv.Itoa(nice)}, args...)
		}
	}
	b := &brokerProcess{cmd: exec.Command(args[0], args[1:]...)}
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
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			ready <- fmt.Errorf("broker process said nothing: %w", err)
			return
		}
		_, err = fmt.Sscanf(strings.TrimSpace(line), "ready %s nice=%d", &b.url, &b.nice)
		ready <- err
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
	return b, nil
}

func (b *brokerProcess) pid() int { return b.cmd.Process.Pid }

func (b *brokerProcess) stop() {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	_ = b.cmd.Wait()
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
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		return err
	}
	// The raw system call answers 20 - nice.
	fmt.Printf("ready %s nice=%d\n", ns.ClientURL(), 20-prio)
	<-ctx.Done()
	ns.Shutdown()
	ns.WaitForShutdown()
	return nil
}
