package service_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/testkit"
)

func day(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }

// complaint is a status event as the complaints service publishes it.
func complaint(id, ref string, stage int, status, change string, at time.Time) events.ComplaintStatus {
	return events.ComplaintStatus{EventID: id, At: at, ComplaintID: "c-" + ref, Reference: ref, Stage: stage,
		Status: status, Team: "waste", Overdue: []string{}, Change: change}
}

// seed publishes a week's worth of complaints and one investigation; after it, complaints
// has 4 open cases (3 at stage 1, 1 at stage 2), 1 due this week, 1 overdue and 2 answered
// this month, 1 on time.
func (e *env) seed() {
	e.t.Helper()
	c := complaint("0001", "CMP-1", 1, "stage1_acknowledged", "stage1.acknowledged", day(2, 10))
	c.RespondDueAt = ptr(day(6, 17)) // due Friday: this week
	e.publish("status.complaints.stage1", c.EventID, c)

	c = complaint("0002", "CMP-2", 1, "stage1_received", "stage1.received", day(1, 10))
	c.AcknowledgeDueAt = ptr(day(3, 17)) // passed yesterday; the sweep has not said so yet
	e.publish("status.complaints.stage1", c.EventID, c)

	c = complaint("0003", "CMP-3", 2, "stage2_acknowledged", "stage2.acknowledged", day(2, 11))
	c.RespondDueAt = ptr(day(20, 17))
	e.publish("status.complaints.stage2", c.EventID, c)

	c = complaint("0004", "CMP-4", 1, "stage1_acknowledged", "stage1.acknowledged", day(2, 9))
	c.RespondDueAt = ptr(day(10, 17))
	e.publish("status.complaints.stage1", c.EventID, c)
	c = complaint("0005", "CMP-4", 1, "stage1_responded", "stage1.responded", day(3, 9)) // on time
	e.publish("status.complaints.stage1", c.EventID, c)

	c = complaint("0006", "CMP-5", 1, "stage1_acknowledged", "stage1.acknowledged", day(2, 8))
	c.RespondDueAt = ptr(day(3, 9))
	e.publish("status.complaints.stage1", c.EventID, c)
	c = complaint("0007", "CMP-5", 1, "stage1_responded", "stage1.responded", day(4, 10)) // a day late
	e.publish("status.complaints.stage1", c.EventID, c)
	c = complaint("0008", "CMP-5", 1, "closed", "closed", day(4, 11))
	e.publish("status.complaints.stage1", c.EventID, c)

	e.publish("status.investigations.noise_nuisance", "0009", events.InvestigationStatus{EventID: "0009", At: day(2, 12),
		InvestigationID: "i-1", Reference: "INV-1", Area: "noise_nuisance", Status: "received", Change: "received"})
	e.waitProcessed(9)
}

type stage struct {
	Service string `json:"service"`
	Stage   string `json:"stage"`
	Open    int    `json:"open"`
}

type figures struct {
	Service        string  `json:"service"`
	Open           int     `json:"open"`
	Stages         []stage `json:"stages"`
	DueThisWeek    int     `json:"due_this_week"`
	Overdue        int     `json:"overdue"`
	Answered       int     `json:"answered"`
	AnsweredOnTime int     `json:"answered_on_time"`
}

func (e *env) board(token string) []figures {
	e.t.Helper()
	r := testkit.Call(e.t, e.server.URL, "GET", "/api/board", token, nil)
	if r.Status != http.StatusOK {
		e.t.Fatalf("board: %d %s", r.Status, r.Body)
	}
	var out struct {
		At       time.Time `json:"at"`
		Services []figures `json:"services"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		e.t.Fatal(err)
	}
	if strings.Contains(string(r.Body), `"Stage"`) {
		e.t.Fatalf("member names are the contract's, lower case: %s", r.Body)
	}
	if !out.At.Equal(now) {
		e.t.Fatalf("figures at %v, want %v", out.At, now)
	}
	return out.Services
}

var seededComplaints = figures{Service: "complaints", Open: 4, DueThisWeek: 1, Overdue: 1, Answered: 2, AnsweredOnTime: 1,
	Stages: []stage{{"complaints", "stage1", 3}, {"complaints", "stage2", 1}}}

func TestBoardCountsEachServiceFromItsStatusEvents(t *testing.T) {
	e := newEnv(t)
	e.seed()

	got := e.board(e.token("maya", "complaints_manager"))
	if want := []figures{seededComplaints}; !reflect.DeepEqual(got, want) {
		t.Fatalf("complaints manager sees\n%+v\nwant\n%+v", got, want)
	}
	got = e.board(e.token("ines", "investigations_manager"))
	want := []figures{{Service: "investigations", Open: 1, Stages: []stage{{"investigations", "noise_nuisance", 1}}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("investigations manager sees %+v, want %+v", got, want)
	}
	got = e.board(e.token("both", "investigations_manager", "complaints_manager"))
	if len(got) != 2 || got[0].Service != "complaints" || got[1].Service != "investigations" {
		t.Fatalf("a manager of both sees both, in the board's order: %+v", got)
	}
}

func (e *env) references(token, query string) []string {
	e.t.Helper()
	r := testkit.Call(e.t, e.server.URL, "GET", "/api/cases?"+query, token, nil)
	if r.Status != http.StatusOK {
		e.t.Fatalf("cases %s: %d %s", query, r.Status, r.Body)
	}
	var out struct {
		Cases []struct {
			Reference string `json:"reference"`
			OnTime    *bool  `json:"on_time"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		e.t.Fatal(err)
	}
	refs := []string{}
	for _, c := range out.Cases {
		refs = append(refs, c.Reference)
	}
	return refs
}

func TestEachFigureDrillsDownToItsCaseReferences(t *testing.T) {
	e := newEnv(t)
	e.seed()
	maya := e.token("maya", "complaints_manager")
	for query, want := range map[string][]string{
		"service=complaints&figure=open":                  {"CMP-2", "CMP-1", "CMP-3", "CMP-4"}, // by next deadline, none last
		"service=complaints&figure=open&stage=stage2":     {"CMP-3"},
		"service=complaints&figure=due_this_week":         {"CMP-1"},
		"service=complaints&figure=overdue":               {"CMP-2"},
		"service=complaints&figure=answered":              {"CMP-5", "CMP-4"}, // latest first
		"service=complaints&figure=answered_on_time":      {"CMP-4"},
		"service=complaints&figure=open&stage=stage3":     {},
		"service=complaints&figure=answered&stage=stage2": {},
	} {
		if got := e.references(maya, query); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}

	page := testkit.Call(t, e.server.URL, "GET", "/cases?service=complaints&figure=overdue", maya, nil, "Accept", "text/html")
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "<th scope=\"row\" data-reference>CMP-2</th>") ||
		strings.Contains(string(page.Body), "CMP-1") {
		t.Fatalf("drill-down page: %d\n%s", page.Status, page.Body)
	}
}

func TestAManagerSeesOnlyTheServicesTheyManage(t *testing.T) {
	e := newEnv(t)
	e.seed()
	ines := e.token("ines", "investigations_manager")
	r := testkit.Call(t, e.server.URL, "GET", "/api/cases?service=complaints&figure=open", ines, nil)
	body := r.JSON(t)
	if r.Status != http.StatusForbidden || body["detail"] != "you manage investigations, not complaints" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	officer := e.token("olive", "complaints_officer")
	r = testkit.Call(t, e.server.URL, "GET", "/api/board", officer, nil)
	if r.Status != http.StatusForbidden || r.Header.Get("Content-Type") != "application/problem+json" ||
		!reflect.DeepEqual(r.JSON(t)["required_roles"], []any{"complaints_manager", "investigations_manager", "enforcement_manager",
			"publication_manager", "dpo"}) ||
		r.JSON(t)["detail"] != "the board shows a service to its managers: this token holds none of the roles "+
			"complaints_manager, investigations_manager, enforcement_manager, publication_manager, dpo" {
		t.Fatalf("an officer: %d %s", r.Status, r.Body)
	}
	r = testkit.Call(t, e.server.URL, "GET", "/api/board", "", nil)
	if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("no token: %d %v %s", r.Status, r.Header, r.Body)
	}
	r = testkit.Call(t, e.server.URL, "GET", "/events", "", nil)
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("live figures without a token: %d %s", r.Status, r.Body)
	}
	// Who is calling is settled before what they asked: a caller with no token hears 401
	// even for a query the contract refuses, as from the case services.
	for _, target := range []string{"/api/cases?service=nonsense&figure=open", "/api/board?x=1", "/events?x=1"} {
		r = testkit.Call(t, e.server.URL, "GET", target, "", nil)
		if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("%s without a token: %d %s", target, r.Status, r.Body)
		}
	}
	// HEAD asks for the stream's headers and ends at once, where GET streams for ever.
	r = testkit.Call(t, e.server.URL, "HEAD", "/events", e.token("maya", "complaints_manager"), nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "text/event-stream" || len(r.Body) != 0 {
		t.Fatalf("HEAD /events: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
}

func TestBadQueriesAreProblems(t *testing.T) {
	e := newEnv(t)
	maya := e.token("maya", "complaints_manager")
	for _, q := range []string{"service=complaints&figure=late", "figure=open", "service=complaints&figure=open&stage=Stage%201",
		"service=COMPLAINTS&figure=open"} {
		r := testkit.Call(t, e.server.URL, "GET", "/api/cases?"+q, maya, nil)
		if r.Status != http.StatusBadRequest || r.Header.Get("Content-Type") != "application/problem+json" ||
			r.JSON(t)["type"] != "https://casework.dev/problems/validation" {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}
	r := testkit.Call(t, e.server.URL, "DELETE", "/api/board", maya, nil)
	if r.Status != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE: %d %s", r.Status, r.Body)
	}
}

func TestARedeliveredEventChangesNothingAndAPoisonedOneIsSetAside(t *testing.T) {
	e := newEnv(t)
	e.seed()
	dead := testkit.Collect(t, e.nats.JS, "BOARD_DEADLETTER", "deadletter.board.>")

	// The same event again (past the stream's duplicate window, as after a replay).
	c := complaint("0005", "CMP-4", 1, "stage1_responded", "stage1.responded", day(3, 9))
	body, _ := json.Marshal(c)
	e.publishRaw("status.complaints.stage1", "0005", append(body, ' ')) // another body, so the stream keeps it
	// Personal data never arrives here, but malformed events may: one the board cannot read.
	e.publishRaw("status.complaints.stage1", "0010", []byte(`{"event_id":"0010","reference":`))
	e.publish("status.complaints.stage1", "0011", complaint("0011", "CMP-6", 1, "stage1_received", "stage1.received", day(4, 9)))

	msgs := dead.WaitFor(t, 1)
	if msgs[0].Subject() != "deadletter.board.status.complaints" || msgs[0].Headers().Get("_watermill_message_uuid") != "0010" ||
		!strings.Contains(msgs[0].Headers().Get("reason_poisoned"), "malformed status event") {
		t.Fatalf("dead letter %s %v", msgs[0].Subject(), msgs[0].Headers())
	}
	testkit.Eventually(t, 10*time.Second, "the event after the poisoned one", func() (bool, string) {
		got := e.board(e.token("maya", "complaints_manager"))[0]
		return got.Open == 5, "open " + itoaFigures(got)
	})
	got := e.board(e.token("maya", "complaints_manager"))[0]
	want := seededComplaints
	want.Open, want.Stages = 5, []stage{{"complaints", "stage1", 4}, {"complaints", "stage2", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after a redelivery: %+v, want %+v", got, want)
	}
}

func itoaFigures(f figures) string { b, _ := json.Marshal(f); return string(b) }

func TestSignInKeepsTheTokenInAStrictHttpOnlyCookie(t *testing.T) {
	e := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	browse := func(cookie *http.Cookie) *http.Response {
		req, _ := http.NewRequest("GET", e.server.URL+"/", nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := browse(nil)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("not signed in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = browse(&http.Cookie{Name: "board_token", Value: "expired.or.forged"})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?expired=1" ||
		len(res.Cookies()) != 1 || res.Cookies()[0].MaxAge >= 0 {
		t.Fatalf("a refused cookie is cleared: %d %s %v", res.StatusCode, res.Header.Get("Location"), res.Cookies())
	}

	post := func(token, origin string) *http.Response {
		req, _ := http.NewRequest("POST", e.server.URL+"/sign-in", strings.NewReader(url.Values{"token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html")
		switch {
		case origin == "cross-site":
			req.Header.Set("Sec-Fetch-Site", origin)
		case origin != "":
			req.Header.Set("Origin", origin)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for _, tc := range []struct {
		name, token, origin string
		status              int
	}{
		{"no token", "", "", http.StatusBadRequest},
		{"a forged token", "eyJhbGciOiJIUzI1NiJ9.e30.x", "", http.StatusUnauthorized},
		{"an officer", e.token("olive", "complaints_officer"), "", http.StatusForbidden},
		{"another site's form", e.token("maya", "complaints_manager"), "https://evil.example", http.StatusForbidden},
		{"another site's form, by Sec-Fetch-Site", e.token("maya", "complaints_manager"), "cross-site", http.StatusForbidden},
	} {
		res := post(tc.token, tc.origin)
		if res.StatusCode != tc.status || len(res.Cookies()) != 0 {
			t.Errorf("%s: %d, cookies %v", tc.name, res.StatusCode, res.Cookies())
		}
	}

	maya := e.token("maya", "complaints_manager")
	for _, form := range []struct{ name, body, detail string }{
		{"the token twice, the first a manager's", url.Values{"token": {maya, e.token("olive", "complaints_officer")}}.Encode(), "the form gives the token more than once"},
		{"a form that does not decode", "%zz=1", "the request body could not be read as application/x-www-form-urlencoded"},
	} {
		req, _ := http.NewRequest("POST", e.server.URL+"/sign-in", strings.NewReader(form.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.server.URL)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ Type, Detail string }
		_ = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || p.Type != "https://casework.dev/problems/validation" || p.Detail != form.detail || len(res.Cookies()) != 0 {
			t.Errorf("%s: %d %+v, cookies %v; want 400 validation %q and no cookie", form.name, res.StatusCode, p, res.Cookies(), form.detail)
		}
	}
	res = post(maya, e.server.URL)
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" || len(cookies) != 1 {
		t.Fatalf("sign in: %d %v", res.StatusCode, cookies)
	}
	c := cookies[0]
	if c.Name != "board_token" || c.Value != maya || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
		t.Fatalf("cookie %+v", c)
	}

	res = browse(c)
	defer res.Body.Close()
	page := new(strings.Builder)
	_, _ = bufio.NewReader(res.Body).WriteTo(page)
	for _, want := range []string{`<main id="main"`, `aria-live="polite"`, `data-figure="complaints/open">0<`, "Signed in as maya"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the board page lacks %s", want)
		}
	}
	if strings.Contains(page.String(), "investigations") {
		t.Error("a complaints manager's page shows investigations")
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

func TestLiveFiguresFollowStatusEvents(t *testing.T) {
	e := newEnv(t)
	e.seed()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.server.URL+"/events", nil)
	req.AddCookie(&http.Cookie{Name: "board_token", Value: e.token("maya", "complaints_manager")})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	updates := make(chan map[string]any, 8)
	go func() {
		scanner := bufio.NewScanner(res.Body)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		event := ""
		for scanner.Scan() {
			line := scanner.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "board":
				var u map[string]any
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &u)
				updates <- u
			}
		}
		close(updates)
	}()
	next := func() map[string]any {
		select {
		case u := <-updates:
			return u
		case <-ctx.Done():
			t.Fatal("no live update")
		}
		return nil
	}
	first := next()
	if !strings.Contains(first["html"].(string), `data-figure="complaints/open/stage1">3<`) || first["announce"] != nil {
		t.Fatalf("first update %v", first)
	}
	// Investigations move: nothing this manager sees, so no update. Then a complaint.
	e.publish("status.investigations.noise_nuisance", "0020", events.InvestigationStatus{EventID: "0020", At: day(4, 9),
		Reference: "INV-2", Area: "noise_nuisance", Status: "received", Change: "received"})
	e.publish("status.complaints.stage1", "0021", complaint("0021", "CMP-7", 1, "stage1_received", "stage1.received", day(4, 9)))
	u := next()
	if u["announce"] != "Complaints, Stage 1: 4 open (was 3)." || !strings.Contains(u["html"].(string), `data-figure="complaints/open">5<`) {
		t.Fatalf("update %v", u)
	}
}

func TestAnUnavailableDatabaseIsA503WithRetryAfter(t *testing.T) {
	e := newEnv(t)
	maya := e.token("maya", "complaints_manager")
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	r := testkit.Call(t, e.server.URL, "GET", "/api/board", maya, nil)
	if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%d %v %s", r.Status, r.Header, r.Body)
	}
}
