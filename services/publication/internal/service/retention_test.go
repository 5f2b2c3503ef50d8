package service_test

import (
	"fmt"
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
