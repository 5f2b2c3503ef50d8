package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/natsserver"
)

// TestMain lets the test binary stand in for the bench binary as a broker child.
func TestMain(m *testing.M) {
	brokerChildMain()
	os.Exit(m.Run())
}

func TestBrokerProcessStoresWithEveryThreadAtTheNiceItWasGiven(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// A lower priority than the test's own needs no privilege; a higher one takes the same path as root.
	own, err := ownNice()
	if err != nil {
		t.Fatal(err)
	}
	nice := min(own+3, 19)
	b, err := startBrokerProcess(ctx, natsserver.Config{Port: -1, StoreDir: t.TempDir(), SyncAlways: true}, nice)
	if err != nil {
		t.Fatal(err)
	}
	defer b.stop()
	if b.nice != nice {
		t.Fatalf("broker reports nice %d, want %d", b.nice, nice)
	}

	nc, err := nats.Connect(b.url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "PROBE", Subjects: []string{"probe.>"}}); err != nil {
		t.Fatal(err)
	}
	ack, err := js.Publish(ctx, "probe.one", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if ack.Stream != "PROBE" || ack.Sequence != 1 {
		t.Fatalf("ack %+v, want PROBE sequence 1", ack)
	}

	// Every thread, the runtime's own included, runs at the priority given.
	tasks, err := filepath.Glob("/proc/" + strconv.Itoa(b.pid()) + "/task/*/stat")
	if err != nil || len(tasks) < 2 {
		t.Fatalf("threads of the broker: %v %v", tasks, err)
	}
	for _, task := range tasks {
		stat, err := os.ReadFile(task)
		if err != nil {
			t.Fatal(err)
		}
		// Fields after the command's closing parenthesis: state is field 3, nice field 19.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if got := fields[19-3]; got != strconv.Itoa(nice) {
			t.Fatalf("%s: nice %s, want %d", task, got, nice)
		}
	}

	b.stop()
	if code := b.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("broker exited with %d on SIGTERM, want 0", code)
	}
}
