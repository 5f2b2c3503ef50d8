package service_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// Issue 8's kinds over every writing route of the debt service: each request below is
// refused with its exact problem and changes no table.
func TestEveryWritingRouteRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-K", 100000)
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)) // past the notice period
	c := "/cases/" + id
	missing := "/cases/00000000-0000-4000-8000-000000000000"
	oversized := `{"nature":"` + strings.Repeat("a", 70<<10) + `"}`
	visit := func(at string) string {
		return `{"at":"` + at + `","outcome":"no_contact","body_worn_video":"BWV-1"}`
	}
	bad := func(name, method, path, body string, status int, problem string, pointers ...string) testkit.BadInput {
		b := testkit.BadInput{Name: name, Method: method, Path: path, Status: status, Problem: problem, Pointers: pointers}
		if body != "" {
			b.Body = body
		}
		return b
	}
	office := []testkit.BadInput{
		bad("malformed JSON", "POST", c+"/payments", `{"amount_pence":`, 400, "malformed-json"),
		bad("unknown field", "POST", c+"/arrangement", `{"first_due":"2026-04-01","amount_pence":60000,"count":3,"frequency":"monthly","interest":1}`, 400, "validation", "/interest"),
		bad("duplicate key", "POST", c+"/return", `{"reason":"nulla_bona","reason":"trace_failed"}`, 400, "duplicate-key", "/reason"),
		bad("oversized body", "POST", c+"/vulnerability", oversized, 413, "body-too-large"),
		bad("U+0000 in a vulnerability's nature", "POST", c+"/vulnerability", `{"nature":"grief\u0000"}`, 400, "validation", "/nature"),
		bad("an unpaired surrogate in a consent's recipient", "POST", c+"/consents", `{"recipient":"debt-advice\ud800"}`, 400, "validation", "/recipient"),
		bad("an impossible first instalment date", "POST", c+"/arrangement", `{"first_due":"2026-02-30","amount_pence":60000,"count":3,"frequency":"monthly"}`, 400, "validation", "/first_due"),
		bad("an impossible payment time", "POST", c+"/payments", `{"amount_pence":500,"received_at":"2026-03-32T10:00:00Z"}`, 400, "validation", "/received_at"),
		bad("a payment received before the case was referred", "POST", c+"/payments", `{"amount_pence":500,"received_at":"1999-01-01T10:00:00Z"}`, 400, "validation", "/received_at"),
		bad("a payment on an unknown case", "POST", missing+"/payments", `{"amount_pence":500}`, 404, "not-found"),
		bad("a consent on an unknown case", "POST", missing+"/consents", `{"recipient":"debt-advice-agency"}`, 404, "not-found"),
		bad("a disclosure on an unknown case", "POST", missing+"/disclosures", `{"recipient":"courts","purpose":"court_proceedings"}`, 404, "not-found"),
		bad("a return of an unknown case", "POST", missing+"/return", `{"reason":"nulla_bona"}`, 404, "not-found"),
		bad("an officer recording a visit", "POST", c+"/visits", visit("2026-03-12T09:00:00Z"), 403, "forbidden"),
		bad("an officer recalling for a client", "POST", c+"/recall", "", 403, "forbidden"),
		bad("an officer setting a legal hold", "PUT", c+"/legal-hold", `{"reason":"claim"}`, 403, "forbidden"),
	}
	field := []testkit.BadInput{
		bad("an impossible visit time", "POST", c+"/visits", visit("2026-02-30T10:00:00Z"), 400, "validation", "/at"),
		bad("a visit before the case was referred", "POST", c+"/visits", visit("1999-03-12T10:00:00Z"), 400, "validation", "/at"),
		bad("a sale on an unknown case", "POST", missing+"/sale", `{"proceeds_pence":5000,"sold_at":"2026-03-12T09:00:00Z"}`, 404, "not-found"),
		bad("a visit on an unknown case", "POST", missing+"/visits", visit("2026-03-12T09:00:00Z"), 404, "not-found"),
		bad("U+0000 in a body-worn video reference", "POST", c+"/visits", `{"at":"2026-03-12T09:00:00Z","outcome":"no_contact","body_worn_video":"BWV\u0000"}`, 400, "validation", "/body_worn_video"),
		bad("an agent recording a payment", "POST", c+"/payments", `{"amount_pence":500}`, 403, "forbidden"),
		bad("an agent returning a case", "POST", c+"/return", `{"reason":"nulla_bona"}`, 403, "forbidden"),
	}
	manager := []testkit.BadInput{
		bad("U+0000 in a legal hold's reason", "PUT", c+"/legal-hold", `{"reason":"claim\u0000"}`, 400, "validation", "/reason"),
		bad("a legal hold on an unknown case", "PUT", missing+"/legal-hold", `{"reason":"claim"}`, 404, "not-found"),
		bad("a withdrawal on an unknown case", "DELETE", missing+"/consents/debt-advice-agency", "", 404, "not-found"),
	}
	client := []testkit.BadInput{
		bad("a recall of an unknown case", "POST", missing+"/recall", "", 404, "not-found"),
		bad("a client recording a payment", "POST", c+"/payments", `{"amount_pence":500}`, 403, "forbidden"),
		{Name: "a referral file for an unknown client", Method: "POST", Path: "/referrals?client=no-such-client", Body: "client_reference\n",
			Headers: []string{"Content-Type", "text/csv"}, Status: 400, Problem: "validation", Pointers: []string{"param:client"}},
	}
	e.RefusesBadInput(t, e.officer(), office)
	e.RefusesBadInput(t, e.agent(), field)
	e.RefusesBadInput(t, e.manager(), manager)
	e.RefusesBadInput(t, e.officer(), client[2:])
	e.RefusesBadInput(t, e.client("maidstone-council-tax"), client[:2])
	if got := e.Must(200, "GET", c, e.officer(), nil); got["version"] != float64(1) {
		t.Fatalf("the case moved: version %v", got["version"])
	}
}

// With the database unreachable a read and a write answer 503 with Retry-After, like an
// outage and not like a bug, and /readyz says so; when it is back they go through.
func TestADatabaseOutageAnswers503WithRetryAfter(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-O", 100000)
	before := e.TableCounts(t)
	restore := testkit.CutDatabase(t, e.DB)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/cases/" + id, nil},
		{"GET", "/cases", nil},
		{"POST", "/cases/" + id + "/payments", map[string]any{"amount_pence": 500}},
	} {
		r := e.Call(c.method, c.path, e.officer(), c.body)
		p := testkit.ProblemOf(t, r, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable)
		if p["detail"] != "the database is unavailable; try again later" || p["dependency"] != "database" || r.Header.Get("Retry-After") != "5" {
			t.Errorf("%s %s: %v, Retry-After %q", c.method, c.path, p, r.Header.Get("Retry-After"))
		}
	}
	ready := e.Call("GET", "/readyz", "", nil)
	if p := testkit.ProblemOf(t, ready, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable); p["detail"] != "database unavailable" ||
		ready.Header.Get("Retry-After") != "5" {
		t.Errorf("readyz: %s", ready.Body)
	}
	restore()
	if after := e.TableCounts(t); !reflect.DeepEqual(before, after) {
		t.Fatalf("rows changed during the outage: before %v, after %v", before, after)
	}
	testkit.Eventually(t, 10*time.Second, "ready again", func() (bool, string) {
		r := e.Call("GET", "/readyz", "", nil)
		return r.Status == http.StatusOK, string(r.Body)
	})
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 500})
}

// No value of the debtor's reaches the domain or status events of a case taken through
// referral, vulnerability, visit, payment and return.
func TestEventsCarryNoPersonalData(t *testing.T) {
	e := newEnv(t)
	events, status := e.Collect("DEBT_EVENTS", "debt.events.>"), e.Collect("DEBT_STATUS", "status.debt.>")
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence,phone,email,vehicle_registration,employment,vulnerability\n" +
		"CT-P,2026-01-10,LO-CT-P,Dora Debtor,\"1 High Street, Maidstone ME14 1AA\",7654321,07700 900123,dora@example.org,KX19 ABC,Baker,hearing loss\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", file, "")
	id := r.JSON(t)["rows"].([]any)[0].(map[string]any)["case_id"].(string)
	e.Must(200, "POST", "/cases/"+id+"/vulnerability", e.officer(), map[string]any{"nature": "recently bereaved"})
	e.Must(200, "POST", "/cases/"+id+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": true, "continue_enforcement": true})
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 1234567})
	e.Must(200, "POST", "/cases/"+id+"/return", e.officer(), map[string]any{"reason": "trace_failed"})
	// The amounts have seven digits: a shorter number turns up by chance in the events' ids.
	personal := []string{"Dora", "Debtor", "High Street", "ME14 1AA", "07700 900123", "dora@example.org", "KX19 ABC", "Baker",
		"hearing loss", "bereaved", "LO-CT-P", "7654321", "1234567"}
	testkit.NoPersonalData(t, "domain events", events.WaitFor(t, 5), personal...)
	testkit.NoPersonalData(t, "status events", status.WaitFor(t, 5), personal...)
}

// A client's file without its header row: the first debtor's name is read where a column
// heading was expected, and the refusal names it back to the client, but never to the
// service's log (debug level included).
func TestARefusedFileDoesNotLogWhatItHeld(t *testing.T) {
	e := newEnv(t)
	r := e.upload(e.client("maidstone-council-tax"), "text/csv",
		"Dora Debtor,\"1 High Street, Maidstone ME14 1AA\",CT-9,2026-01-10,LO-9,1000\n", "")
	if r.Status != 400 || !strings.Contains(string(r.Body), "Dora Debtor") {
		t.Fatalf("a file without its header: %d %s", r.Status, r.Body)
	}
	if logged := e.logs.String(); strings.Contains(logged, "Dora") || strings.Contains(logged, "High Street") {
		t.Errorf("the refused file's content reached the log:\n%s", logged)
	}
}
