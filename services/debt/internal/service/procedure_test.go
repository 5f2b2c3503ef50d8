package service_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

func TestAnotherClientsCaseIsNotFoundAndAudited(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-1", 100000)
	r := e.Call("GET", "/cases/"+id, e.client("swale-council-tax"), nil)
	if r.Status != 404 || r.JSON(t)["type"] != "https://casework.dev/problems/not-found" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r = e.Call("POST", "/cases/"+id+"/recall", e.client("swale-council-tax"), nil)
	if r.Status != 404 {
		t.Fatalf("recall by another client: %d %s", r.Status, r.Body)
	}
	var attempts int
	e.DB.Get(&attempts, `SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'case.access_refused' AND actor = 'user-of-swale-council-tax'`, "debt_case:"+id)
	if attempts != 2 {
		t.Fatalf("%d audited attempts", attempts)
	}
	list := e.Must(200, "GET", "/cases", e.client("swale-council-tax"), nil)
	if items := list["items"].([]any); len(items) != 0 {
		t.Fatalf("another client's list: %v", items)
	}
	e.Must(200, "GET", "/cases/"+id, e.client("maidstone-council-tax"), nil)
}

// A case from referral to remittance: notice dates from the calendar, visit, part payment
// apportioned under reg 13, payment in full with an overpayment refunded, remittance.
func TestCaseFromReferralToRemittance(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("DEBT_EVENTS", "debt.events.>")
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	id := e.referOne("maidstone-council-tax", "CT-9", 100000)
	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	notice := c["notice_of_enforcement"].(map[string]any)
	if notice["earliest_control_date"] != "2026-03-11" || notice["control_limit_date"] != "2027-03-01" || c["fees_outstanding_pence"] != float64(7500) {
		t.Fatalf("notice %v fees %v", notice, c["fees_outstanding_pence"])
	}
	// 03:00 is refused and changes nothing.
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	r := e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-12T03:00:00Z", "outcome": "no_contact", "body_worn_video": "BWV-1"})
	if p := r.JSON(t); r.Status != 409 || p["rule"] != "visiting_hours" {
		t.Fatalf("03:00: %d %s", r.Status, r.Body)
	}
	c = e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-2"})
	if c["stage"] != "enforcement" || c["fees_outstanding_pence"] != float64(31000) {
		t.Fatalf("after the visit: %v %v", c["stage"], c["fees_outstanding_pence"])
	}
	c = e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 50000})
	p := c["payments"].([]any)[0].(map[string]any)
	if p["to_debt_pence"] != float64(34413) || p["to_fees_pence"].(map[string]any)["compliance"] != float64(7500) ||
		p["to_fees_pence"].(map[string]any)["enforcement"] != float64(8087) {
		t.Fatalf("worked example over HTTP: %v", p)
	}
	// 65,587 debt + 15,413 fee left = 81,000; 90,000 pays it all and 9,000 is refunded.
	c = e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 90000})
	p = c["payments"].([]any)[1].(map[string]any)
	if c["status"] != "paid" || p["refund_pence"] != float64(9000) || c["returned"].(map[string]any)["reason"] != "paid" || c["retention_due"] != "2033-01-01" {
		t.Fatalf("paid: %v %v %v %v", c["status"], p, c["returned"], c["retention_due"])
	}
	rem := e.Must(200, "GET", "/remittance?from=2026-03-01&to=2026-03-31", e.client("maidstone-council-tax"), nil)
	total := rem["total"].(map[string]any)
	if total["debt_pence"] != float64(100000) || total["fees_pence"] != float64(31000) || total["refunded_pence"] != float64(9000) ||
		total["collected_pence"] != float64(131000) || total["payments"] != float64(2) {
		t.Fatalf("remittance %v", total)
	}
	want := []string{"debt.events.case.referred", "debt.events.visit.recorded", "debt.events.payment.received", "debt.events.payment.received"}
	got := events.WaitFor(t, 4)
	if s := testkit.Subjects(got); s != strings.Join(want, ", ") {
		t.Fatalf("events %s", s)
	}
	last := testkit.Decode(t, got[3])
	if last["returned"] != "paid" || last["status"] != "paid" || last["case_id"] != id {
		t.Fatalf("last event %v", last)
	}
	// No personal value on status or domain events: not the name, address or any amount.
	for _, m := range append(got, status.WaitFor(t, 4)...) {
		raw := string(m.Data())
		for _, personal := range []string{"Dora", "High Street", "ME14", "100000", "50000", "34413"} {
			if strings.Contains(raw, personal) {
				t.Fatalf("%s carries %q: %s", m.Subject(), personal, raw)
			}
		}
		var v map[string]any
		if err := json.Unmarshal(m.Data(), &v); err != nil {
			t.Fatal(err)
		}
	}
	// The case is closed: nothing moves it any more.
	r = e.Call("POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 100})
	if r.Status != 409 || r.JSON(t)["type"] != "https://casework.dev/problems/illegal-transition" {
		t.Fatalf("payment on a paid case: %d %s", r.Status, r.Body)
	}
}
