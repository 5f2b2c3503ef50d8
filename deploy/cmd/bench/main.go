// Command bench measures the complaints service end to end and, in the same run, the
// ceiling it is compared with. It starts its own NATS server, its own database and the
// service binary on their own ports, drives the HTTP API with concurrent officers, and
// measures transitions committed per second and the time from commit to arrival at a
// JetStream consumer. The ceiling is one-row insert commits per second on the same
// PostgreSQL at the same concurrency. Before the ceiling, an investigations phase runs
// that service on its own database with the same officers and prints its own line
// ("bench: investigations transitions=N errors=N per_s=N ..."). The last line is
//
//	bench: e2e_per_s=N ceiling_per_s=N ratio=R p50_ms=N p99_ms=N
//
// with the latencies measured at half the saturated rate.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
