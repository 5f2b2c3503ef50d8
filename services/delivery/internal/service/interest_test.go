package service_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

// TestDisclosureSentBeforeTheWorkerFirstStartsIsDelivered: the complaints service
// provisions its share stream (interest retention) with its readers, then discloses to a
// webhook partner before the delivery worker has ever run. The disclosure waits and is
// posted exactly once when the worker starts, and the worker, with its default settings,
// finds its consumer exactly as it would have made it.
func TestDisclosureSentBeforeTheWorkerFirstStartsIsDelivered(t *testing.T) {
	const partner = "subject-of-complaint"
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams("complaints", 1, time.Hour)...); err != nil {
		t.Fatal(err)
	}
	raw, err := contracts.Notice("complaints")
	if err != nil {
		t.Fatal(err)
	}
	complaints, err := notice.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := partners.ProvisionReaders(ctx, n.JS, "complaints", contracts.Partners(), complaints.RecipientIDs()); err != nil {
		t.Fatal(err)
	}
	e := &env{Env: &testkit.Env{T: t, DB: db, NATS: n}}
	body := e.publish(partner, "d-early")
	e.publish("lgo", "d-lgo") // a partner on NATS: its own account's feed has it, the council keeps none
	if got := shareHeld(t, e); got != 1 {
		t.Fatalf("share stream holds %d disclosures before the worker starts, want 1", got)
	}

	receiver := newReceiver(t, func(string, int) int { return 0 })
	svc, err := service.New(ctx, service.Config{Streams: []string{shareStream},
		ServiceConfig: bootstrap.ServiceConfig{DB: db, NATS: n.Conn,
			Auth: httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: testkit.DevSigningKey}},
		Partners: []service.WebhookPartner{receiver.partner(partner)},
		Retry:    domain.RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Second, MaxBackoff: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.RunBackground(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("background: %v", err)
		}
	}()

	testkit.Eventually(t, 10*time.Second, "the early disclosure delivered", func() (bool, string) {
		_, successes, _ := receiver.snapshot()
		return successes["d-early"] == 1, jsonString(successes)
	})
	e.drained(partner)
	requests, successes, forged := receiver.snapshot()
	if !reflect.DeepEqual(requests, map[string]int{"d-early": 1}) || !reflect.DeepEqual(successes, map[string]int{"d-early": 1}) || forged != 0 {
		t.Errorf("requests %v, successes %v, forged %d; want d-early once", requests, successes, forged)
	}
	receiver.mu.Lock()
	if string(receiver.bodies["d-early"]) != string(body) {
		t.Errorf("posted %s, want the disclosure as published", receiver.bodies["d-early"])
	}
	receiver.mu.Unlock()
	if got := e.attempts(partner); len(got) != 1 || got[0].DisclosureID != "d-early" || got[0].Attempt != 1 ||
		got[0].StatusCode == nil || *got[0].StatusCode != 204 {
		t.Errorf("attempts %+v, want one 204 for d-early", got)
	}
	// The server refuses to create a consumer over one whose configuration differs.
	if _, err := n.JS.CreateConsumer(ctx, shareStream, messaging.WebhookReader(partner, 0, 0)); err != nil {
		t.Errorf("the worker changed the provisioned consumer: %v", err)
	}
	testkit.Eventually(t, 10*time.Second, "the council keeps no copy once delivered", func() (bool, string) {
		got := shareHeld(t, e)
		return got == 0, jsonString(got)
	})
}

func shareHeld(t *testing.T, e *env) uint64 {
	t.Helper()
	s, err := e.NATS.JS.Stream(context.Background(), shareStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}
