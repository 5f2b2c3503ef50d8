package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts"
	"casework.dev/contracts/events"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// provisionRights creates the rights service's streams and its share readers, as that
// service does at start: internal-publication-service among them.
func provisionRights(t *testing.T, n *testkit.NATS) {
	t.Helper()
	ctx := context.Background()
	if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams("rights", 1, 0)...); err != nil {
		t.Fatal(err)
	}
	raw, err := contracts.Notice("rights")
	if err != nil {
		t.Fatal(err)
	}
	nt, err := notice.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := partners.ProvisionReaders(ctx, n.JS, "rights", contracts.Partners(), nt.RecipientIDs()); err != nil {
		t.Fatal(err)
	}
}

// notify publishes an Article 19 notice exactly as the rights service's relay does: a
// RightsDisclosure on share.publication-service.rights.article19 with what the rights notice
// allows (the disclosure it follows and what was done; a rectification's field and
// corrected value), its disclosure id as event id and Nats-Msg-Id (msgID overrides the
// latter, as a redelivery past the duplicate window would).
func (e *env) notify(noticeID, msgID, originalDisclosureID, action string, corrected ...string) {
	e.T.Helper()
	data := map[string]any{"service": "investigations", "original_disclosure_id": originalDisclosureID,
		"disclosed_at": start, "action": action}
	if len(corrected) == 2 {
		data["field"], data["corrected_value"] = corrected[0], corrected[1]
	}
	body, err := json.Marshal(events.RightsDisclosure{DisclosureID: noticeID, Recipient: "publication-service",
		Purpose: events.RightsArticle19Purpose, Condition: "legal_obligation", NoticeVersion: "2026.11.1", Reference: "RR-2026-000007",
		DisclosedAt: e.Clock.Now(), Data: data})
	if err != nil {
		e.T.Fatal(err)
	}
	msg := nats.NewMsg(events.ShareSubject("publication-service", "rights", events.RightsArticle19Suffix))
	msg.Data = body
	msg.Header.Set(messaging.HeaderEventID, noticeID)
	if msgID == "" {
		msgID = noticeID
	}
	msg.Header.Set(jetstream.MsgIDHeader, msgID)
	if _, err := e.NATS.JS.PublishMsg(context.Background(), msg); err != nil {
		e.T.Fatal(err)
	}
}

// waitForProcessed waits until the consumer has recorded n events (convictions and notices).
func (e *env) waitForProcessed(n int) {
	e.T.Helper()
	testkit.Eventually(e.T, 10*time.Second, fmt.Sprintf("%d processed events", n), func() (bool, string) {
		got := e.Count(`SELECT count(*) FROM processed_events WHERE consumer = 'internal-publication-service'`)
		return got >= n, fmt.Sprintf("%d processed", got)
	})
}

// TestArticle19NoticesToThePublicationServiceAreApplied: the rights service tells the
// publication service, a recipient of the conviction, of a rectification, a restriction and
// its lifting, and an erasure. Each applies to the decision opened from the disclosure it
// names, as the offender's own request would, once however often it is delivered; an
// erasure while the entry is on the register is lawfully refused; a notice naming no
// disclosure received changes nothing; nothing is dead-lettered.
func TestArticle19NoticesToThePublicationServiceAreApplied(t *testing.T) {
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	provisionInvestigations(t, n)
	provisionRights(t, n)
	e := newEnvOn(t, db, n, calendar.NewManualClock(start))
	dead := e.Collect("PUBLICATION_DEADLETTER", "deadletter.publication.>")

	const samDisclosure, patDisclosure = "0195f3a0-0000-7000-8000-000000000901", "0195f3a0-0000-7000-8000-000000000902"
	e.disclose(samDisclosure, "", aConviction())
	other := aConviction()
	other["name"] = "Pat Other"
	e.disclose(patDisclosure, "", other)
	ids := e.waitForDecisions(2)
	sam, pat := ids[0], ids[1]
	e.publish(sam, aDraft())
	processed := 2

	// A rectification of the name: the decision and the register show the corrected name.
	e.notify("0195f3a0-0000-7000-8000-000000000a01", "", samDisclosure, "rectified", "name", "Samuel Subject")
	processed++
	e.waitForProcessed(processed)
	if c, _ := e.Must(200, "GET", "/decisions/"+sam, e.officer("olive"), nil)["conviction"].(map[string]any); c["name"] != "Samuel Subject" {
		t.Fatalf("decision after the rectification: %v", c)
	}
	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["name"] != "Samuel Subject" {
		t.Fatalf("register after the rectification: %v", entries)
	}

	// A restriction takes the entry off the register; its lifting puts it back. The
	// restriction delivered again after the lift (past the duplicate window, the same event
	// id) changes nothing.
	const restricted = "0195f3a0-0000-7000-8000-000000000a02"
	e.notify(restricted, "", samDisclosure, "restricted")
	processed++
	e.waitForProcessed(processed)
	if entries := e.registerJSON(); len(entries) != 0 {
		t.Fatalf("a restricted entry is on the register: %v", entries)
	}
	e.notify("0195f3a0-0000-7000-8000-000000000a03", "", samDisclosure, "restriction lifted")
	processed++
	e.waitForProcessed(processed)
	e.notify(restricted, "redelivered-1", samDisclosure, "restricted")
	e.notify("0195f3a0-0000-7000-8000-000000000a01", "redelivered-2", samDisclosure, "rectified", "name", "Samuel Subject")

	// An erasure while the entry is on the register under its notice: lawfully refused.
	e.notify("0195f3a0-0000-7000-8000-000000000a04", "", samDisclosure, "erased")
	// A notice about a disclosure never received: acknowledged, nothing changed.
	e.notify("0195f3a0-0000-7000-8000-000000000a05", "", "0195f3a0-0000-7000-8000-0000000009ff", "erased")
	// An erasure of a decision not to publish: erased.
	notPublished := aDraft()
	notPublished["outcome"], notPublished["reasons"] = "do_not_publish", "Publicity would add nothing here."
	e.publish(pat, notPublished)
	e.notify("0195f3a0-0000-7000-8000-000000000a06", "", patDisclosure, "erased")
	processed += 3
	e.waitForProcessed(processed)

	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["name"] != "Samuel Subject" {
		t.Fatalf("register after the lift, the redeliveries and the refused erasure: %v", entries)
	}
	if n := e.Count(`SELECT count(*) FROM publication_personal_data WHERE decision_id = $1`, sam); n != 1 {
		t.Errorf("the published entry's personal data was erased")
	}
	if n := e.Count(`SELECT count(*) FROM publication_personal_data WHERE decision_id = $1`, pat); n != 0 {
		t.Errorf("personal data left after the erasure notice")
	}
	for action, want := range map[string]int{"decision.rights.rectified": 1, "decision.rights.restricted": 1,
		"decision.rights.restriction_lifted": 1, "decision.rights.erased": 0} {
		if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = $2`, "publication:"+sam, action); n != want {
			t.Errorf("%s recorded %d times on the published decision, want %d", action, n, want)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'decision.rights.erased'`, "publication:"+pat); n != 1 {
		t.Errorf("%d erasures recorded on the decision not to publish, want 1", n)
	}
	if n := e.Count(`SELECT count(*) FROM processed_events WHERE consumer = 'internal-publication-service'`); n != processed {
		t.Errorf("%d processed events, want %d (one per event id)", n, processed)
	}
	if got := dead.All(); len(got) != 0 {
		t.Errorf("dead letters: %s", testkit.Subjects(got))
	}
}
