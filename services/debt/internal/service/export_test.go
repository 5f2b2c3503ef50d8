package service_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// The debtor's subject access export holds what the agency holds about the debt's course:
// every fee (one not recoverable under reg 12, with why), the payments and how each was
// apportioned, the arrangement, the agents' visits (when and with what outcome, not who
// went) and the vulnerability flag and its review; no staff names. The council that
// referred the debt is sent the payments and the recoverable fees (financial_information),
// never a fee whose not being recoverable says the debtor is vulnerable.
func TestExportAndClientReportCarryFeesAndPayments(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.maidstone-borough-council.>")
	id := e.referOne("maidstone-council-tax", "CT-X1", 100000)
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-X1"})
	e.Must(200, "POST", "/cases/"+id+"/vulnerability", e.officer(), map[string]any{"nature": nature})
	e.Must(200, "POST", "/cases/"+id+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": false, "continue_enforcement": true})
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 10000})
	e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-04-06", "amount_pence": 40000, "count": 3, "frequency": "monthly"})

	rec := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-x", RecordIDs: []string{id}}).Records
	if len(rec) != 1 {
		t.Fatalf("records %+v", rec)
	}
	held := rec[0].Held
	reg12 := "the debtor is vulnerable and was not given an adequate opportunity to get assistance and advice (Fees Regulations 2014 reg 12)"
	wantFees := []any{
		map[string]any{"stage": "compliance", "charged_on": "2026-03-02", "sum_to_recover_pence": float64(100000), "fixed_pence": float64(7500),
			"percent_pence": float64(0), "total_pence": float64(7500), "paid_pence": float64(7500), "recoverable": true},
		map[string]any{"stage": "enforcement", "charged_on": "2026-03-12", "sum_to_recover_pence": float64(100000), "fixed_pence": float64(23500),
			"percent_pence": float64(0), "total_pence": float64(23500), "paid_pence": float64(0), "recoverable": false, "not_recoverable": reg12},
	}
	if !reflect.DeepEqual(held["fees"], wantFees) {
		t.Errorf("fees\n got %v\nwant %v", held["fees"], wantFees)
	}
	payments, _ := held["payments"].([]any)
	if len(payments) != 1 {
		t.Fatalf("payments %v", held["payments"])
	}
	pay := payments[0].(map[string]any)
	if pay["amount_pence"] != float64(10000) || pay["received_at"] != "2026-03-12T10:00:00Z" || pay["source"] != "payment" ||
		pay["to_debt_pence"] != float64(2500) || !reflect.DeepEqual(pay["to_fees_pence"], map[string]any{"compliance": float64(7500)}) {
		t.Errorf("payment %v", pay)
	}
	if want := []any{map[string]any{"n": float64(1), "at": "2026-03-12T09:30:00Z", "outcome": "no_contact"}}; !reflect.DeepEqual(held["visits"], want) {
		t.Errorf("visits\n got %v\nwant %v", held["visits"], want)
	}
	wantVuln := map[string]any{"flagged_on": "2026-03-12", "acute": false, "pending_review": false, "reviewed_on": "2026-03-12", "advice_opportunity_given": false}
	if !reflect.DeepEqual(held["vulnerability"], wantVuln) || held["vulnerability_nature"] != nature {
		t.Errorf("vulnerability %v nature %v", held["vulnerability"], held["vulnerability_nature"])
	}
	arr, _ := held["arrangement"].(map[string]any)
	if arr == nil || arr["made_on"] != "2026-03-12" || arr["defaulted"] != false || len(arr["instalments"].([]any)) != 3 ||
		!reflect.DeepEqual(arr["instalments"].([]any)[0], map[string]any{"n": float64(1), "due_date": "2026-04-06", "amount_pence": float64(40000), "missed": false}) {
		t.Errorf("arrangement %v", held["arrangement"])
	}
	// Staff are other people: neither the agent nor the officers are named.
	raw := string(mustJSON(t, rec[0]))
	for _, staff := range []string{"arthur", "olive", "BWV-X1"} {
		if strings.Contains(raw, staff) {
			t.Errorf("the export names %q: %s", staff, raw)
		}
	}

	// The return to the client carries the payments and the recoverable fees only.
	d := e.Must(201, "POST", "/cases/"+id+"/disclosures", e.officer(), map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"})
	if !strings.Contains(strings.Join(fieldsOf(d), ","), "debtor_names,fees,order_date") || !strings.Contains(strings.Join(fieldsOf(d), ","), "outstanding_pence,payments,reference") {
		t.Errorf("fields %v", d["fields"])
	}
	msg := share.WaitFor(t, 1)[0]
	data := testkit.Decode(t, msg)["data"].(map[string]any)
	wantClientFees := []any{map[string]any{"stage": "compliance", "charged_on": "2026-03-02", "sum_to_recover_pence": float64(100000),
		"fixed_pence": float64(7500), "percent_pence": float64(0), "total_pence": float64(7500), "paid_pence": float64(7500)}}
	if !reflect.DeepEqual(data["fees"], wantClientFees) {
		t.Errorf("fees sent to the client\n got %v\nwant %v", data["fees"], wantClientFees)
	}
	if sent, _ := data["payments"].([]any); len(sent) != 1 || !reflect.DeepEqual(sent[0], payments[0]) {
		t.Errorf("payments sent to the client %v", data["payments"])
	}
	if s := string(msg.Data()); strings.Contains(s, "reg 12") || strings.Contains(s, "23500") || strings.Contains(s, "recoverable") {
		t.Errorf("the client learns of the vulnerability: %s", s)
	}
}

func fieldsOf(d map[string]any) []string {
	var out []string
	for _, f := range d["fields"].([]any) {
		out = append(out, f.(string))
	}
	return out
}
