package service_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRetentionDeletesThePersonalDataRow: 6 years after the entry came down (the notice's
// choice) the sweep deletes the offender's personal data row and keeps the anonymous facts;
// not a day before.
func TestRetentionDeletesThePersonalDataRow(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000a01", "", aConviction())
	id := e.waitForDecisions(1)[0]
	e.publish(id, aDraft())
	d := e.Must(200, "POST", "/decisions/"+id+"/appeal", e.officer("olive"), map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court"})
	if d["retention_due"] != "2032-03-02" {
		t.Fatalf("retention due %v, want 6 years from the takedown", d["retention_due"])
	}
	e.Clock.Set(time.Date(2032, 3, 1, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 0 {
		t.Fatalf("a day early: erased %d (%v)", n, err)
	}
	e.Clock.Set(time.Date(2032, 3, 2, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("on the day: erased %d (%v)", n, err)
	}
	if n := e.Count(`SELECT count(*) FROM publication_personal_data WHERE decision_id = $1`, id); n != 0 {
		t.Errorf("%d personal data rows left", n)
	}
	got := e.Must(200, "GET", "/decisions/"+id, e.manager("maria"), nil)
	if got["erased"] != true || got["conviction"] != nil || got["draft"] != nil || got["status"] != "conviction_quashed" || got["reference"] == "" {
		t.Errorf("erased decision: %v", got)
	}
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 0 {
		t.Errorf("a second sweep erased %d (%v)", n, err)
	}
}

// TestUndecidedConvictionIsErasedAYearAfterReceipt: the notice keeps a conviction not yet
// decided for 1 year from receipt. Each decision to make carries that date from its
// receipt, whether drafted or not; one approved to publish no longer does (it is kept from
// its end); and the sweep erases the undecided ones on the day, not before.
func TestUndecidedConvictionIsErasedAYearAfterReceipt(t *testing.T) {
	e := newEnv(t)
	for i := range 3 {
		e.disclose(fmt.Sprintf("0195f3a0-0000-7000-8000-0000000021%02d", i), "", aConviction())
	}
	ids := e.waitForDecisions(3)
	toDecide, awaiting, published := ids[0], ids[1], ids[2]
	e.Must(200, "POST", "/decisions/"+awaiting+"/draft", e.officer("olive"), aDraft())
	for _, id := range []string{toDecide, awaiting} {
		if d := e.Must(200, "GET", "/decisions/"+id, e.officer("olive"), nil); d["retention_due"] != "2027-03-02" {
			t.Fatalf("%s (%v) kept until %v, want 2027-03-02", id, d["status"], d["retention_due"])
		}
	}
	if d := e.publish(published, aDraft()); d["retention_due"] != nil {
		t.Fatalf("published, kept until %v", d["retention_due"])
	}

	e.Clock.Set(time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 0 {
		t.Fatalf("a day early: erased %d (%v)", n, err)
	}
	e.Clock.Set(time.Date(2027, 3, 2, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 2 {
		t.Fatalf("on the day: erased %d (%v), want the two undecided", n, err)
	}
	for _, id := range []string{toDecide, awaiting} {
		d := e.Must(200, "GET", "/decisions/"+id, e.manager("maria"), nil)
		// Lapsed, not left to_decide or awaiting_approval, which the managers' board showed open.
		if d["erased"] != true || d["status"] != "lapsed" || d["conviction"] != nil || d["draft"] != nil || len(d["allowed_actions"].([]any)) != 0 {
			t.Errorf("undecided after its retention: %v", d)
		}
	}
	if n := e.Count(`SELECT count(*) FROM publication_decisions WHERE status = 'lapsed'`); n != 2 {
		t.Errorf("%d lapsed decisions stored, want 2", n)
	}
	if n := e.Count(`SELECT count(*) FROM publication_personal_data WHERE decision_id = $1`, published); n != 1 {
		t.Errorf("the published decision's personal data was erased")
	}
}

// TestNoDecisionOnceTheUndecidedRetentionHasEnded: on the day the retention of a conviction
// not yet decided ends (1 year from receipt), before the hourly sweep has erased it, a
// manager cannot approve it (which would publish, and keep, data the notice says is deleted)
// nor an officer draft it: 409 with rule erased, nothing changed; the sweep then erases it.
func TestNoDecisionOnceTheUndecidedRetentionHasEnded(t *testing.T) {
	e := newEnv(t)
	for i := range 2 {
		e.disclose(fmt.Sprintf("0195f3a0-0000-7000-8000-0000000023%02d", i), "", aConviction())
	}
	ids := e.waitForDecisions(2)
	awaiting, toDecide := "/decisions/"+ids[0], "/decisions/"+ids[1]
	draft := aDraft()
	draft["sentence"] = map[string]any{"type": "community_order", "ends_on": "2028-02-19"} // not spent in 2027
	e.Must(200, "POST", awaiting+"/draft", e.officer("olive"), draft)

	e.Clock.Set(time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC))
	before := e.TableCounts(t)
	p := e.Must(409, "POST", awaiting+"/approve", e.manager("maria"), nil)
	if p["type"] != "https://casework.dev/problems/conflict" || p["rule"] != "erased" || !strings.Contains(p["detail"].(string), "ended on 2027-03-02") {
		t.Errorf("approving after the retention ended: %v", p)
	}
	if p := e.Must(409, "POST", toDecide+"/draft", e.officer("olive"), draft); p["rule"] != "erased" {
		t.Errorf("drafting after the retention ended: %v", p)
	}
	if after := e.TableCounts(t); after["watermill_outbox"] != before["watermill_outbox"] || after["disclosure_log"] != before["disclosure_log"] {
		t.Errorf("the refusals wrote: before %v, after %v", before, after)
	}
	d := e.Must(200, "GET", awaiting, e.manager("maria"), nil)
	if d["status"] != "awaiting_approval" || d["published_on"] != nil || d["retention_due"] != "2027-03-02" || len(e.registerJSON()) != 0 {
		t.Fatalf("after the refusal: %v", d)
	}
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 2 {
		t.Fatalf("the sweep erased %d (%v), want 2", n, err)
	}
	if d := e.Must(200, "GET", awaiting, e.manager("maria"), nil); d["status"] != "lapsed" || d["erased"] != true {
		t.Errorf("after the sweep: %v", d)
	}
}

// TestLateTakedownSweepKeepsRetentionFromThePlannedDay: the entry leaves the register on
// its planned day (2026-04-02, a month after publication) whenever the sweep runs; a sweep
// three days late (the service was down) records the takedown, and the decision is kept 6
// years from that day, not from the sweep.
func TestLateTakedownSweepKeepsRetentionFromThePlannedDay(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000002401", "", aConviction())
	id := e.waitForDecisions(1)[0]
	if on, _ := takedownOf(e.publish(id, aDraft())); on != "2026-04-02" {
		t.Fatalf("takedown planned on %s", on)
	}
	e.Clock.Set(time.Date(2026, 4, 5, 10, 0, 0, 0, time.UTC))
	if len(e.registerJSON()) != 0 {
		t.Fatal("the entry is still on the register after its day")
	}
	if n, err := e.svc.App.SweepTakedowns(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("swept %d (%v)", n, err)
	}
	d := e.Must(200, "GET", "/decisions/"+id, e.manager("maria"), nil)
	if tk, _ := d["taken_down"].(map[string]any); d["status"] != "taken_down" || tk["kind"] != "publication_period" || d["retention_due"] != "2032-04-02" {
		t.Errorf("after a late sweep: status %v, taken down %v, retention %v; want kept until 2032-04-02", d["status"], d["taken_down"], d["retention_due"])
	}
}
