// Command delivery runs the webhook delivery worker: one durable JetStream consumer per
// webhook partner and share stream, signed HTTP posts with retries, the attempt log and the
// dead-letter API.
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
		fmt.Fprintln(os.Stderr, "delivery:", err)
		os.Exit(1)
	}
}
