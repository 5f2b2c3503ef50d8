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

// A token may carry a staff role beside a client's; on a route that admits it only through
// the client's role it is that client's user, never staff. The recall is always the
// client's: without a client named it is refused (403), another client's case is not found
// (404, the attempt audited), and its own case is recalled and answered as the client reads
// it. So are the referral upload, the remittance statement and the statistics, which an
// agent may not use as staff: its own client's only. Every refusal changes no case.
func TestAStaffRoleBesideTheClientsNeverMakesAClientStaff(t *testing.T) {
	e := newEnv(t)
	own := e.referOne("maidstone-council-tax", "CT-M1", 100000)
	other := e.referOne("swale-council-tax", "SW-M1", 100000)
	nameless := e.Token("arthur", "enforcement_agent", "debt_client")
	agentClient := e.Token("maid-agent", "enforcement_agent", "debt_client", "debt_client:maidstone-council-tax")
	officerClient := e.Token("maid-officer", "enforcement_officer", "debt_client", "debt_client:maidstone-council-tax")

	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+other+"/recall", nameless, nil), 403, "forbidden")
	if p["detail"] != "a client's token must name its client in a role debt_client:<client id>" {
		t.Fatalf("recall naming no client: %v", p)
	}
	problemOf(t, e.Call("GET", "/remittance?client=swale-council-tax", nameless, nil), 403, "forbidden")
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused recall changed the database")
	}

	cases := func() string {
		var s string
		if err := e.DB.Get(&s, `SELECT string_agg(status || ':' || version, ',' ORDER BY reference) FROM debt_cases`); err != nil {
			t.Fatal(err)
		}
		return s
	}
	was := cases()
	for who, token := range map[string]string{"maid-agent": agentClient, "maid-officer": officerClient} {
		problemOf(t, e.Call("POST", "/cases/"+other+"/recall", token, nil), 404, "not-found")
		if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'case.access_refused' AND actor = $2`, "debt_case:"+other, who); n != 1 {
			t.Errorf("%s: %d audited attempts on another client's case", who, n)
		}
	}
	if now := cases(); now != was {
		t.Fatalf("another client's recall changed a case: %s, was %s", now, was)
	}

	r := e.Call("POST", "/cases/"+own+"/recall", agentClient, nil)
	c := r.JSON(t)
	wantCase := []string{"client_id", "client_reference", "debt_outstanding_pence", "debt_pence", "debt_type", "debtor", "erased",
		"fees", "fees_outstanding_pence", "id", "order", "payments", "reference", "referred_at", "returned", "stage", "status", "version"}
	if r.Status != 200 || !reflect.DeepEqual(keysOf(c), wantCase) || c["status"] != "returned" || c["returned"].(map[string]any)["reason"] != "recalled" {
		t.Fatalf("recall of its own case: %d %s", r.Status, r.Body)
	}

	// The remittance statement, the statistics and a referral: its own client's only.
	p = problemOf(t, e.Call("GET", "/remittance?client=swale-council-tax", agentClient, nil), 400, "validation")
	if got := pointersOf(p); !reflect.DeepEqual(got, []string{"param:client"}) {
		t.Fatalf("another client's remittance: %v", got)
	}
	if rem := e.Must(200, "GET", "/remittance", agentClient, nil); rem["client_id"] != "maidstone-council-tax" {
		t.Fatalf("remittance of %v", rem["client_id"])
	}
	for _, cell := range e.Must(200, "GET", "/statistics", agentClient, nil)["cells"].([]any) {
		if cell.(map[string]any)["client_id"] != "maidstone-council-tax" {
			t.Errorf("statistics of another client: %v", cell)
		}
	}
	if cells := e.Must(200, "GET", "/statistics", e.officer(), nil)["cells"].([]any); len(cells) != 2 {
		t.Fatalf("staff's statistics: %v", cells)
	}
	before = e.snapshot()
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\nSW-M2,2026-01-10,LO-M2,Eve Other,9 Far Lane,50000\n"
	p = problemOf(t, e.upload(agentClient, "text/csv", file, "?client=swale-council-tax"), 400, "validation")
	if got := pointersOf(p); !reflect.DeepEqual(got, []string{"param:client"}) {
		t.Fatalf("a referral for another client: %v", got)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused referral changed the database")
	}
}
