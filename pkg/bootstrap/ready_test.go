package bootstrap_test

import (
	"errors"
	"testing"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/testkit"
)

func TestReadyAnswersTheFirstCheckThatFails(t *testing.T) {
	db, _ := testkit.NewDatabase(t)
	n := testkit.NewNATS(t)
	recovering := errors.New("outbox relay recovering")
	var relay error
	ready := bootstrap.Ready(db, n.Conn, func() error { return nil }, func() error { return relay })
	if err := ready(); err != nil {
		t.Fatalf("connected, every check content: %v", err)
	}
	relay = recovering
	if err := ready(); !errors.Is(err, recovering) {
		t.Fatalf("with the relay recovering: %v, want its reason", err)
	}
	n.Conn.Close()
	if err := ready(); err == nil || err.Error() != "not connected to NATS" {
		t.Fatalf("without NATS: %v", err)
	}
}
