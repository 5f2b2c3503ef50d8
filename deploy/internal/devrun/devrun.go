// Package devrun builds and runs the devstack for end-to-end tests: the binaries of the
// services list, the devstack on free ports, its output, and a clean Ctrl-C at the end.
package devrun

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

// Go runs the go command in dir with the workspace file found there.
func Go(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Build builds the devstack and the named services (all listed ones when none) of the
// repository at root into a temporary directory, which it returns.
func Build(t *testing.T, root string, services ...string) string {
	t.Helper()
	list, err := stack.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	args := []string{"build", "-o", bin + "/"}
	for _, s := range list {
		if len(services) == 0 || slices.Contains(services, s.Name) {
			args = append(args, s.Main)
		}
	}
	Go(t, root, append(args, "./deploy/cmd/devstack")...)
	return bin
}

// Run is a running devstack.
type Run struct {
	out    buffer
	exited chan error
}

// Start runs bin/devstack from root with the named services (all when none) on free ports,
// its state in a temporary directory and its databases named apart, and waits for its
// banner. When the test ends it is stopped as Ctrl-C stops it, and must say so, and its
// databases are dropped.
func Start(t *testing.T, root, bin string, services ...string) *Run {
	t.Helper()
	data := t.TempDir()
	prefix := fmt.Sprintf("devrun%d_", time.Now().UnixNano()%1_000_000_000)
	args := []string{"-bin", bin, "-data", data, "-nats-port", "-1", "-http-port", "0", "-webhook-port", "0",
		"-pg-port", strconv.Itoa(testkit.PostgresConfig().Port), "-db-prefix", prefix, "-quickstart", filepath.Join(data, "quickstart.txt")}
	dropDatabasesAfter(t, prefix)
	if len(services) > 0 {
		args = append(args, "-services", strings.Join(services, ","))
	}
	cmd := exec.Command(filepath.Join(bin, "devstack"), args...)
	cmd.Dir = root
	r := &Run{exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = &r.out, &r.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-r.exited:
			if err != nil || !strings.Contains(r.Output(), "devstack: stopped") {
				t.Errorf("devstack stopped with %v:\n%s", err, r.Tail())
			}
		case <-time.After(60 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Errorf("devstack did not stop within 60s:\n%s", r.Tail())
		}
	})
	r.WaitFor(t, "the devstack's banner", regexp.MustCompile(`Press Ctrl-C to stop everything\.`))
	return r
}

// WaitFor polls the output until re matches, and returns the match's groups.
func (r *Run) WaitFor(t *testing.T, what string, re *regexp.Regexp) []string {
	t.Helper()
	var m []string
	testkit.Eventually(t, 150*time.Second, what, func() (bool, string) {
		select {
		case err := <-r.exited:
			t.Fatalf("devstack exited: %v\n%s", err, r.Tail())
		default:
		}
		m = re.FindStringSubmatch(r.Output())
		return m != nil, r.Tail()
	})
	return m
}

// Output is everything the devstack and its services printed so far.
func (r *Run) Output() string { return r.out.String() }

// Tail is the output's last lines, for failure messages.
func (r *Run) Tail() string {
	lines := strings.Split(r.Output(), "\n")
	return strings.Join(lines[max(0, len(lines)-40):], "\n")
}

type buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// dropDatabasesAfter drops, when the test ends, every database whose name starts with prefix.
func dropDatabasesAfter(t *testing.T, prefix string) {
	t.Helper()
	t.Cleanup(func() {
		ctx := context.Background()
		admin, err := postgres.Open(ctx, testkit.PostgresConfig().WithDatabase("postgres"))
		if err != nil {
			t.Errorf("drop the stack's databases: %v", err)
			return
		}
		defer admin.Close()
		var names []string
		if err := admin.SelectContext(ctx, &names, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, prefix); err != nil {
			t.Errorf("drop the stack's databases: %v", err)
			return
		}
		for _, name := range names {
			// An autovacuum worker, a superuser's process, may be on the new database, and
			// WITH (FORCE) cannot end it for us: try again until it has gone.
			deadline := time.Now().Add(30 * time.Second)
			for {
				_, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
				if err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("drop %s: %v", name, err)
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	})
}
