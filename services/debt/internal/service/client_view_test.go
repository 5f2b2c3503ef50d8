package service_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// A client council's user reads its cases cut down to the notice's return_to_client
// categories (debtor_name, debtor_address, financial_information, court_proceedings,
// case_record): never the debtor's phone, email, employment or vehicle, nothing about a
// vulnerability (its nature, the flag, the hold, a fee not recoverable under reg 12), the
// agents' visits, consents, legal holds or the audit trail. GET /cases/{id}, GET /cases and
// the recall's answer alike; staff still read the whole case.
func TestClientReadsOnlyTheNoticesCategories(t *testing.T) {
	e := newEnv(t)
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence,phone,email,employment,vehicle_registration,vulnerability\n" +
		"CT-V1,2026-01-10,LO-V1,Dora Debtor,\"1 High Street, Maidstone ME14 1AA\",100000,07700 900123,dora@example.org,Acme Widgets,AB12 CDE,\n" +
		"CT-V2,2026-01-11,LO-V2,Eve Other,\"9 Far Lane, Maidstone ME14 2BB\",50000,07700 900999,eve@example.org,,,\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", file, "")
	if r.Status != 200 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	rows := r.JSON(t)["rows"].([]any)
	id, held := rows[0].(map[string]any)["case_id"].(string), rows[1].(map[string]any)["case_id"].(string)

	// An enforcement visit, then a vulnerability found with no advice opportunity: the
	// enforcement fee is not recoverable (reg 12). The other case is held pending review.
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-7"})
	e.Must(200, "POST", "/cases/"+id+"/vulnerability", e.officer(), map[string]any{"nature": "recently bereaved"})
	e.Must(200, "POST", "/cases/"+id+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": false, "continue_enforcement": true})
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 10000})
	e.Must(200, "POST", "/cases/"+held+"/vulnerability", e.officer(), map[string]any{"nature": "serious illness"})

	staff := e.Must(200, "GET", "/cases/"+id, e.manager(), nil)
	if staff["debtor"].(map[string]any)["phone"] != "07700 900123" || staff["debtor"].(map[string]any)["vulnerability_nature"] != "recently bereaved" ||
		len(staff["visits"].([]any)) != 1 || len(staff["fees"].([]any)) != 2 || staff["history"] == nil {
		t.Fatalf("staff's view of the case: %v", staff)
	}

	maidstone := e.client("maidstone-council-tax")
	wantCase := []string{"client_id", "client_reference", "debt_outstanding_pence", "debt_pence", "debt_type", "debtor", "erased",
		"fees", "fees_outstanding_pence", "id", "order", "payments", "reference", "referred_at", "stage", "status", "version"}
	forbidden := []string{"07700", "example.org", "Acme", "AB12", "bereaved", "illness", "vulnerab", "arthur", "BWV-7", "olive", "mona", "history", "visits"}
	noneOf := func(what string, r testkit.Response) {
		t.Helper()
		for _, v := range forbidden {
			if strings.Contains(string(r.Body), v) {
				t.Errorf("%s: %q is in the client's answer: %s", what, v, r.Body)
			}
		}
	}

	got := e.Call("GET", "/cases/"+id, maidstone, nil)
	c := got.JSON(t)
	if got.Status != 200 || !reflect.DeepEqual(keysOf(c), wantCase) {
		t.Fatalf("client's case: %d keys %v, want %v", got.Status, keysOf(c), wantCase)
	}
	noneOf("GET /cases/{id}", got)
	if d := c["debtor"].(map[string]any); !reflect.DeepEqual(d, map[string]any{"names": []any{"Dora Debtor"}, "address": "1 High Street, Maidstone ME14 1AA"}) {
		t.Errorf("client's debtor: %v", d)
	}
	if !reflect.DeepEqual(c["order"], map[string]any{"kind": "liability_order", "date": "2026-01-10", "reference": "LO-V1"}) ||
		c["stage"] != "enforcement" || c["status"] != "enforcement" || c["client_reference"] != "CT-V1" || c["debt_pence"] != float64(100000) ||
		c["debt_outstanding_pence"] != staff["debt_outstanding_pence"] || c["fees_outstanding_pence"] != staff["fees_outstanding_pence"] ||
		len(c["payments"].([]any)) != 1 {
		t.Errorf("client's case: %v", c)
	}
	// Only the recoverable fee: the one not recoverable says the debtor is vulnerable.
	if fees := c["fees"].([]any); len(fees) != 1 || fees[0].(map[string]any)["stage"] != "compliance" {
		t.Errorf("client's fees: %v", fees)
	}

	// The list: no vulnerability hold for the client; staff still see it.
	list := e.Call("GET", "/cases", maidstone, nil)
	items := list.JSON(t)["items"].([]any)
	wantSummary := []string{"client_id", "client_reference", "debt_type", "erased", "id", "reference", "referred_at", "stage", "status"}
	if list.Status != 200 || len(items) != 2 || !reflect.DeepEqual(keysOf(items[1].(map[string]any)), wantSummary) {
		t.Fatalf("client's list: %d %s", list.Status, list.Body)
	}
	noneOf("GET /cases", list)
	if s := e.Must(200, "GET", "/cases", e.manager(), nil)["items"].([]any); s[1].(map[string]any)["vulnerability_hold"] != true {
		t.Errorf("staff's list lost the hold: %v", s)
	}

	// The recall answers the client's view too.
	recalled := e.Call("POST", "/cases/"+held+"/recall", maidstone, nil)
	rc := recalled.JSON(t)
	if recalled.Status != 200 || !reflect.DeepEqual(keysOf(rc), slices.Sorted(slices.Values(append(slices.Clone(wantCase), "returned")))) ||
		!reflect.DeepEqual(rc["returned"], map[string]any{"reason": "recalled", "at": "2026-03-12T10:00:00Z"}) {
		t.Fatalf("recall: %d %s", recalled.Status, recalled.Body)
	}
	noneOf("POST /cases/{id}/recall", recalled)
}
