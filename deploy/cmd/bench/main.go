// Command bench measures the complaints service end to end and, in the same run, on the
// same database and broker, what it is compared with. It starts its own NATS server (with
// JetStream's sync_interval always, production's setting, in a process of its own at the
// CPU priority -broker-nice gives it), its own databases (dropped at the end) and the
// service binary, and prints one line per figure:
//
//   - ours: transitions committed per second at saturation by concurrent officers over
//     HTTP, and the time from commit to a JetStream consumer at half that rate;
//   - what a transition costs (PostgreSQL execution time from pg_stat_statements, CPU
//     seconds per 1,000 transitions, allocations per request) and where the half-rate
//     time goes (the relay's round steps and wake-up wait, time spent waiting for a core,
//     GC, the bench's own lateness);
//   - the investigations service, on its own database;
//   - subject access searches through the rights service over 1,000,000 cases loaded into
//     the services that answer it (-sar-cases, -sar-searches; -sar-only runs them alone),
//     printing bench: sar_search_ms p50=N p99=N cases=N;
//   - the peer: a watermill-sql outbox drained by watermill's forwarder to JetStream;
//   - the ceilings: one-row insert commits per second (PostgreSQL) and asynchronous
//     publishes per second (the broker), and the slower of them in transitions;
//   - ours again on a broker with JetStream's default fsync (-default-fsync=false skips it).
//
// BENCH_DURATION (or -duration) sets the length of each phase. The last line is
//
//	bench: e2e_per_s=N ceiling_per_s=N ratio=R peer_per_s=N p50_ms=N p99_ms=N
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
	brokerChildMain()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
