package service_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// A complaint the council answered at stage 1 or 2 and the complainant took no further is
// closed by the sweep 12 months after the response (the 12 months beginning with the day
// of the response, from the calendar), with the controlled reason no_further_contact, so
// its retention runs from that closure as from an officer's.

func (e *env) closeNoFurtherContact(t *testing.T) int {
	t.Helper()
	n, err := e.svc.App.CloseNoFurtherContact(context.Background(), 100)
	if err != nil {
		t.Fatalf("close after no further contact: %v", err)
	}
	return n
}

// respondedAtStage1 logs, acknowledges and answers a complaint now.
func (e *env) respondedAtStage1(t *testing.T, officer string) string {
	t.Helper()
	id := e.Must(http.StatusCreated, "POST", "/complaints", officer, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", officer, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", officer, map[string]any{"outcome": "not_upheld", "summary": "No fault found."})
	return id
}

// closures lists the closure entries of a complaint's audit trail.
func closures(c map[string]any) []map[string]any {
	var out []map[string]any
	for _, h := range c["history"].([]any) {
		if entry := h.(map[string]any); entry["action"] == "complaint.closed" {
			out = append(out, entry)
		}
	}
	return out
}

// checkClosedNoFurtherContact checks a complaint the sweep closed at closedAt.
func checkClosedNoFurtherContact(t *testing.T, c map[string]any, closedAt, retentionDue, periodDueDate string) {
	t.Helper()
	if c["status"] != "closed" || c["closure_reason"] != "no_further_contact" || c["closed_at"] != closedAt || c["retention_due"] != retentionDue {
		t.Fatalf("closed: status %v reason %v closed_at %v retention_due %v", c["status"], c["closure_reason"], c["closed_at"], c["retention_due"])
	}
	entries := closures(c)
	if len(entries) != 1 {
		t.Fatalf("%d closure audit entries, want 1: %v", len(entries), entries)
	}
	entry := entries[0]
	detail := entry["detail"].(map[string]any)
	period, _ := detail["no_further_contact_period"].(map[string]any)
	if entry["actor"] != "system:no-further-contact" || entry["at"] != closedAt || detail["reason"] != "no_further_contact" ||
		detail["after_response"] != true || detail["retention_due"] != retentionDue || period == nil ||
		period["rule"] != "months_beginning_with" || period["amount"] != 12.0 || period["due_date"] != periodDueDate || period["description"] == "" {
		t.Fatalf("closure audit entry: %v", entry)
	}
}

func TestStage1ResponseNotPursuedIsClosedAfter12Months(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	officer := func() string { return e.officer("alice") } // tokens expire as the clock moves

	// Answered on Monday 2 March 2026 (GMT): the 12 months beginning with that day end on
	// 1 March 2027.
	id := e.respondedAtStage1(t, officer())

	e.Clock.Set(time.Date(2027, 3, 1, 23, 59, 59, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("closed %d on the last day of the 12 months", n)
	}
	if c := e.Must(http.StatusOK, "GET", "/complaints/"+id, officer(), nil); c["status"] != "stage1_responded" || c["closed_at"] != nil || c["retention_due"] != nil {
		t.Fatalf("the day before: status %v closed_at %v retention_due %v", c["status"], c["closed_at"], c["retention_due"])
	}

	e.Clock.Set(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 1 {
		t.Fatalf("closed %d when the 12 months ended, want 1", n)
	}
	c := e.Must(http.StatusOK, "GET", "/complaints/"+id, officer(), nil)
	// Stage 1: retention 6 years from the closure.
	checkClosedNoFurtherContact(t, c, "2027-03-02T00:00:00Z", "2033-03-02", "2027-03-01")
	version := c["version"]

	got := domainEvents.WaitFor(t, 4)
	want := "complaints.events.stage1.received, complaints.events.stage1.acknowledged, complaints.events.stage1.responded, complaints.events.closed"
	if testkit.Subjects(got) != want {
		t.Fatalf("events:\n got %s\nwant %s", testkit.Subjects(got), want)
	}
	closed := testkit.Decode(t, got[3])
	if closed["type"] != "closed" || closed["status"] != "closed" || closed["stage"] != 1.0 || closed["complaint_id"] != id {
		t.Fatalf("closed event: %v", closed)
	}

	// Running the sweep again, then or later, changes nothing: no state, no outbox row.
	before := e.TableCounts(t)
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("second sweep closed %d", n)
	}
	e.Clock.Advance(400 * 24 * time.Hour)
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("later sweep closed %d", n)
	}
	if after := e.TableCounts(t); after["watermill_outbox"] != before["watermill_outbox"] || after["audit_log"] != before["audit_log"] {
		t.Fatalf("the later sweeps wrote %d outbox rows and %d audit entries", after["watermill_outbox"]-before["watermill_outbox"],
			after["audit_log"]-before["audit_log"])
	}
	c = e.Must(http.StatusOK, "GET", "/complaints/"+id, officer(), nil)
	if c["version"] != version || len(closures(c)) != 1 || c["closed_at"] != "2027-03-02T00:00:00Z" || c["retention_due"] != "2033-03-02" {
		t.Fatalf("after second sweep: version %v (was %v), %d closures, closed_at %v retention_due %v",
			c["version"], version, len(closures(c)), c["closed_at"], c["retention_due"])
	}
	if n := len(domainEvents.All()); n != 4 {
		t.Fatalf("%d events after the second sweep, want 4", n)
	}
}

func TestStage2ResponseNotPursuedIsClosedAfter12Months(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	alice := func() string { return e.officer("alice") }
	bob := func() string { return e.officer("bob") }

	id := e.respondedAtStage1(t, alice())
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/escalate", alice(), map[string]any{"further_details": "Still missed.", "handler": "bob"})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob(), nil)
	// Answered at stage 2 on Thursday 2 April 2026, 11:00 London (BST): the 12 months end on
	// 1 April 2027, so the complaint is closed at the London midnight that starts 2 April.
	e.Clock.Set(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC))
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", bob(), map[string]any{"outcome": "upheld", "summary": "Fault found."})

	e.Clock.Set(time.Date(2027, 4, 1, 22, 59, 59, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("closed %d on the last day of the 12 months", n)
	}
	if c := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice(), nil); c["status"] != "stage2_responded" || c["closed_at"] != nil {
		t.Fatalf("the day before: status %v closed_at %v", c["status"], c["closed_at"])
	}

	e.Clock.Set(time.Date(2027, 4, 1, 23, 0, 0, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 1 {
		t.Fatalf("closed %d when the 12 months ended, want 1", n)
	}
	c := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice(), nil)
	// Stage 2: retention 6 years from the London day of closure, 2 April 2027.
	checkClosedNoFurtherContact(t, c, "2027-04-01T23:00:00Z", "2033-04-02", "2027-04-01")
	if c["stage"] != 2.0 {
		t.Fatalf("stage %v", c["stage"])
	}
	got := domainEvents.WaitFor(t, 7)
	want := "complaints.events.stage1.received, complaints.events.stage1.acknowledged, complaints.events.stage1.responded, " +
		"complaints.events.stage2.received, complaints.events.stage2.acknowledged, complaints.events.stage2.responded, complaints.events.closed"
	if testkit.Subjects(got) != want {
		t.Fatalf("events:\n got %s\nwant %s", testkit.Subjects(got), want)
	}
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("second sweep closed %d", n)
	}
}

func TestComplaintEscalatedOrChangedAfterResponseIsNotClosedAt12Months(t *testing.T) {
	e := newEnv(t)
	alice := func() string { return e.officer("alice") }

	// All answered on 2 March 2026.
	escalated := e.respondedAtStage1(t, alice())
	changed := e.respondedAtStage1(t, alice())
	untouched := e.respondedAtStage1(t, alice())

	// Later in the year one goes to stage 2 and another is changed (a legal hold).
	e.Clock.Set(time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC))
	e.Must(http.StatusOK, "POST", "/complaints/"+escalated+"/escalate", alice(), map[string]any{"further_details": "Still missed.", "handler": "bob"})
	e.Must(http.StatusOK, "PUT", "/complaints/"+changed+"/legal-hold", e.manager("morgan"), map[string]any{"reason": "Pending county court claim."})

	e.Clock.Set(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 1 {
		t.Fatalf("closed %d, want only the untouched one", n)
	}
	for id, status := range map[string]string{escalated: "stage2_received", changed: "stage1_responded", untouched: "closed"} {
		c := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice(), nil)
		if c["status"] != status {
			t.Errorf("%s: status %v, want %s", id, c["status"], status)
		}
		if status != "closed" && (c["closed_at"] != nil || c["retention_due"] != nil || len(closures(c)) != 0) {
			t.Errorf("%s: closed_at %v retention_due %v closures %v", id, c["closed_at"], c["retention_due"], closures(c))
		}
	}
	// The changed one's 12 months run from its change (1 September 2026): still open on the
	// last day, closed the next; the escalated one awaits its stage 2 response.
	e.Clock.Set(time.Date(2027, 8, 31, 22, 59, 59, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("closed %d before 12 months from the change", n)
	}
	e.Clock.Set(time.Date(2027, 8, 31, 23, 0, 0, 0, time.UTC)) // 1 September 2027, 00:00 BST
	if n := e.closeNoFurtherContact(t); n != 1 {
		t.Fatalf("closed %d 12 months after the change, want 1", n)
	}
	checkClosedNoFurtherContact(t, e.Must(http.StatusOK, "GET", "/complaints/"+changed, alice(), nil),
		"2027-08-31T23:00:00Z", "2033-09-01", "2027-08-31")
	if c := e.Must(http.StatusOK, "GET", "/complaints/"+escalated, alice(), nil); c["status"] != "stage2_received" {
		t.Fatalf("escalated: %v", c["status"])
	}
}

func TestComplaintClosedForNoFurtherContactMayStillBeReferredToOmbudsman(t *testing.T) {
	e := newEnv(t)
	alice := func() string { return e.officer("alice") }
	id := e.respondedAtStage1(t, alice())

	e.Clock.Set(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 1 {
		t.Fatalf("closed %d, want 1", n)
	}
	c := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice(), nil)
	if c["status"] != "closed" || c["closure_reason"] != "no_further_contact" {
		t.Fatalf("closed: %v %v", c["status"], c["closure_reason"])
	}
	allowed := c["allowed_actions"].([]any)
	var mayRefer bool
	for _, a := range allowed {
		mayRefer = mayRefer || a == "refer_lgo"
	}
	if !mayRefer {
		t.Fatalf("allowed actions after closure: %v", allowed)
	}

	e.Clock.Set(time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC))
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice(), stage3Referral("2026-03-02", false))
	if c["status"] != "stage3_referred" || c["closed_at"] != nil || c["retention_due"] != nil {
		t.Fatalf("referred after closure: status %v closed_at %v retention_due %v", c["status"], c["closed_at"], c["retention_due"])
	}
	// With the Ombudsman it is no longer awaiting the complainant: the sweep leaves it.
	e.Clock.Set(time.Date(2028, 6, 1, 10, 0, 0, 0, time.UTC))
	if n := e.closeNoFurtherContact(t); n != 0 {
		t.Fatalf("closed %d referred complaints", n)
	}
}
