package service_test

import (
	"reflect"
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/domain"
)

// Retention runs from closure (the notice's 6+1 years: the year the case closed in and six
// more, so it ends on 1 January): on that day the sweep deletes the debtor's personal rows
// and consents and keeps the anonymous case, payments and audit trail; a legal hold keeps a
// case until released; a case left open runs from the year it is finally returned in.
func TestRetentionErasesPersonalDataUnlessHeld(t *testing.T) {
	e := newEnv(t)
	erasedEvents := e.Collect("DEBT_EVENTS", "debt.events.erased")
	paid := e.referOne("maidstone-council-tax", "CT-R1", 100000)
	held := e.referOne("maidstone-council-tax", "CT-R2", 100000)
	late := e.referOne("maidstone-council-tax", "CT-R3", 100000)
	e.Must(200, "POST", "/cases/"+paid+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency"})
	e.Must(200, "POST", "/cases/"+paid+"/payments", e.officer(), map[string]any{"amount_pence": 107500})
	e.Must(200, "POST", "/cases/"+held+"/recall", e.client("maidstone-council-tax"), nil)
	problemOf(t, e.Call("PUT", "/cases/"+held+"/legal-hold", e.officer(), map[string]any{"reason": "x"}), 403, "forbidden")
	c := e.Must(200, "PUT", "/cases/"+held+"/legal-hold", e.manager(), map[string]any{"reason": "Debtor's claim against the council in the county court"})
	if c["legal_hold"] != true || c["retention_due"] != "2033-01-01" || c["returned"].(map[string]any)["reason"] != "recalled" {
		t.Fatalf("held: %v %v %v", c["legal_hold"], c["retention_due"], c["returned"])
	}
	problemOf(t, e.Call("PUT", "/cases/"+held+"/legal-hold", e.manager(), map[string]any{"reason": "again"}), 409, "conflict")

	e.Clock.Set(time.Date(2032, 12, 31, 23, 0, 0, 0, time.UTC)) // 23:00 GMT: still 31 December in London
	// The case left open went past its 12 months long ago: returned now, in 2032, so kept to
	// the end of 2038.
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 1))
	e.Clock.Set(time.Date(2033, 1, 1, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("retention", 1))
	assertSwept(t, e.sweep(t), sweptOnly("retention", 0))

	c = e.Must(200, "GET", "/cases/"+paid, e.manager(), nil)
	wantDebtor := map[string]any{"names": []any{}, "address": "", "phone": "", "email": "", "vehicle_registration": "", "employment": "",
		"reported_vulnerability": "", "vulnerability_nature": ""}
	if c["erased"] != true || !reflect.DeepEqual(c["debtor"], wantDebtor) || len(c["consents"].([]any)) != 0 ||
		c["debt_pence"] != float64(100000) || c["status"] != "paid" || len(c["payments"].([]any)) != 1 {
		t.Fatalf("erased case: erased %v debtor %v consents %v", c["erased"], c["debtor"], c["consents"])
	}
	counts := map[string]int{}
	for table, q := range map[string]string{
		"personal": `SELECT count(*) FROM debt_personal_data`, "consents": `SELECT count(*) FROM debt_consents`,
		"cases": `SELECT count(*) FROM debt_cases`, "payments": `SELECT count(*) FROM debt_payments`,
	} {
		var n int
		if err := e.DB.Get(&n, q); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	if !reflect.DeepEqual(counts, map[string]int{"personal": 2, "consents": 0, "cases": 3, "payments": 1}) {
		t.Fatalf("rows after erasure %v", counts)
	}
	// The anonymous figures stay: the client's remittance for March 2026 is as it was.
	rem := e.Must(200, "GET", "/remittance?from=2026-03-01&to=2026-03-31", e.client("maidstone-council-tax"), nil)["total"].(map[string]any)
	if rem["debt_pence"] != float64(100000) || rem["fees_pence"] != float64(7500) || rem["payments"] != float64(1) {
		t.Fatalf("remittance after erasure %v", rem)
	}
	if err := audit.Verify(t.Context(), e.DB, "debt_case:"+paid); err != nil {
		t.Fatalf("audit chain after erasure: %v", err)
	}
	ev := testkit.Decode(t, erasedEvents.WaitFor(t, 1)[0])
	if ev["case_id"] != paid || ev["status"] != "paid" {
		t.Fatalf("erased event %v", ev)
	}
	// Nothing that needs the personal data can happen any more.
	for _, tc := range []struct {
		method, path string
		body         map[string]any
	}{
		{"POST", "/cases/" + paid + "/disclosures", map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"}},
		{"PUT", "/cases/" + paid + "/legal-hold", map[string]any{"reason": "late claim"}},
		{"POST", "/cases/" + paid + "/consents", map[string]any{"recipient": "debt-advice-agency"}},
	} {
		before := e.snapshot()
		if p := problemOf(t, e.Call(tc.method, tc.path, e.manager(), tc.body), 409, "conflict"); p["rule"] != "erased" {
			t.Errorf("%s %s on an erased case: %v", tc.method, tc.path, p)
		}
		if after := e.snapshot(); !reflect.DeepEqual(after, before) {
			t.Errorf("%s %s on an erased case changed the database", tc.method, tc.path)
		}
	}
	if c := e.Must(200, "GET", "/cases/"+held, e.manager(), nil); c["erased"] != false || c["debtor"].(map[string]any)["address"] != "1 High Street, Maidstone ME14 1AA" {
		t.Fatalf("held case: %v %v", c["erased"], c["debtor"])
	}
	if c := e.Must(200, "GET", "/cases/"+late, e.manager(), nil); c["erased"] != false || c["retention_due"] != "2039-01-01" {
		t.Fatalf("late case: %v %v", c["erased"], c["retention_due"])
	}

	// Released, the held case is erased at the next sweep.
	e.Must(200, "DELETE", "/cases/"+held+"/legal-hold", e.manager(), nil)
	assertSwept(t, e.sweep(t), sweptOnly("retention", 1))
	if c := e.Must(200, "GET", "/cases/"+held, e.manager(), nil); c["erased"] != true || c["legal_hold"] != false {
		t.Fatalf("released case: %v %v", c["erased"], c["legal_hold"])
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "DEBT_EVENTS", "debt.events.erased"); n != 2 {
		t.Fatalf("%d erased events, want 2", n)
	}
}

// The source's "kept for 6+1 years" is the year the case closes in plus six (the notice's
// words; the rights service reads "10 years (plus the current year)" the same way): a case
// closed on 2 January or on 30 December 2026 is kept to 31 December 2032 and erased by the
// sweep on 1 January 2033, never later. The notice's period, which its engine counts from
// closure, ends within what the service keeps.
func TestRetentionIsTheYearOfClosurePlusSix(t *testing.T) {
	e := newEnvOn(t, nil, nil, calendar.NewManualClock(time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)), domain.BuiltInSchedules())
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n"+
		"CT-Y1,2025-12-01,LO-Y1,Ann Early,1 Mill Lane,50000\nCT-Y2,2025-12-01,LO-Y2,Bob Late,2 Mill Lane,50000\n", "")
	var ids []string
	for _, row := range r.JSON(t)["rows"].([]any) {
		ids = append(ids, row.(map[string]any)["case_id"].(string))
	}
	if len(ids) != 2 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	e.Must(200, "POST", "/cases/"+ids[0]+"/recall", e.client("maidstone-council-tax"), nil)
	closedLate := time.Date(2026, 12, 30, 10, 0, 0, 0, time.UTC)
	e.Clock.Set(closedLate)
	e.Must(200, "POST", "/cases/"+ids[1]+"/recall", e.client("maidstone-council-tax"), nil)
	for what, id := range map[string]string{"closed on 2 January 2026": ids[0], "closed on 30 December 2026": ids[1]} {
		c := e.Must(200, "GET", "/cases/"+id, e.manager(), nil)
		if c["status"] != "returned" || c["retention_due"] != "2033-01-01" {
			t.Errorf("%s: %v, retention due %v, want 2033-01-01", what, c["status"], c["retention_due"])
		}
	}

	e.Clock.Set(time.Date(2032, 12, 31, 23, 59, 0, 0, time.UTC)) // still 31 December 2032 in London
	assertSwept(t, e.sweep(t), sweptOnly("retention", 0))
	e.Clock.Set(time.Date(2033, 1, 1, 0, 1, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("retention", 2))

	data, err := contracts.Notice("debt")
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.RetentionFor("case", notice.RetentionFacts{})
	if err != nil {
		t.Fatal(err)
	}
	if ends := calendar.DateOf(p.AddTo(closedLate)); ends.After(calendar.NewDate(2032, 12, 31)) {
		t.Errorf("the notice's period (%s) from 30 December 2026 ends %s, past the end of 2032", p.Computation, ends)
	}
}
