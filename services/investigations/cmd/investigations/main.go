// Command investigations runs the community protection investigations service: HTTP API,
// outbox relay and the retention sweep.
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
		fmt.Fprintln(os.Stderr, "investigations:", err)
		os.Exit(1)
	}
}
