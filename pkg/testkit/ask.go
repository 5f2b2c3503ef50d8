package testkit

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"casework.dev/pkg/rightsreply"
)

// Ask puts one question over NATS request-reply as another service does
// (casework.dev/pkg/rightsreply), patient while the responder starts, and fails the test
// when no result comes.
func Ask[Res any](t testing.TB, nc *nats.Conn, subject string, req any) Res {
	t.Helper()
	res, err := rightsreply.Call[Res](context.Background(), nc, subject, req,
		rightsreply.CallConfig{Timeout: 5 * time.Second, Attempts: 20, Backoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("%s: %v", subject, err)
	}
	return res
}

// Count runs a query that counts rows in the service's database.
func (e *Env) Count(query string, args ...any) int {
	e.T.Helper()
	var n int
	if err := e.DB.Get(&n, query, args...); err != nil {
		e.T.Fatal(err)
	}
	return n
}
