// Command rights runs the information rights service: HTTP API for the data protection
// officer's team, the fan-out to every service over NATS request-reply, the outbox relay
// and the overdue, fan-out and retention sweeps.
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
		fmt.Fprintln(os.Stderr, "rights:", err)
		os.Exit(1)
	}
}
