package service_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Once no council consumer still has to deliver a disclosure, the council's stream keeps no
// copy of it: partners on NATS get theirs through their own account's feed.
func TestCouncilKeepsNoCopyOfDisclosures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.NATS.JS.DeleteConsumer(ctx, "COMPLAINTS_SHARE", shareTap); err != nil {
		t.Fatal(err)
	}
	// A partner tap outside the stream (as a partner account's import would be) sees it go by.
	seen := make(chan string, 4)
	sub, err := e.NATS.Conn.Subscribe("share.ward-councillor.>", func(m *nats.Msg) { seen <- m.Subject })
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe() //nolint:errcheck

	body := aComplaint()
	body["consent_to"] = []string{"ward-councillor"}
	officer := e.officer("alice")
	id := e.Must(http.StatusCreated, "POST", "/complaints", officer, body)["id"].(string)
	e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", officer,
		map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})

	select {
	case subject := <-seen:
		if subject != "share.ward-councillor.complaints.complaint_handling" {
			t.Fatalf("published on %s", subject)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the disclosure was never published")
	}
	e.WaitRelayed(t) // the relay's cursor past the disclosure
	s, err := e.NATS.JS.Stream(ctx, "COMPLAINTS_SHARE")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Retention != jetstream.InterestPolicy || info.State.Msgs != 0 {
		t.Fatalf("council share stream: retention %v, %d messages kept; want interest retention and none", info.Config.Retention, info.State.Msgs)
	}
}
