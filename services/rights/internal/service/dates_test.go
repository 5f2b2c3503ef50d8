package service_test

import (
	"context"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// A date before the law it is recorded under is refused, naming its field, and nothing is
// stored: a breach discovered before the GDPR's breach duties (25 May 2018, London time)
// was accepted with a reference of year 0 and a deadline no later read could count, so
// its reads, its assessment and the overdue sweep failed for good; a rights request
// before the same day; an FOI request before FOIA and the EIR came into force (1 January
// 2005). The first day each law applied is accepted, and the case it makes can be read,
// changed and swept.
func TestDatesBeforeTheirLawAreRefused(t *testing.T) {
	e := newEnv(t)
	olly := e.officer()
	breach := func(discovered, aware string) map[string]any {
		return with(with(aBreach(), "discovered_at", discovered), "aware_at", aware)
	}
	request := func(received string) map[string]any { return with(anAccessRequest("access"), "received_at", received) }
	foi := func(received string) map[string]any { return with(anFOI(), "received_at", received) }
	// says checks the refusal gives the first day allowed, not "a time that has already come".
	says := func(day string) func(*testing.T, testkit.Response, map[string]any) {
		return func(t *testing.T, r testkit.Response, _ map[string]any) {
			if !strings.Contains(string(r.Body), "cannot be before") || !strings.Contains(string(r.Body), day) {
				t.Errorf("the refusal does not give %s: %s", day, r.Body)
			}
		}
	}
	const gdpr, foia = "2018-05-25", "2005-01-01"
	e.RefusesBadInput(t, olly, []testkit.BadInput{
		{Name: "a breach in year 0 by its offset", Method: "POST", Path: "/breaches",
			Body:   breach("0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+14:00"),
			Status: 400, Problem: "validation", Pointers: []string{"/discovered_at"}, Check: says(gdpr)},
		{Name: "a breach on Go's zero time", Method: "POST", Path: "/breaches", Body: breach("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/discovered_at"}, Check: says(gdpr)},
		{Name: "a breach in the year 1000", Method: "POST", Path: "/breaches", Body: breach("1000-06-01T12:00:00Z", "1000-06-02T12:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/discovered_at"}, Check: says(gdpr)},
		{Name: "a breach in 1847", Method: "POST", Path: "/breaches", Body: breach("1847-03-01T12:00:00Z", "2026-02-27T15:30:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/discovered_at"}, Check: says(gdpr)},
		{Name: "a breach the last minute before the GDPR, London time", Method: "POST", Path: "/breaches",
			Body:   breach("2018-05-24T22:59:00Z", "2026-02-27T15:30:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/discovered_at"}, Check: says(gdpr)},
		{Name: "aware of a breach in year 0", Method: "POST", Path: "/breaches", Body: breach("2026-02-27T15:00:00Z", "0001-01-01T00:00:00+14:00"),
			Status: 400, Problem: "validation", Pointers: []string{"/aware_at"}},
		{Name: "a rights request in year 0", Method: "POST", Path: "/requests", Body: request("0001-01-01T00:00:00+14:00"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}, Check: says(gdpr)},
		{Name: "a rights request under the 1998 Act", Method: "POST", Path: "/requests", Body: request("2018-05-24T12:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}, Check: says(gdpr)},
		{Name: "an FOI request in year 0", Method: "POST", Path: "/foi", Body: foi("0001-01-01T00:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}, Check: says(foia)},
		{Name: "an FOI request before the Act", Method: "POST", Path: "/foi", Body: foi("2004-12-31T12:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}, Check: says(foia)},
	})
	if n := e.count(`SELECT count(*) FROM rights_breaches`) + e.count(`SELECT count(*) FROM rights_requests`) +
		e.count(`SELECT count(*) FROM rights_foi_requests`); n != 0 {
		t.Fatalf("%d cases stored", n)
	}

	// The first minute of 25 May 2018 in London (BST): the breach is the register's.
	b := e.Must(201, "POST", "/breaches", olly, breach("2018-05-24T23:00:00Z", "2018-05-24T23:30:00Z"))
	id := b["id"].(string)
	if !strings.HasPrefix(b["reference"].(string), "BR-2018-") {
		t.Errorf("reference %v", b["reference"])
	}
	e.Must(200, "GET", "/breaches/"+id, olly, nil)
	e.Must(200, "POST", "/breaches/"+id+"/assessment", e.dpo(), map[string]any{"reportable": true, "reason": "risk", "high_risk": false, "tell_people": false})
	if n, err := e.svc.App.SweepOverdue(context.Background(), 100); n != 1 || err != nil {
		t.Errorf("overdue sweep: %d %v", n, err)
	}
	e.Must(200, "POST", "/breaches/"+id+"/report", e.dpo(), map[string]any{"consequences": "c", "measures": "m", "late_reason": "found in an old file"})
	e.Must(201, "POST", "/foi", olly, foi("2005-01-01T09:00:00Z"))
	// A request from the GDPR's first day is long overdue, and is recorded.
	r := e.Must(201, "POST", "/requests", olly, request("2018-05-25T09:00:00+01:00"))
	if r["deadline"].(map[string]any)["due_date"] != "2018-06-25" {
		t.Errorf("due %v", r["deadline"])
	}
}
