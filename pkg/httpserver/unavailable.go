package httpserver

import (
	"context"
	"errors"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/postgres"
)

// unavailable is the 503 for an error that says a dependency cannot serve right now (the
// database or the broker unreachable, or the request's deadline passed), or nil. Its detail
// names the dependency in fixed words; the cause goes to the log only.
func unavailable(err error) *Problem {
	switch {
	case postgres.IsUnavailable(err):
		return ServiceUnavailable("the database is unavailable; try again later").With("dependency", "database")
	case brokerUnavailable(err):
		return ServiceUnavailable("the message broker is unavailable; try again later").With("dependency", "broker")
	case errors.Is(err, context.DeadlineExceeded):
		return ServiceUnavailable("the request took too long; try again later")
	}
	return nil
}

// brokerErrors mean NATS cannot take or answer a request now; a later try may succeed.
var brokerErrors = []error{
	nats.ErrNoServers, nats.ErrConnectionClosed, nats.ErrConnectionDraining, nats.ErrConnectionReconnecting,
	nats.ErrDisconnected, nats.ErrStaleConnection, nats.ErrReconnectBufExceeded, nats.ErrTimeout, nats.ErrNoResponders,
	jetstream.ErrNoStreamResponse, jetstream.ErrServerShutdown, jetstream.ErrAsyncPublishTimeout,
}

func brokerUnavailable(err error) bool {
	for _, target := range brokerErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
