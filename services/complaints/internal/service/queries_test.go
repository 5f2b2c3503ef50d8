package service_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// queriesPeople are the complainants of the query tests; no list or statistic may show them.
var queriesPeople = []map[string]any{
	{"name": "Alan Turing", "email": "alan@example.org"},
	{"name": "Barbara Liskov", "email": "barbara@example.org"},
	{"name": "Claude Shannon", "email": "claude@example.org"},
	{"name": "Donald Knuth", "email": "donald@example.org"},
	{"name": "Edsger Dijkstra", "email": "edsger@example.org"},
}

// queriesComplaint is a complaint by the i-th person about service.
func queriesComplaint(i int, service string) map[string]any {
	p := queriesPeople[i%len(queriesPeople)]
	return map[string]any{"complainant": p, "details": fmt.Sprintf("Complaint number %d by %s.", i, p["name"]),
		"service": service, "channel": "web"}
}

// queriesNoPersonalData fails when a body carries any complainant's name, e-mail or details.
func queriesNoPersonalData(t testing.TB, what string, body []byte) {
	t.Helper()
	for _, p := range queriesPeople {
		sharingNoPersonalData(t, what, body, p["name"].(string), p["email"].(string))
	}
	sharingNoPersonalData(t, what, body, "Complaint number", "complainant", "details")
}

// queriesList lists with the query and returns the references in order and next_after.
func queriesList(e *env, token, query string) ([]string, any) {
	e.T.Helper()
	r := e.Call("GET", "/complaints?"+query, token, nil)
	if r.Status != http.StatusOK {
		e.T.Fatalf("GET /complaints?%s: %d %s", query, r.Status, r.Body)
	}
	queriesNoPersonalData(e.T, "the list "+query, r.Body)
	m := r.JSON(e.T)
	var refs []string
	for _, it := range m["items"].([]any) {
		refs = append(refs, it.(map[string]any)["reference"].(string))
	}
	return refs, m["next_after"]
}

func queriesRef(n int) string { return fmt.Sprintf("CMP-2026-%06d", n) }

func queriesRefs(ns ...int) []string {
	var out []string
	for _, n := range ns {
		out = append(out, queriesRef(n))
	}
	return out
}

func TestQueriesListFilters(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.officer("alice"), e.officer("bob"), e.officer("carol")
	ids := make([]string, 5)
	log := func(i int, service string, extra map[string]any) {
		body := queriesComplaint(i, service)
		for k, v := range extra {
			body[k] = v
		}
		c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
		if c["reference"] != queriesRef(i+1) {
			t.Fatalf("reference %v, want %s", c["reference"], queriesRef(i+1))
		}
		ids[i] = c["id"].(string)
	}
	// 1: waste, alice, received. 2: waste, bob, acknowledged. 3: planning, escalated to carol.
	// 4: planning, bob, closed. 5: parking, alice, received the Friday before.
	log(0, "waste", nil)
	log(1, "waste", map[string]any{"handler": "bob"})
	log(2, "planning", nil)
	log(3, "planning", map[string]any{"handler": "bob"})
	log(4, "parking", map[string]any{"received_at": "2026-02-27T09:00:00Z"})
	e.Must(http.StatusOK, "POST", "/complaints/"+ids[1]+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+ids[2]+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+ids[2]+"/respond", alice, map[string]any{"outcome": "not_upheld", "summary": "No fault."})
	e.Must(http.StatusOK, "POST", "/complaints/"+ids[2]+"/escalate", alice, map[string]any{"further_details": "Please look again.", "handler": "carol"})
	e.Must(http.StatusOK, "POST", "/complaints/"+ids[3]+"/close", bob, map[string]any{"reason": "Withdrawn by the complainant."})

	cases := []struct {
		query string
		want  []string
	}{
		{"", queriesRefs(1, 2, 3, 4, 5)},
		{"status=stage1_received", queriesRefs(1, 5)},
		{"status=closed", queriesRefs(4)},
		{"stage=2", queriesRefs(3)},
		{"stage=1", queriesRefs(1, 2, 4, 5)},
		{"service=planning", queriesRefs(3, 4)},
		{"service=waste&status=stage1_acknowledged", queriesRefs(2)},
		{"service=housing", nil},
		{"officer=alice", queriesRefs(1, 5)}, // 3 is at stage 2, where carol handles it
		{"officer=bob", queriesRefs(2, 4)},
		{"officer=carol", queriesRefs(3)},
		// Acknowledge by Friday 6 March (5), Monday 9 March (1, 3); respond by 16 March (2).
		{"due_before=" + url.QueryEscape("2026-03-07T00:00:00Z"), nil}, // strictly before
		{"due_before=" + url.QueryEscape("2026-03-07T00:00:01Z"), queriesRefs(5)},
		{"due_before=" + url.QueryEscape("2026-03-10T00:00:00Z"), queriesRefs(5)},
		{"due_before=" + url.QueryEscape("2026-03-10T00:00:01Z"), queriesRefs(1, 3, 5)},
		{"due_before=" + url.QueryEscape("2026-03-20T00:00:00Z"), queriesRefs(1, 2, 3, 5)},
		{"overdue=true", nil},
		{"overdue=false", queriesRefs(1, 2, 3, 4, 5)},
	}
	for _, tc := range cases {
		if got, _ := queriesList(e, alice, tc.query); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("GET /complaints?%s = %q, want %q", tc.query, got, tc.want)
		}
	}

	// One summary in full, and the closed case with no running deadline.
	r := e.Call("GET", "/complaints?service=planning", carol, nil)
	items := r.JSON(t)["items"].([]any)
	wantEscalated := map[string]any{"id": ids[2], "reference": queriesRef(3), "stage": 2.0, "status": "stage2_received", "service": "planning",
		"channel": "web", "handler": "carol", "received_at": "2026-03-02T10:00:00Z", "next_due_at": "2026-03-10T00:00:00Z",
		"next_due": "stage2.acknowledge", "overdue": false, "legal_hold": false, "erased": false}
	wantClosed := map[string]any{"id": ids[3], "reference": queriesRef(4), "stage": 1.0, "status": "closed", "service": "planning",
		"channel": "web", "handler": "bob", "received_at": "2026-03-02T10:00:00Z", "next_due_at": nil,
		"next_due": "", "overdue": false, "legal_hold": false, "erased": false}
	if !reflect.DeepEqual(items, []any{wantEscalated, wantClosed}) {
		t.Fatalf("planning items:\n got %#v\nwant %#v", items, []any{wantEscalated, wantClosed})
	}

	// Paging by reference.
	page, next := queriesList(e, alice, "limit=2")
	if !reflect.DeepEqual(page, queriesRefs(1, 2)) || next != queriesRef(2) {
		t.Fatalf("page 1: %q next %v", page, next)
	}
	page, next = queriesList(e, alice, "limit=2&after="+queriesRef(2))
	if !reflect.DeepEqual(page, queriesRefs(3, 4)) || next != queriesRef(4) {
		t.Fatalf("page 2: %q next %v", page, next)
	}
	page, next = queriesList(e, alice, "limit=2&after="+queriesRef(4))
	if !reflect.DeepEqual(page, queriesRefs(5)) || next != nil {
		t.Fatalf("page 3: %q next %v", page, next)
	}
	page, next = queriesList(e, alice, "limit=2&after="+queriesRef(5))
	if page != nil || next != nil {
		t.Fatalf("past the end: %q next %v", page, next)
	}

	// Overdue moves with the clock: Tuesday 10 March, the acknowledgements of 1, 3, 5 are late.
	e.Clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	alice = e.officer("alice") // tokens follow the service clock
	for query, want := range map[string][]string{
		"overdue=true":                       queriesRefs(1, 3, 5),
		"overdue=false":                      queriesRefs(2, 4),
		"overdue=true&service=waste":         queriesRefs(1),
		"overdue=true&stage=2&officer=carol": queriesRefs(3),
		// Every spelling the contract's boolean takes means what it says (TRUE was read as false).
		"overdue=TRUE": queriesRefs(1, 3, 5),
		"overdue=1":    queriesRefs(1, 3, 5),
		"overdue=F":    queriesRefs(2, 4),
		// An offset PostgreSQL cannot take (past ±15:59) is the same instant in UTC (it was a 500).
		"due_before=" + url.QueryEscape("2026-03-10T23:00:01+23:00"): queriesRefs(1, 3, 5),
	} {
		if got, _ := queriesList(e, alice, query); !reflect.DeepEqual(got, want) {
			t.Errorf("on 10 March GET /complaints?%s = %q, want %q", query, got, want)
		}
	}
	r = e.Call("GET", "/complaints?overdue=true&limit=1", alice, nil)
	first := r.JSON(t)["items"].([]any)[0].(map[string]any)
	if first["reference"] != queriesRef(1) || first["overdue"] != true || first["next_due"] != "stage1.acknowledge" || first["next_due_at"] != "2026-03-10T00:00:00Z" {
		t.Fatalf("overdue summary: %#v", first)
	}
	// Tuesday 17 March: 2's testkit.Response (due Monday 16 March) is late too; 4 is closed, never late.
	e.Clock.Set(time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC))
	alice = e.officer("alice")
	if got, _ := queriesList(e, alice, "overdue=true"); !reflect.DeepEqual(got, queriesRefs(1, 2, 3, 5)) {
		t.Fatalf("on 17 March overdue = %q", got)
	}

	// Parameters outside the contract are refused, naming the parameter.
	for _, query := range []string{"status=lost", "stage=4", "limit=0", "limit=501", "overdue=perhaps", "due_before=tomorrow", "after=garbage"} {
		r := e.Call("GET", "/complaints?"+query, alice, nil)
		name, _, _ := strings.Cut(query, "=")
		if r.Status != http.StatusBadRequest {
			t.Errorf("GET /complaints?%s: %d %s", query, r.Status, r.Body)
			continue
		}
		p := r.JSON(t)
		errs, _ := p["errors"].([]any)
		if p["type"] != "https://casework.dev/problems/validation" || len(errs) != 1 || errs[0].(map[string]any)["parameter"] != name {
			t.Errorf("GET /complaints?%s: %s", query, r.Body)
		}
	}
}

func TestQueriesGetShowsHistoryAndAuditsEachRead(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.officer("alice"), e.officer("bob"), e.officer("carol")
	body := queriesComplaint(1, "waste")
	body["handler"] = "bob"
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)
	e.Clock.Advance(time.Hour)
	bob = e.officer("bob")
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob, nil)

	carol = e.officer("carol")
	got := e.Must(http.StatusOK, "GET", "/complaints/"+id, carol, nil)
	if got["complainant"].(map[string]any)["name"] != "Barbara Liskov" || got["details"] != "Complaint number 1 by Barbara Liskov." {
		t.Fatalf("complaint personal data: %v %v", got["complainant"], got["details"])
	}
	wantHistory := []any{
		map[string]any{"seq": 1.0, "at": "2026-03-02T10:00:00Z", "actor": "alice", "action": "complaint.stage1.received",
			"detail": map[string]any{"channel": "web", "service": "waste", "handler": "bob", "acknowledge_due_date": "2026-03-09", "consents": 0.0}},
		map[string]any{"seq": 2.0, "at": "2026-03-02T11:00:00Z", "actor": "bob", "action": "complaint.stage1.acknowledged",
			"detail": map[string]any{"on_time": true, "respond_due_date": "2026-03-16"}},
		// The read that produced this answer is already in the trail.
		map[string]any{"seq": 3.0, "at": "2026-03-02T11:00:00Z", "actor": "carol", "action": "complaint.read", "detail": map[string]any{}},
	}
	if !reflect.DeepEqual(got["history"], wantHistory) {
		t.Fatalf("history:\n got %#v\nwant %#v", got["history"], wantHistory)
	}

	// Each read appends one audit row naming the reader, on the case's chain.
	e.Clock.Advance(time.Minute)
	mary := e.manager("mary")
	got = e.Must(http.StatusOK, "GET", "/complaints/"+id, mary, nil)
	if h := got["history"].([]any); len(h) != 4 {
		t.Fatalf("second read sees %d history entries", len(h))
	}
	var rows []struct {
		Seq     int64     `db:"seq"`
		At      time.Time `db:"at"`
		Actor   string    `db:"actor"`
		Action  string    `db:"action"`
		Subject string    `db:"subject"`
	}
	if err := e.DB.Select(&rows, `SELECT seq, at, actor, action, subject FROM audit_log WHERE chain = $1 ORDER BY seq`, "complaint:"+id); err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, r := range rows {
		trail = append(trail, fmt.Sprintf("%d %s %s %s %s", r.Seq, r.At.UTC().Format(time.RFC3339), r.Actor, r.Action, r.Subject))
	}
	wantTrail := []string{
		"1 2026-03-02T10:00:00Z alice complaint.stage1.received " + id,
		"2 2026-03-02T11:00:00Z bob complaint.stage1.acknowledged " + id,
		"3 2026-03-02T11:00:00Z carol complaint.read " + id,
		"4 2026-03-02T11:01:00Z mary complaint.read " + id,
	}
	if !reflect.DeepEqual(trail, wantTrail) {
		t.Fatalf("audit trail:\n got %q\nwant %q", trail, wantTrail)
	}
	// A list is not a read of anyone's personal data, so it is not audited per case.
	before := sharingSnapshot(e)
	queriesList(e, mary, "")
	sharingUnchanged(e, "a list", before)

	// A well-formed id that names nothing is 404 and audits nothing.
	r := e.Call("GET", "/complaints/0190f3a0-0000-7000-8000-000000000000", carol, nil)
	if p := r.JSON(t); r.Status != http.StatusNotFound || p["type"] != "https://casework.dev/problems/not-found" || p["detail"] != "no complaint with this id" {
		t.Fatalf("unknown id: %d %s", r.Status, r.Body)
	}
	// An id that is not a UUID is refused by the contract (400 naming the parameter), not 404.
	r = e.Call("GET", "/complaints/not-a-uuid", carol, nil)
	p := r.JSON(t)
	errs, _ := p["errors"].([]any)
	if r.Status != http.StatusBadRequest || p["type"] != "https://casework.dev/problems/validation" || len(errs) != 1 || errs[0].(map[string]any)["parameter"] != "id" {
		t.Fatalf("malformed id: %d %s", r.Status, r.Body)
	}
	sharingUnchanged(e, "reads of unknown and malformed ids", before)
}

func TestQueriesStatisticsSuppressSmallCounts(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	logged := func(i int, service string, receivedAt string) string {
		body := queriesComplaint(i, service)
		if receivedAt != "" {
			body["received_at"] = receivedAt
		}
		return e.Must(http.StatusCreated, "POST", "/complaints", alice, body)["id"].(string)
	}
	respond := func(id, outcome string) {
		e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": outcome, "summary": "Answered."})
	}
	logged(0, "waste", "2026-02-20T12:00:00Z") // February: outside the period asked for
	var waste, parking []string
	for i := range 6 {
		waste = append(waste, logged(i, "waste", ""))
	}
	for i := range 2 {
		parking = append(parking, logged(i, "parking", ""))
	}
	for _, id := range append(waste[:5:5], parking[0]) {
		e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	}
	for _, id := range waste[:3] {
		respond(id, "upheld") // on time
	}
	respond(parking[0], "not_upheld") // on time
	// Friday 20 March: past the testkit.Response deadline of Monday 16 March.
	e.Clock.Set(time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC))
	alice = e.officer("alice")
	respond(waste[3], "upheld")
	respond(waste[4], "upheld")
	// Received in the last hour of March in London (BST), and the first hour of April.
	e.Clock.Set(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC))
	alice = e.officer("alice")
	logged(3, "waste", "2026-03-31T22:30:00Z")
	logged(4, "parking", "2026-03-31T23:30:00Z")

	r := e.Call("GET", "/statistics?from=2026-03-01&to=2026-03-31", e.manager("mary"), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("statistics: %d %s", r.Status, r.Body)
	}
	queriesNoPersonalData(t, "the statistics", r.Body)
	got := r.JSON(t)
	seven, five := 7.0, 5.0
	want := map[string]any{
		"from": "2026-03-01T00:00:00Z", "to": "2026-03-31T23:00:00Z", "suppressed_below": 5.0,
		"received": []any{
			map[string]any{"month": "2026-03", "service": "parking", "stage": 1.0, "count": nil, "suppressed": true},
			map[string]any{"month": "2026-03", "service": "waste", "stage": 1.0, "count": seven, "suppressed": false},
		},
		"responses": []any{
			map[string]any{"month": "2026-03", "service": "parking", "stage": 1.0, "outcome": "not_upheld", "count": nil, "suppressed": true},
			// 3 on time leaves 2 late: both too small to publish.
			map[string]any{"month": "2026-03", "service": "waste", "stage": 1.0, "outcome": "upheld", "count": five, "on_time": nil, "suppressed": false},
		},
		// Totals count only cells whose on-time figure was published: with the parking
		// response in them, 6 - 5 would give away the suppressed cell, and the on-time share
		// its timeliness; with the waste cell in them, its 3 on time and 2 late.
		"on_time": []any{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("statistics:\n got %#v\nwant %#v", got, want)
	}

	// Officers may read the figures too; a month with only small counts publishes none.
	r = e.Call("GET", "/statistics?from=2026-03-01&to=2026-03-31", e.officer("alice"), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("statistics as an officer: %d %s", r.Status, r.Body)
	}
	r = e.Call("GET", "/statistics?from=2026-04-01&to=2026-04-30", e.manager("mary"), nil)
	april := r.JSON(t)
	wantApril := map[string]any{"from": "2026-03-31T23:00:00Z", "to": "2026-04-30T23:00:00Z", "suppressed_below": 5.0,
		"received":  []any{map[string]any{"month": "2026-04", "service": "parking", "stage": 1.0, "count": nil, "suppressed": true}},
		"responses": []any{}, "on_time": []any{}}
	if !reflect.DeepEqual(april, wantApril) {
		t.Fatalf("April statistics:\n got %#v\nwant %#v", april, wantApril)
	}
	r = e.Call("GET", "/statistics?from=2026-03-31&to=2026-03-01", e.manager("mary"), nil)
	if r.Status != http.StatusBadRequest || r.JSON(t)["type"] != "https://casework.dev/problems/validation" {
		t.Fatalf("reversed period: %d %s", r.Status, r.Body)
	}
}

// queriesRoute is one operation of the API with a body it would accept.
type queriesRoute struct {
	method, path string
	body         any
}

func queriesRoutes(id string) []queriesRoute {
	return []queriesRoute{
		{"POST", "/complaints", aComplaint()},
		{"GET", "/complaints", nil},
		{"GET", "/complaints/" + id, nil},
		{"POST", "/complaints/" + id + "/acknowledge", nil},
		{"POST", "/complaints/" + id + "/extend", map[string]any{"working_days": 5, "reason": "Waiting for the contractor."}},
		{"POST", "/complaints/" + id + "/respond", map[string]any{"outcome": "upheld", "summary": "Sorry."}},
		{"POST", "/complaints/" + id + "/escalate", map[string]any{"further_details": "Still unhappy.", "handler": "bob"}},
		{"POST", "/complaints/" + id + "/close", map[string]any{"reason": "Withdrawn."}},
		{"POST", "/complaints/" + id + "/consents", map[string]any{"recipient": sharingKCC}},
		{"DELETE", "/complaints/" + id + "/consents/" + sharingKCC, nil},
		{"POST", "/complaints/" + id + "/disclosures", map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"}},
		{"PUT", "/complaints/" + id + "/legal-hold", map[string]any{"reason": "Litigation."}},
		{"DELETE", "/complaints/" + id + "/legal-hold", nil},
		{"GET", "/statistics", nil},
	}
}

func TestQueriesRolesGuardEveryRoute(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	body := aComplaint()
	body["consent_to"] = []string{sharingKCC}
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)
	expired := e.officer("alice")
	e.Clock.Advance(2 * time.Hour)
	alice = e.officer("alice")
	before := sharingSnapshot(e)

	callers := []struct {
		name, token string
		status      int
		problem     string
		challenge   string
	}{
		{"no token", "", 401, "https://casework.dev/problems/unauthenticated", `Bearer realm="casework"`},
		{"not a token", "not-a-jwt", 401, "https://casework.dev/problems/unauthenticated", `Bearer realm="casework", error="invalid_token"`},
		{"expired token", expired, 401, "https://casework.dev/problems/unauthenticated", `Bearer realm="casework", error="invalid_token"`},
		{"no roles", e.Token("mallory"), 403, "https://casework.dev/problems/forbidden", ""},
		{"another service's role", e.Token("ivan", "investigations_officer", "dpo"), 403, "https://casework.dev/problems/forbidden", ""},
	}
	for _, caller := range callers {
		for _, route := range queriesRoutes(id) {
			t.Run(caller.name+" "+route.method+" "+route.path, func(t *testing.T) {
				r := e.Call(route.method, route.path, caller.token, route.body)
				if r.Status != caller.status {
					t.Fatalf("status %d, want %d: %s", r.Status, caller.status, r.Body)
				}
				p := r.JSON(t)
				if p["type"] != caller.problem {
					t.Fatalf("problem type %v, want %s", p["type"], caller.problem)
				}
				challenge := r.Header.Get("WWW-Authenticate")
				if caller.status == 401 && !strings.HasPrefix(challenge, caller.challenge) || caller.status == 403 && challenge != "" {
					t.Fatalf("WWW-Authenticate %q, want %q", challenge, caller.challenge)
				}
				if caller.status == 403 {
					roles := sharingStrings(p["required_roles"])
					if !reflect.DeepEqual(roles, []string{"complaints_officer", "complaints_manager", "complaints_lgo"}) ||
						p["detail"] != "this action needs one of the roles: complaints_officer, complaints_manager, complaints_lgo" {
						t.Fatalf("forbidden problem: %s", r.Body)
					}
				}
				queriesUnchanged(t, e, before)
			})
		}
	}

	// Legal holds are for managers: an officer is refused and nothing changes.
	for _, method := range []string{"PUT", "DELETE"} {
		var reason any
		if method == "PUT" {
			reason = map[string]any{"reason": "Litigation."}
		}
		r := e.Call(method, "/complaints/"+id+"/legal-hold", alice, reason)
		p := r.JSON(t)
		if r.Status != http.StatusForbidden || p["type"] != "https://casework.dev/problems/forbidden" ||
			!reflect.DeepEqual(sharingStrings(p["required_roles"]), []string{"complaints_manager"}) {
			t.Fatalf("officer %s legal hold: %d %s", method, r.Status, r.Body)
		}
		queriesUnchanged(t, e, before)
	}

	mary := e.manager("mary")
	held := e.Must(http.StatusOK, "PUT", "/complaints/"+id+"/legal-hold", mary, map[string]any{"reason": "Litigation."})
	wantHold := map[string]any{"reason": "Litigation.", "set_at": "2026-03-02T12:00:00Z", "set_by": "mary"}
	if !reflect.DeepEqual(held["legal_hold"], wantHold) {
		t.Fatalf("legal hold %#v", held["legal_hold"])
	}
	after := sharingSnapshot(e)
	if after.Versions != before.Versions+1 || after.Audit != before.Audit+1 || after.Outbox != before.Outbox+2 {
		t.Fatalf("setting a hold: before %+v after %+v", before, after)
	}
	if got, _ := queriesList(e, mary, ""); len(got) != 1 {
		t.Fatalf("list %q", got)
	}
	released := e.Must(http.StatusOK, "DELETE", "/complaints/"+id+"/legal-hold", mary, nil)
	if released["legal_hold"] != nil {
		t.Fatalf("released hold %#v", released["legal_hold"])
	}
}

// queriesUnchanged is sharingUnchanged reporting on a subtest's own t.
func queriesUnchanged(t *testing.T, e *env, before sharingCounts) {
	t.Helper()
	if after := sharingSnapshot(e); after != before {
		t.Fatalf("a refused request changed the database:\nbefore %+v\n after %+v", before, after)
	}
}

// An on-time figure is published only when it and the late responses it leaves are both at
// least the threshold; a total or share never includes a suppressed one.
func TestQueriesStatisticsSuppressSmallOnTimeFigures(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	var waste, parking []string
	for i := range 10 {
		waste = append(waste, e.Must(http.StatusCreated, "POST", "/complaints", alice, queriesComplaint(i, "waste"))["id"].(string))
	}
	for i := range 6 {
		parking = append(parking, e.Must(http.StatusCreated, "POST", "/complaints", alice, queriesComplaint(i, "parking"))["id"].(string))
	}
	respond := func(ids ...string) {
		for _, id := range ids {
			e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "Answered."})
		}
	}
	for _, id := range append(slices.Clone(waste), parking...) {
		e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	}
	respond(waste[:5]...)   // on time
	respond(parking[:1]...) // on time
	// Friday 20 March: past the response deadline of Monday 16 March.
	e.Clock.Set(time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC))
	alice = e.officer("alice")
	respond(waste[5:]...)
	respond(parking[1:]...)

	r := e.Call("GET", "/statistics?from=2026-03-01&to=2026-03-31", e.manager("mary"), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("statistics: %d %s", r.Status, r.Body)
	}
	got := r.JSON(t)
	ten, six, five := 10.0, 6.0, 5.0
	want := map[string]any{
		"from": "2026-03-01T00:00:00Z", "to": "2026-03-31T23:00:00Z", "suppressed_below": 5.0,
		"received": []any{
			map[string]any{"month": "2026-03", "service": "parking", "stage": 1.0, "count": six, "suppressed": false},
			map[string]any{"month": "2026-03", "service": "waste", "stage": 1.0, "count": ten, "suppressed": false},
		},
		"responses": []any{
			// 1 on time would give away 5 late ones: suppressed, shown as null.
			map[string]any{"month": "2026-03", "service": "parking", "stage": 1.0, "outcome": "upheld", "count": six, "on_time": nil, "suppressed": false},
			map[string]any{"month": "2026-03", "service": "waste", "stage": 1.0, "outcome": "upheld", "count": ten, "on_time": five, "suppressed": false},
		},
		// The parking cell stays out of the total, or 16 responses and a share of 6/16 would
		// give its one on-time response away.
		"on_time": []any{
			map[string]any{"stage": 1.0, "responses": ten, "on_time_share": 0.5, "suppressed": false},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("statistics:\n got %#v\nwant %#v", got, want)
	}
}

// Figures are counted by whole months, whatever days are asked for: two periods a day
// apart gave 5 and 6 waste complaints, so their difference published a figure of 1, and a
// complaint's day and service with it.
func TestStatisticsCannotBeSubtractedToASmallFigure(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
	alice := e.officer("alice")
	for i, day := range []string{"02", "02", "02", "02", "02", "03"} {
		e.Must(http.StatusCreated, "POST", "/complaints", alice, validBody(func(m map[string]any) {
			m["received_at"] = fmt.Sprintf("2026-03-%sT09:%02d:00Z", day, i)
		}))
	}
	figures := func(query string) (any, any) {
		got := e.Must(http.StatusOK, "GET", "/statistics?"+query, e.manager("mary"), nil)
		return got["received"], got["from"].(string) + " to " + got["to"].(string)
	}
	first, firstPeriod := figures("from=2026-03-01&to=2026-03-02")
	second, secondPeriod := figures("from=2026-03-01&to=2026-03-03")
	if !reflect.DeepEqual(first, second) || firstPeriod != "2026-03-01T00:00:00Z to 2026-03-31T23:00:00Z" || secondPeriod != firstPeriod {
		t.Fatalf("two periods a day apart: %v (%v) and %v (%v), want March's figures for both", first, firstPeriod, second, secondPeriod)
	}
	if cell := first.([]any)[0].(map[string]any); cell["count"] != 6.0 {
		t.Errorf("March's waste complaints %v, want 6", cell)
	}
}
