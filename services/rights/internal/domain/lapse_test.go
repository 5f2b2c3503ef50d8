package domain

import (
	"errors"
	"strings"
	"testing"

	"casework.dev/contracts/rights"
)

// waitingForIdentity is Ann's request received on day, her proof of identity not yet seen:
// the clock stops for it at once.
func waitingForIdentity(t *testing.T, day string) (*Request, Actor) {
	t.Helper()
	a := actorAt(t, testCalendar(t), day)
	in := aRequest(KindAccess, a.Now)
	in.IdentityMethod = ""
	r, _, err := Received(in, a)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusClockStopped || r.Awaiting != AwaitingIdentity {
		t.Fatalf("received: %s awaiting %q", r.Status, r.Awaiting)
	}
	return r, a
}

// A request waiting for the requester lapses three calendar months after it was asked
// for, London days, counted as the calendar counts months (from 30 November, the last day
// of February), not a minute before; it is closed as lapsed, what never came recorded, and
// kept 2 years from the day it lapsed.
func TestARequestWaitingForTheRequesterLapsesThreeMonthsOn(t *testing.T) {
	r, a := waitingForIdentity(t, "2026-11-30 10:00")
	if got := r.LapseDay().String(); got != "2027-02-28" {
		t.Fatalf("lapse day %s, want 2027-02-28", got)
	}
	var rule *RuleError
	if _, err := r.Lapse(2, actorAt(t, a.Cal, "2027-02-27 23:59")); !errors.As(err, &rule) || rule.Rule != "requester_awaited" ||
		!strings.Contains(rule.Detail, "lapses on 2027-02-28") || r.Status != StatusClockStopped || r.Closed != nil {
		t.Fatalf("lapsed a minute early: %v, %s", err, r.Status)
	}
	if _, ok := r.LapseDue(2, actorAt(t, a.Cal, "2027-02-27 23:59")); ok {
		t.Fatal("the sweep lapsed a request a minute early")
	}
	sweep := actorAt(t, a.Cal, "2027-02-28 00:00")
	sweep.Officer = "system:retention-sweep"
	e, ok := r.LapseDue(2, sweep)
	if !ok {
		t.Fatal("not lapsed on the day")
	}
	if r.Status != StatusLapsed || !r.IsClosed() || r.Awaiting != AwaitingIdentity || r.RetentionDue.String() != "2029-02-28" {
		t.Errorf("lapsed: %s awaiting %q kept to %s", r.Status, r.Awaiting, r.RetentionDue)
	}
	if c := r.Closed; c == nil || c.Outcome != StatusLapsed || c.Ground != "" || c.By != "system:retention-sweep" || !c.At.Equal(sweep.Now) {
		t.Errorf("closure %+v", r.Closed)
	}
	if e.Type != "request.lapsed" || e.Detail["awaited"] != "identity" || e.Detail["asked_on"] != "2026-11-30" ||
		e.Detail["lapsed_on"] != "2027-02-28" || e.Detail["retention_due"] != "2029-02-28" {
		t.Errorf("event %+v", e)
	}
	if _, ok := r.LapseDue(2, sweep); ok {
		t.Error("lapsed twice")
	}
}

// However late the sweep comes, the retention runs from the day the request lapsed, and
// the request is erased on the day it ends.
func TestALateLapseKeepsTheRequestFromTheDayItLapsed(t *testing.T) {
	r, a := waitingForIdentity(t, "2026-03-09 09:00")
	if _, err := r.Lapse(2, actorAt(t, a.Cal, "2027-01-15 12:00")); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusLapsed || r.RetentionDue.String() != "2028-06-09" {
		t.Fatalf("late lapse: %s kept to %s, want to 2028-06-09", r.Status, r.RetentionDue)
	}
	if _, ok := r.Erase(actorAt(t, a.Cal, "2028-06-08 23:59")); ok || r.Erased() {
		t.Fatal("erased before its retention ended")
	}
	e, ok := r.Erase(actorAt(t, a.Cal, "2028-06-09 00:00"))
	if !ok || e.Type != "request.erased" || r.Requester != (Person{}) || r.Subject.Name != "" || r.Details != "" {
		t.Errorf("not erased on the day: %v %+v", ok, r.Requester)
	}
}

// What the council asked for, arriving before the request lapses, restarts the month as it
// always did; arriving from the lapse day on, or once the request lapsed, it is refused
// naming the lapse.
func TestWhatArrivesAfterTheLapseIsRefused(t *testing.T) {
	r, a := waitingForIdentity(t, "2026-03-09 09:00")
	in := Restart{ReceivedAt: london(t, "2026-06-09 08:30"), IdentityMethod: "passport seen"}
	var rule *RuleError
	if _, err := r.RestartClock(in, actorAt(t, a.Cal, "2026-06-09 09:00")); !errors.As(err, &rule) || rule.Rule != "request_lapsed" ||
		!strings.Contains(rule.Detail, "lapsed on 2026-06-09") || r.Status != StatusClockStopped {
		t.Fatalf("arrived on the lapse day, not yet swept: %v", err)
	}
	if _, err := r.Lapse(2, actorAt(t, a.Cal, "2026-06-09 10:00")); err != nil {
		t.Fatal(err)
	}
	rule = nil
	if _, err := r.RestartClock(in, actorAt(t, a.Cal, "2026-06-09 11:00")); !errors.As(err, &rule) || rule.Rule != "request_lapsed" ||
		!strings.Contains(rule.Detail, "proof of identity was asked for on 2026-03-09") || r.Status != StatusLapsed {
		t.Fatalf("restarted a lapsed request: %v", err)
	}
	var tr *TransitionError
	if _, err := r.Refuse("identity_not_confirmed", "never came", 2, actorAt(t, a.Cal, "2026-06-09 11:00")); !errors.As(err, &tr) {
		t.Errorf("refused a lapsed request: %v", err)
	}

	onTime, b := waitingForIdentity(t, "2026-03-09 09:00")
	if _, err := onTime.RestartClock(Restart{ReceivedAt: london(t, "2026-06-08 23:59"), IdentityMethod: "passport seen"},
		actorAt(t, b.Cal, "2026-06-10 09:00")); err != nil || onTime.Status != StatusOpen || onTime.Deadline.DueDate.String() != "2026-07-08" {
		t.Fatalf("arrived the day before it lapsed: %v %s due %s", err, onTime.Status, onTime.Deadline.DueDate)
	}
	if _, ok := onTime.LapseDue(2, actorAt(t, b.Cal, "2026-06-10 09:00")); ok || onTime.Status != StatusOpen {
		t.Error("a request whose clock runs again lapsed")
	}
}

// A request whose month runs never lapses, however long it has run; nor does one the
// services are still acting on, until they have answered.
func TestOnlyARequestWaitingForTheRequesterLapses(t *testing.T) {
	cal := testCalendar(t)
	a := actorAt(t, cal, "2026-03-09 09:00")
	running, _, err := Received(aRequest(KindAccess, a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	var tr *TransitionError
	if _, err := running.Lapse(2, actorAt(t, cal, "2027-03-09 09:00")); !errors.As(err, &tr) || running.Status != StatusOpen || running.Closed != nil {
		t.Errorf("a running request lapsed: %v %s", err, running.Status)
	}
	if _, ok := running.LapseDue(2, actorAt(t, cal, "2027-03-09 09:00")); ok {
		t.Error("the sweep lapsed a running request")
	}

	acting, _, err := Received(aRequest(KindAccess, a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	acting.Phase, acting.Action = PhaseActioning, newFanOut(rights.Export, []string{"complaints"}, a.Now)
	if _, err := acting.StopClock(AwaitingClarification, a); err != nil {
		t.Fatal(err)
	}
	var rule *RuleError
	if _, err := acting.Lapse(2, actorAt(t, cal, "2026-06-09 09:00")); !errors.As(err, &rule) || rule.Rule != "services_acting" {
		t.Errorf("lapsed while the services act: %v", err)
	}
	if _, _, err := acting.RecordAnswer(rights.Export, "complaints", Answer{Records: []rights.Record{}}, actorAt(t, cal, "2026-06-09 09:00")); err != nil {
		t.Fatal(err)
	}
	if _, err := acting.Lapse(2, actorAt(t, cal, "2026-06-09 10:00")); err != nil || acting.Status != StatusLapsed {
		t.Errorf("not lapsed once the services answered: %v %s", err, acting.Status)
	}
}
