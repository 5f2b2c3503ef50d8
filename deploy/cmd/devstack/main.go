// Command devstack runs the whole system on one machine for development: an embedded NATS
// JetStream server and every service binary, wired together, then prints a quick start
// with working requests and dev tokens. Ctrl-C stops everything cleanly. PostgreSQL is
// started beforehand by deploy/local/postgres.sh (make run does both).
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
		fmt.Fprintln(os.Stderr, "devstack:", err)
		os.Exit(1)
	}
}
