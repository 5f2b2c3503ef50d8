package e2e_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// stageFigure and figures are one service's numbers on the board, as GET /api/board gives them.
type stageFigure struct {
	Service string `json:"service"`
	Stage   string `json:"stage"`
	Open    int    `json:"open"`
}

type figures struct {
	Service        string        `json:"service"`
	Open           int           `json:"open"`
	Stages         []stageFigure `json:"stages"`
	DueThisWeek    int           `json:"due_this_week"`
	Overdue        int           `json:"overdue"`
	Answered       int           `json:"answered"`
	AnsweredOnTime int           `json:"answered_on_time"`
}

// waitForBoard polls the board, as the manager with role sees it, until it shows want.
func (c *council) waitForBoard(role string, want []figures) {
	c.t.Helper()
	token := c.board.Token("maya", role)
	testkit.Eventually(c.t, 10*time.Second, fmt.Sprintf("the board to show %+v", want), func() (bool, string) {
		r := c.board.Call("GET", "/api/board", token, nil)
		var body struct {
			At       time.Time `json:"at"`
			Services []figures `json:"services"`
		}
		if r.Status != 200 || json.Unmarshal(r.Body, &body) != nil {
			return false, fmt.Sprintf("%d %s", r.Status, r.Body)
		}
		return body.At.Equal(c.clock.Now()) && reflect.DeepEqual(body.Services, want), fmt.Sprintf("%+v at %v", body.Services, body.At)
	})
}

// drillDown is the references the board counts in one figure of service.
func (c *council) drillDown(role, service, figure string) []string {
	c.t.Helper()
	body := c.board.Must(200, "GET", "/api/cases?service="+service+"&figure="+figure, c.board.Token("maya", role), nil)
	refs := []string{}
	for _, x := range body["cases"].([]any) {
		refs = append(refs, x.(map[string]any)["reference"].(string))
	}
	return refs
}

// TestComplaintStatusReachesTheBoard: the complaints service's status events, and nothing
// else, make the managers' board figures. Three complaints: one answered on time and
// closed, one acknowledged, one not. On the day, the board counts two open and one answered
// on time; a fortnight later, with no further event, the unacknowledged one is overdue and
// the acknowledged one's response is due this week, each figure drilling down to its case.
func TestComplaintStatusReachesTheBoard(t *testing.T) {
	c := newCouncil(t, withBoard)
	status := c.complaints.Collect("COMPLAINTS_STATUS", "status.complaints.>")
	alice := c.complaints.Token("alice", "complaints_officer")
	logComplaint := func(details string) (string, string) {
		v := c.complaints.Must(201, "POST", "/complaints", alice, map[string]any{"complainant": ann, "details": details,
			"service": "waste", "channel": "web"})
		return v["id"].(string), v["reference"].(string)
	}
	answeredID, answeredRef := logComplaint("Bins not collected for three weeks on Old Road.")
	waitingID, waitingRef := logComplaint("Recycling box not returned.")
	_, unacknowledgedRef := logComplaint("Crew blocked the drive.")
	c.complaints.Must(200, "POST", "/complaints/"+answeredID+"/acknowledge", alice, nil)
	c.complaints.Must(200, "POST", "/complaints/"+answeredID+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "Collections restored."})
	c.complaints.Must(200, "POST", "/complaints/"+answeredID+"/close", alice, map[string]any{})
	acknowledged := c.complaints.Must(200, "POST", "/complaints/"+waitingID+"/acknowledge", alice, nil)

	// Every change is one status event, on the stage's subject, naming no one.
	msgs := status.WaitFor(t, 7)
	var changes []string
	for _, m := range msgs {
		e := testkit.Decode(t, m)
		changes = append(changes, fmt.Sprintf("%s %s %s", m.Subject(), e["reference"], e["change"]))
		if _, ok := e["complainant"]; ok {
			t.Errorf("%s carries the complainant: %s", m.Subject(), m.Data())
		}
	}
	wantChanges := []string{
		"status.complaints.stage1 " + answeredRef + " stage1.received", "status.complaints.stage1 " + waitingRef + " stage1.received",
		"status.complaints.stage1 " + unacknowledgedRef + " stage1.received", "status.complaints.stage1 " + answeredRef + " stage1.acknowledged",
		"status.complaints.stage1 " + answeredRef + " stage1.responded", "status.complaints.stage1 " + answeredRef + " closed",
		"status.complaints.stage1 " + waitingRef + " stage1.acknowledged",
	}
	if !slices.Equal(changes, wantChanges) {
		t.Fatalf("status events\n%q\nwant\n%q", changes, wantChanges)
	}

	c.waitForBoard("complaints_manager", []figures{{Service: "complaints", Open: 2, Stages: []stageFigure{{"complaints", "stage1", 2}},
		Answered: 1, AnsweredOnTime: 1}})
	if got := c.drillDown("complaints_manager", "complaints", "answered_on_time"); !slices.Equal(got, []string{answeredRef}) {
		t.Errorf("answered on time: %v", got)
	}

	// Monday 16 March: the response the waiting complaint owes is due this week; the other
	// was never acknowledged (due by 9 March).
	var respondDue string
	for _, d := range acknowledged["deadlines"].([]any) {
		if d := d.(map[string]any); d["kind"] == "respond" {
			respondDue, _ = d["due_date"].(string)
		}
	}
	if respondDue != "2026-03-16" {
		t.Fatalf("the acknowledged complaint's response is due on %q", respondDue)
	}
	c.clock.Set(time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC))
	c.waitForBoard("complaints_manager", []figures{{Service: "complaints", Open: 2, Stages: []stageFigure{{"complaints", "stage1", 2}},
		DueThisWeek: 1, Overdue: 1, Answered: 1, AnsweredOnTime: 1}})
	for figure, want := range map[string][]string{"open": {unacknowledgedRef, waitingRef}, "due_this_week": {waitingRef},
		"overdue": {unacknowledgedRef}, "answered": {answeredRef}} {
		if got := c.drillDown("complaints_manager", "complaints", figure); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", figure, got, want)
		}
	}
	// Another service's manager sees none of it.
	c.waitForBoard("investigations_manager", []figures{{Service: "investigations", Stages: []stageFigure{}}})
}

// TestConvictionDecisionOnTheBoard: a conviction recorded in investigations opens a
// publication decision, which the publication manager's board counts as open until the
// appeal quashes the conviction; the investigations manager's board keeps the case open
// until it is closed.
func TestConvictionDecisionOnTheBoard(t *testing.T) {
	c := newCouncil(t, withBoard)
	caseID, caseRef := c.convicted()
	decision := c.decisions(1)[0]
	c.waitForBoard("publication_manager", []figures{{Service: "publication", Open: 1, Stages: []stageFigure{{"publication", "decision", 1}}}})
	c.waitForBoard("investigations_manager", []figures{{Service: "investigations", Open: 1, Stages: []stageFigure{{"investigations", "noise", 1}}}})
	if got := c.drillDown("publication_manager", "publication", "open"); !slices.Equal(got, []string{decision["reference"].(string)}) {
		t.Errorf("open decisions: %v", got)
	}

	id := decision["id"].(string)
	c.publish(id)
	c.publication.Must(200, "POST", "/decisions/"+id+"/appeal", c.publication.Token("olive", "publication_officer"),
		map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court", "notes": "Conviction quashed."})
	c.waitForBoard("publication_manager", []figures{{Service: "publication", Stages: []stageFigure{}}})

	c.investigations.Must(200, "POST", "/investigations/"+caseID+"/close", c.investigations.Token("olive", "investigations_officer"),
		map[string]any{"reason": "sentenced"})
	c.waitForBoard("investigations_manager", []figures{{Service: "investigations", Stages: []stageFigure{}}})
	if got := c.drillDown("investigations_manager", "investigations", "open"); len(got) != 0 {
		t.Errorf("open investigations after %s closed: %v", caseRef, got)
	}
}
