// Command publication runs the publication decisions service: HTTP API and public register,
// the consumer of conviction disclosures, the outbox relay and the takedown and retention
// sweeps.
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
		fmt.Fprintln(os.Stderr, "publication:", err)
		os.Exit(1)
	}
}
