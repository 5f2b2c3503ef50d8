// Command debt runs the debt recovery service (Mid Kent Enforcement): HTTP API, outbox
// relay and the instalment, 12-month and retention sweeps.
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
		fmt.Fprintln(os.Stderr, "debt:", err)
		os.Exit(1)
	}
}
