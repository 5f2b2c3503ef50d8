package service_test

import (
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// TestExactlyOneDecisionPerConviction redelivers the same disclosure past the stream's
// duplicate window (new Nats-Msg-Id, same event id), replays it under a new event id, and
// again after a restart: one decision, one received event.
func TestExactlyOneDecisionPerConviction(t *testing.T) {
	e := newEnv(t)
	received := e.Collect("PUBLICATION_EVENTS", "publication.events.conviction.received")
	const disclosure = "0195f3a0-0000-7000-8000-0000000000aa"
	e.disclose(disclosure, "", aConviction())
	e.disclose(disclosure, "redelivered-1", aConviction())
	e.waitForDecisions(1)
	// A different conviction afterwards: once it is in, everything before it was applied.
	e.disclose("0195f3a0-0000-7000-8000-0000000000bb", "", aConviction())
	e.waitForDecisions(2)

	e.Shutdown()
	e = newEnvOn(t, e.DB, e.NATS, e.Clock)
	e.disclose(disclosure, "after-restart", aConviction())
	e.disclose("0195f3a0-0000-7000-8000-0000000000cc", "", aConviction())
	e.waitForDecisions(3)

	if n := e.Count(`SELECT count(*) FROM publication_decisions WHERE source = 'investigations' AND source_ref = $1`, disclosure); n != 1 {
		t.Fatalf("%d decisions for one conviction, want 1", n)
	}
	if n := e.Count(`SELECT count(*) FROM publication_decisions`); n != 3 {
		t.Fatalf("%d decisions for three convictions, want 3", n)
	}
	if n := e.Count(`SELECT count(*) FROM processed_events WHERE consumer = 'internal-publication-service'`); n != 3 {
		t.Errorf("%d processed events, want 3 (one per event id)", n)
	}
	testkit.Eventually(t, 10*time.Second, "three received events", func() (bool, string) {
		return len(received.All()) == 3, testkit.Subjects(received.All())
	})
}

// TestMalformedDisclosureIsDeadLetteredAndOpensNothing: a disclosure without a date of
// conviction is poison: it goes to the dead-letter subject with nothing opened, and the
// next one is still applied.
func TestMalformedDisclosureIsDeadLetteredAndOpensNothing(t *testing.T) {
	e := newEnv(t)
	dead := e.Collect("PUBLICATION_DEADLETTER", "deadletter.publication.>")
	bad := aConviction()
	delete(bad, "date")
	e.disclose("0195f3a0-0000-7000-8000-0000000000dd", "", bad)
	noName := aConviction()
	noName["name"] = ""
	e.disclose("0195f3a0-0000-7000-8000-0000000000de", "", noName)
	e.disclose("0195f3a0-0000-7000-8000-0000000000ee", "", aConviction())
	e.waitForDecisions(1)
	dead.WaitFor(t, 2)
	if n := e.Count(`SELECT count(*) FROM publication_decisions`); n != 1 {
		t.Fatalf("%d decisions, want only the well-formed one", n)
	}
}

// TestConvictionDisclosedBeforeFirstStartIsNotLost: the investigations service discloses a
// conviction before the publication service has ever run. Its reader, provisioned beside
// the share stream, keeps it; the first start opens exactly one decision for it.
func TestConvictionDisclosedBeforeFirstStartIsNotLost(t *testing.T) {
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	provisionInvestigations(t, n)
	clock := calendar.NewManualClock(start)
	const disclosure = "0195f3a0-0000-7000-8000-0000000000f1"
	(&env{Env: &testkit.Env{T: t, NATS: n, Clock: clock}}).disclose(disclosure, "", aConviction())

	e := newEnvOn(t, db, n, clock)
	id := e.waitForDecisions(1)[0]
	e.disclose("0195f3a0-0000-7000-8000-0000000000f2", "", aConviction())
	e.waitForDecisions(2) // once the later one is in, the early one was applied

	if n := e.Count(`SELECT count(*) FROM publication_decisions WHERE source = 'investigations' AND source_ref = $1`, disclosure); n != 1 {
		t.Fatalf("%d decisions for the early conviction, want 1", n)
	}
	d := e.Must(200, "GET", "/decisions/"+id, e.officer("olive"), nil)
	c, _ := d["conviction"].(map[string]any)
	if d["status"] != "to_decide" || c["name"] != "Sam Subject" || c["offence"] != aConviction()["offence"] {
		t.Errorf("decision from the early conviction: %v", d)
	}
	if n := e.Count(`SELECT count(*) FROM processed_events WHERE consumer = 'internal-publication-service'`); n != 2 {
		t.Errorf("%d processed events, want 2", n)
	}
}
