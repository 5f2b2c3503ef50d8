package messaging

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// WaitForStream returns once the stream exists, or when ctx ends. The service that owns a
// stream creates it and may start after its consumers, so waiting is normal: it is logged
// once when it starts and once when it ends, each check only at debug level, and an error
// other than "not found" once each time it changes.
func WaitForStream(ctx context.Context, js jetstream.JetStream, stream string, log *slog.Logger) {
	log = log.With("stream", stream)
	waiting, lastErr := false, ""
	for wait := 100 * time.Millisecond; ; wait = min(wait*2, 5*time.Second) {
		_, err := js.Stream(ctx, stream)
		if err == nil {
			if waiting {
				log.Info("stream found")
			}
			return
		}
		if ctx.Err() != nil {
			return
		}
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			if !waiting {
				log.Info("waiting for the stream; the service that owns it creates it")
			}
			waiting = true
		case err.Error() != lastErr:
			log.Warn("stream not readable yet; retrying", "err", err)
		}
		lastErr = err.Error()
		log.Debug("stream not there yet", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
