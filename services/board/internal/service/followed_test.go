package service_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/testkit"
)

// debtCase is a status event as the debt service publishes it on status.debt.<stage>.
func debtCase(id, ref, stage, status, change string, at time.Time) events.DebtStatus {
	return events.DebtStatus{EventID: id, At: at, CaseID: "d-" + ref, Reference: ref, ClientID: "maidstone-council-tax",
		Stage: stage, Status: status, EarliestControlDate: "2026-03-10", ControlLimitDate: "2027-03-01", Change: change}
}

// decision is a status event as the publication service publishes it on
// status.publication.<status>.
func decision(id, ref, status, change string, at time.Time) events.PublicationStatus {
	return events.PublicationStatus{EventID: id, At: at, DecisionID: "p-" + ref, Reference: ref, Status: status, Change: change}
}

// rightsCase is a status event as the rights service publishes it on
// status.rights.<requests|breaches|foi>.
func rightsCase(id, ref, kind, status, change string, due *time.Time, overdue bool, at time.Time) events.RightsStatus {
	return events.RightsStatus{EventID: id, At: at, CaseID: "r-" + ref, Reference: ref, Kind: kind, Status: status,
		DueAt: due, Overdue: overdue, Pending: []string{}, Change: change}
}

// seedOthers publishes debt, publication and rights cases, some finished by each service's
// own final statuses. After it: debt has 2 open (compliance 1, enforcement 1); publication 2
// open (to decide, published); rights 4 open (access, breach, erasure, foi), 1 due this
// week, 2 overdue; 3 answered this month, 1 of them on time (FOI-2; SAR-3 late, and
// SAR-4's refusal judged against no deadline the board saw).
func (e *env) seedOthers() {
	e.t.Helper()
	before := e.processed()
	debt := func(ev events.DebtStatus) { e.publish("status.debt."+ev.Stage, ev.EventID, ev) }
	debt(debtCase("0101", "DEBT-1", "compliance", "compliance", "case.referred", day(2, 9)))
	debt(debtCase("0102", "DEBT-2", "compliance", "compliance", "case.referred", day(2, 9)))
	debt(debtCase("0103", "DEBT-2", "enforcement", "enforcement", "visit.recorded", day(3, 9)))
	debt(debtCase("0104", "DEBT-3", "enforcement", "enforcement", "visit.recorded", day(2, 10)))
	debt(debtCase("0105", "DEBT-3", "enforcement", "paid", "payment.received", day(3, 10)))
	debt(debtCase("0106", "DEBT-4", "sale", "returned", "case.returned", day(3, 11)))

	pub := func(ev events.PublicationStatus) { e.publish("status.publication."+ev.Status, ev.EventID, ev) }
	pub(decision("0201", "PUB-1", "to_decide", "conviction.received", day(2, 9)))
	pub(decision("0202", "PUB-2", "published", "published", day(2, 10)))
	pub(decision("0203", "PUB-3", "published", "published", day(2, 11)))
	pub(decision("0204", "PUB-3", "taken_down", "taken_down", day(3, 11)))
	pub(decision("0205", "PUB-4", "not_published", "approved", day(3, 12)))
	pub(decision("0206", "PUB-5", "conviction_quashed", "conviction_quashed", day(3, 13)))

	rights := func(family string, ev events.RightsStatus) { e.publish("status.rights."+family, ev.EventID, ev) }
	rights("requests", rightsCase("0301", "SAR-1", "access", "open", "request.received", ptr(day(6, 17)), false, day(2, 9))) // due Friday
	rights("requests", rightsCase("0302", "SAR-2", "erasure", "open", "request.overdue", ptr(day(2, 17)), true, day(3, 9)))  // overdue, said
	rights("breaches", rightsCase("0303", "BR-1", "breach", "open", "breach.recorded", ptr(day(3, 9)), false, day(2, 9)))    // 72 hours passed
	rights("foi", rightsCase("0304", "FOI-1", "foi", "clock_stopped", "foi.clarification_requested", nil, false, day(2, 9))) // clock stopped
	rights("requests", rightsCase("0305", "SAR-3", "access", "open", "request.overdue", ptr(day(1, 17)), true, day(2, 9)))   // overdue...
	rights("requests", rightsCase("0306", "SAR-3", "access", "completed", "request.completed", nil, false, day(3, 9)))       // ...then answered
	rights("foi", rightsCase("0311", "FOI-2", "foi", "open", "foi.received", ptr(day(20, 17)), false, day(2, 8)))            // due in 20 days...
	rights("foi", rightsCase("0307", "FOI-2", "foi", "responded", "foi.responded", nil, false, day(3, 9)))                   // ...answered on time
	rights("foi", rightsCase("0308", "FOI-3", "eir", "lapsed", "foi.lapsed", nil, false, day(3, 9)))                         // finished
	rights("breaches", rightsCase("0309", "BR-2", "breach", "closed", "breach.closed", nil, false, day(3, 9)))               // finished
	rights("requests", rightsCase("0310", "SAR-4", "portability", "refused", "request.refused", nil, false, day(3, 9)))      // finished
	e.waitProcessed(before + 23)
}

var (
	seededDebt = figures{Service: "debt", Open: 2,
		Stages: []stage{{"debt", "compliance", 1}, {"debt", "enforcement", 1}}}
	seededPublication = figures{Service: "publication", Open: 2, Stages: []stage{{"publication", "decision", 2}}}
	seededRights      = figures{Service: "rights", Open: 4, DueThisWeek: 1, Overdue: 2, Answered: 3, AnsweredOnTime: 1,
		Stages: []stage{{"rights", "access", 1}, {"rights", "breach", 1}, {"rights", "erasure", 1}, {"rights", "foi", 1}}}
)

func TestDebtPublicationAndRightsManagersSeeTheirServices(t *testing.T) {
	e := newEnv(t)
	e.seed()
	e.seedOthers()

	for _, c := range []struct {
		role string
		want []figures
	}{
		{"enforcement_manager", []figures{seededDebt}},
		{"publication_manager", []figures{seededPublication}},
		{"dpo", []figures{seededRights}},
		{"dpo_officer", nil}, // rights' officers, debt's agents and client councils are no managers
		{"enforcement_agent", nil},
		{"debt_client", nil},
		{"debt_manager", nil}, // <service>_manager is no role of debt's
		{"rights_manager", nil},
	} {
		token := e.token("m", c.role)
		if c.want == nil {
			r := testkit.Call(t, e.server.URL, "GET", "/api/board", token, nil)
			if r.Status != http.StatusForbidden {
				t.Errorf("%s: %d %s, want 403", c.role, r.Status, r.Body)
			}
			continue
		}
		if got := e.board(token); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s sees\n%+v\nwant\n%+v", c.role, got, c.want)
		}
	}
	all := e.board(e.token("all", "dpo", "enforcement_manager", "publication_manager", "investigations_manager", "complaints_manager"))
	want := []figures{seededComplaints,
		{Service: "investigations", Open: 1, Stages: []stage{{"investigations", "noise_nuisance", 1}}},
		seededDebt, seededPublication, seededRights}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("a manager of every service sees, in the board's order,\n%+v\nwant\n%+v", all, want)
	}
}

func TestADebtManagerSeesDebtOnly(t *testing.T) {
	e := newEnv(t)
	e.seed()
	e.seedOthers()
	debt := e.token("dina", "enforcement_manager")
	if got := e.board(debt); !reflect.DeepEqual(got, []figures{seededDebt}) {
		t.Fatalf("debt manager sees %+v", got)
	}
	for _, other := range []string{"complaints", "investigations", "publication", "rights"} {
		r := testkit.Call(t, e.server.URL, "GET", "/api/cases?service="+other+"&figure=open", debt, nil)
		if r.Status != http.StatusForbidden || r.JSON(t)["detail"] != "you manage debt, not "+other {
			t.Errorf("%s: %d %s", other, r.Status, r.Body)
		}
	}
	page := testkit.Call(t, e.server.URL, "GET", "/", debt, nil, "Accept", "text/html")
	body := string(page.Body)
	if page.Status != http.StatusOK || !strings.Contains(body, `data-figure="debt/open">2<`) {
		t.Fatalf("debt manager's page: %d\n%s", page.Status, body)
	}
	for _, other := range []string{"complaints/", "investigations/", "publication/", "rights/"} {
		if strings.Contains(body, `data-figure="`+other) {
			t.Errorf("a debt manager's page shows %s", other)
		}
	}
}

// caseRow is one case of a drill-down, every field.
type caseRow struct {
	Reference   string     `json:"reference"`
	Stage       string     `json:"stage"`
	Status      string     `json:"status"`
	Team        string     `json:"team"`
	NextDueAt   *time.Time `json:"next_due_at"`
	NextDue     string     `json:"next_due"`
	Overdue     []string   `json:"overdue"`
	ReviewDueOn string     `json:"review_due_on"`
}

func (e *env) caseRows(token, query string) []caseRow {
	e.t.Helper()
	r := testkit.Call(e.t, e.server.URL, "GET", "/api/cases?"+query, token, nil)
	if r.Status != http.StatusOK {
		e.t.Fatalf("cases %s: %d %s", query, r.Status, r.Body)
	}
	var out struct {
		Cases []caseRow `json:"cases"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out.Cases
}

func TestFiguresOfDebtPublicationAndRightsDrillDownToTheirCases(t *testing.T) {
	e := newEnv(t)
	e.seedOthers()
	token := e.token("all", "enforcement_manager", "publication_manager", "dpo")
	for query, want := range map[string][]caseRow{
		"service=debt&figure=open": {
			{Reference: "DEBT-1", Stage: "compliance", Status: "compliance", Team: "maidstone-council-tax", Overdue: []string{}},
			{Reference: "DEBT-2", Stage: "enforcement", Status: "enforcement", Team: "maidstone-council-tax", Overdue: []string{}}},
		"service=debt&figure=overdue": {},
		"service=publication&figure=open": {
			{Reference: "PUB-1", Stage: "decision", Status: "to_decide", Overdue: []string{}},
			{Reference: "PUB-2", Stage: "decision", Status: "published", Overdue: []string{}}},
		// By deadline; SAR-3 was overdue, then completed. BR-1's 72 hours for its report to the
		// ICO passed before the service's sweep said so: the board names the deadline passed.
		"service=rights&figure=overdue": {
			{Reference: "SAR-2", Stage: "erasure", Status: "open", NextDueAt: ptr(day(2, 17)), Overdue: []string{"due"}},
			{Reference: "BR-1", Stage: "breach", Status: "open", NextDueAt: ptr(day(3, 9)), NextDue: "ico_report", Overdue: []string{"ico_report"}}},
		"service=rights&figure=due_this_week": {
			{Reference: "SAR-1", Stage: "access", Status: "open", NextDueAt: ptr(day(6, 17)), Overdue: []string{}}},
		"service=rights&figure=open&stage=foi": {
			{Reference: "FOI-1", Stage: "foi", Status: "clock_stopped", Overdue: []string{}}},
		"service=rights&figure=open&stage=access": {
			{Reference: "SAR-1", Stage: "access", Status: "open", NextDueAt: ptr(day(6, 17)), Overdue: []string{}}},
	} {
		e.requireCases(token, query, want)
	}
}

// requireCases asks for the cases behind a figure and requires exactly want, in order.
func (e *env) requireCases(token, query string, want []caseRow) {
	e.t.Helper()
	got := e.caseRows(token, query)
	if len(got) != len(want) {
		e.t.Errorf("%s: %+v, want %+v", query, got, want)
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Reference != w.Reference || g.Stage != w.Stage || g.Status != w.Status || g.Team != w.Team ||
			!reflect.DeepEqual(g.Overdue, w.Overdue) || (g.NextDueAt == nil) != (w.NextDueAt == nil) ||
			(g.NextDueAt != nil && !g.NextDueAt.Equal(*w.NextDueAt)) || g.NextDue != w.NextDue || g.ReviewDueOn != w.ReviewDueOn {
			e.t.Errorf("%s: case %d = %+v, want %+v", query, i, g, w)
		}
	}
}
