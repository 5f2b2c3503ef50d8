package service_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
)

// The community protection steps of the Anti-social Behaviour, Crime and Policing Act 2014
// s43(5): a notice to a person only after a written warning to that person, and once they
// have had the time the warning gave them to change their conduct.

const (
	cpw = "community_protection_warning"
	cpn = "community_protection_notice"
)

// second is another person investigated in the same matter. Values are fictional.
var second = map[string]any{"role": "subject", "name": "Sid Second", "address": "9 Mill Lane, Maidstone ME14 1AA"}

// investigating opens an anti-social behaviour case with the fixture's people (one subject),
// and with a second subject when two is set, and takes it to investigating.
func (e *env) investigating(token string, two bool) (fixture, string) {
	e.T.Helper()
	f := e.openCase(token, "anti_social_behaviour", "", nil)
	path := "/investigations/" + f.id
	secondID := ""
	if two {
		people := e.Must(200, "POST", path+"/people", token, second)["people"].([]any)
		secondID = people[len(people)-1].(map[string]any)["id"].(string)
	}
	e.Must(200, "POST", path+"/triage", token, nil)
	e.Must(200, "POST", path+"/investigate", token, nil)
	return f, secondID
}

// refusedByRule posts an action, expects a 409 problem with the rule and returns its detail.
func (e *env) refusedByRule(path, token string, body map[string]any, rule string) string {
	e.T.Helper()
	r := e.Call("POST", path+"/actions", token, body)
	p := r.JSON(e.T)
	if r.Status != 409 || r.Header.Get("Content-Type") != httpserver.ProblemContentType || p["type"] != httpserver.TypeConflict || p["rule"] != rule {
		e.T.Fatalf("%v: %d %s, want 409 %s rule %s", body, r.Status, r.Body, httpserver.TypeConflict, rule)
	}
	return p["detail"].(string)
}

// A notice to one subject is refused while only the other subject was warned: the rule
// names the person by id, never by name, and nothing is recorded; the person warned may be
// given one once their date has passed.
func TestCommunityProtectionNoticeNeedsAWarningToThatPerson(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, secondID := e.investigating(olive, true)
	path := "/investigations/" + f.id
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": f.subjectID, "comply_by": "2026-03-09"})
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	olive = e.officer("olive")

	before := e.rowCounts()
	detail := e.refusedByRule(path, olive, map[string]any{"kind": cpn, "person_id": secondID}, "cpw_first")
	want := "a community protection notice may be issued only after a written community protection warning " +
		"(Anti-social Behaviour, Crime and Policing Act 2014 s43(5)); " + f.view["reference"].(string) +
		" has no community protection warning to person " + secondID
	if detail != want {
		t.Errorf("detail\n %q\nwant\n %q", detail, want)
	}
	if strings.Contains(detail, "Sid") || strings.Contains(detail, "Second") {
		t.Errorf("the refusal names the person: %q", detail)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusal wrote rows: %v, before %v", after, before)
	}
	if n := len(e.Must(200, "GET", path, olive, nil)["actions"].([]any)); n != 1 {
		t.Fatalf("%d actions after the refusal, want the warning alone", n)
	}

	v := e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpn, "person_id": f.subjectID})
	got := v["actions"].([]any)[1].(map[string]any)
	if got["kind"] != cpn || got["person_id"] != f.subjectID || got["comply_by"] != nil {
		t.Errorf("the notice recorded as %v", got)
	}
}

// A notice waits until the day after the warning's comply_by, reckoned in London with the
// service's clock: refused the evening before (in BST, 23:30 on 6 April is 22:30 UTC), taken
// half an hour after midnight London time, while it is still 6 April in UTC.
func TestCommunityProtectionNoticeWaitsForTheTimeToComply(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, _ := e.investigating(olive, false)
	path := "/investigations/" + f.id
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "comply_by": "2026-04-06"})
	want := "a community protection notice may be issued only once the person warned has had enough time to deal with the matter " +
		"(Anti-social Behaviour, Crime and Policing Act 2014 s43(5)); the warning to person " + f.subjectID + " on " +
		f.view["reference"].(string) + " gave until 2026-04-06 to change their conduct, so a notice may be issued from 2026-04-07"
	for _, now := range []time.Time{
		start, // the day of the warning
		time.Date(2026, 4, 6, 22, 30, 0, 0, time.UTC), // 23:30 on 6 April in London
	} {
		e.Clock.Set(now)
		olive = e.officer("olive")
		before := e.rowCounts()
		if detail := e.refusedByRule(path, olive, map[string]any{"kind": cpn}, "cpw_time_to_comply"); detail != want {
			t.Errorf("at %s: detail\n %q\nwant\n %q", now, detail, want)
		}
		if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
			t.Errorf("at %s the refusal wrote rows: %v, before %v", now, after, before)
		}
	}
	e.Clock.Set(time.Date(2026, 4, 6, 23, 30, 0, 0, time.UTC)) // 00:30 on 7 April in London
	olive = e.officer("olive")
	v := e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpn})
	if actions := v["actions"].([]any); len(actions) != 2 || actions[1].(map[string]any)["person_id"] != f.subjectID {
		t.Errorf("actions %v, want the warning and the notice to %s", actions, f.subjectID)
	}
}

// What an action names is checked, refused with a 400 problem pointing at the member and
// saying why, and nothing is recorded.
func TestActionPersonAndDateToComplyAreChecked(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	one, _ := e.investigating(olive, false)
	two, _ := e.investigating(olive, true)
	const (
		required = "is required: a community protection warning states the date (YYYY-MM-DD) by which the conduct must change " +
			"(Anti-social Behaviour, Crime and Policing Act 2014 s43(5))"
		tooSoon = "cannot be before the day after the warning (2026-03-03)"
	)
	cases := []struct {
		name            string
		f               fixture
		body            map[string]any
		pointer, detail string
	}{
		{"a warning without comply_by", one, map[string]any{"kind": cpw}, "/comply_by", required},
		{"a warning to comply by the day it is given", one, map[string]any{"kind": cpw, "comply_by": "2026-03-02"}, "/comply_by", tooSoon},
		{"a warning to comply by a day before it", one, map[string]any{"kind": cpw, "comply_by": "2026-02-27"}, "/comply_by", tooSoon},
		{"a warning to comply beyond 12 months", one, map[string]any{"kind": cpw, "comply_by": "2027-03-03"}, "/comply_by",
			"cannot be after 12 months from the warning (2027-03-02)"},
		// The contract (format: date) answers for a value that is no date, before the service.
		{"a warning to comply by 30 February", one, map[string]any{"kind": cpw, "comply_by": "2026-02-30"}, "/comply_by",
			`'2026-02-30' is not valid date: parsing time "2026-02-30": day out of range`},
		{"a warning to comply by next week", one, map[string]any{"kind": cpw, "comply_by": "next week"}, "/comply_by",
			`'next week' is not valid date: parsing time "next week" as "2006-01-02": cannot parse "next week" as "2006"`},
		{"comply_by on a fixed penalty", one, map[string]any{"kind": "fixed_penalty", "comply_by": "2026-04-01"}, "/comply_by",
			"is only for a community protection warning; a fixed penalty sets no date to comply by"},
		{"comply_by on a notice", one, map[string]any{"kind": cpn, "comply_by": "2026-04-01"}, "/comply_by",
			"is only for a community protection warning; a community protection notice sets no date to comply by"},
		{"a warning to no one on the case", one, map[string]any{"kind": cpw, "comply_by": "2026-04-01", "person_id": "0193a4b2-0000-7000-8000-00000000ffff"},
			"/person_id", "is not a person on this investigation"},
		{"a warning to the witness", one, map[string]any{"kind": cpw, "comply_by": "2026-04-01", "person_id": one.witnessID},
			"/person_id", "must name a person in the subject or owner role for a community protection warning: person " + one.witnessID + " is in the witness role"},
		{"a fixed penalty to the reporter", one, map[string]any{"kind": "fixed_penalty", "person_id": one.reporterID},
			"/person_id", "must name a person in the subject or owner role for a fixed penalty: person " + one.reporterID + " is in the reporter role"},
		{"a warning naming no one with two subjects", two, map[string]any{"kind": cpw, "comply_by": "2026-04-01"},
			"/person_id", "is required: the case has 2 people in the subject role; name the one the community protection warning is addressed to"},
		{"a notice naming no one with two subjects", two, map[string]any{"kind": cpn},
			"/person_id", "is required: the case has 2 people in the subject role; name the one the community protection notice is addressed to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.rowCounts()
			r := e.Call("POST", "/investigations/"+c.f.id+"/actions", olive, c.body)
			p := r.JSON(t)
			want := []any{map[string]any{"pointer": c.pointer, "detail": c.detail}}
			if r.Status != 400 || r.Header.Get("Content-Type") != httpserver.ProblemContentType || p["type"] != httpserver.TypeValidation ||
				!reflect.DeepEqual(p["errors"], want) {
				t.Fatalf("%d %s, want 400 validation %v", r.Status, r.Body, want)
			}
			if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
				t.Errorf("the refusal wrote rows: %v, before %v", after, before)
			}
		})
	}
	for _, f := range []fixture{one, two} {
		if v := e.Must(200, "GET", "/investigations/"+f.id, olive, nil); v["status"] != "investigating" || len(v["actions"].([]any)) != 0 {
			t.Errorf("after the refusals: %s actions %v", v["status"], v["actions"])
		}
	}
}

// The case view shows whom each action is addressed to and a warning's date to comply, as
// stored: a warning to the only subject by default, one to a subject named, a step to no one.
func TestActionsShowWhomTheyAddressAndTheDateToComply(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, secondID := e.investigating(olive, true)
	path := "/investigations/" + f.id
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": f.subjectID, "comply_by": "2026-03-16", "notes": "letter handed over"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": secondID, "comply_by": "2027-03-02"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "abatement_notice"})
	at := start.Format(time.RFC3339)
	want := []any{
		map[string]any{"kind": cpw, "notes": "letter handed over", "at": at, "by": "olive", "person_id": f.subjectID, "comply_by": "2026-03-16"},
		map[string]any{"kind": cpw, "at": at, "by": "olive", "person_id": secondID, "comply_by": "2027-03-02"},
		map[string]any{"kind": "abatement_notice", "at": at, "by": "olive"},
	}
	if got := e.Must(200, "GET", path, olive, nil)["actions"]; !reflect.DeepEqual(got, want) {
		t.Errorf("actions\n %v\nwant\n %v", got, want)
	}
	if n := e.Count(`SELECT count(*) FROM investigation_actions WHERE investigation_id = $1 AND
		(position, person_id, comply_by) IN ((0, $2, '2026-03-16'::date), (1, $3, '2027-03-02'::date))`, f.id, f.subjectID, secondID); n != 2 {
		t.Errorf("%d warnings stored with their person and date, want 2", n)
	}
	if n := e.Count(`SELECT count(*) FROM investigation_actions WHERE investigation_id = $1 AND position = 2
		AND person_id IS NULL AND comply_by IS NULL`, f.id); n != 1 {
		t.Errorf("the step to no one is stored with a person or a date")
	}
}

// A subject's export holds the enforcement addressed to them or to no one, with a warning's
// date to comply; a warning to the other subject is theirs, counted among what was left out.
func TestRightsExportHoldsTheActionsAddressedToThePerson(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, secondID := e.investigating(olive, true)
	path := "/investigations/" + f.id
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": f.subjectID, "comply_by": "2026-03-16"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": secondID, "comply_by": "2026-04-01"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "abatement_notice"})
	export := func(personID string) rights.Record {
		t.Helper()
		got := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-a", RecordIDs: []string{f.id + "/" + personID}})
		if len(got.Records) != 1 {
			t.Fatalf("records %+v", got.Records)
		}
		return got.Records[0]
	}
	for _, c := range []struct {
		who, id  string
		want     []any
		redacted string
	}{
		{"the first subject", f.subjectID, []any{
			map[string]any{"kind": cpw, "on": "2026-03-02", "comply_by": "2026-03-16"},
			map[string]any{"kind": "abatement_notice", "on": "2026-03-02"}}, "5 statements, items or records supplied by or about other people"},
		{"the second subject", secondID, []any{
			map[string]any{"kind": cpw, "on": "2026-03-02", "comply_by": "2026-04-01"},
			map[string]any{"kind": "abatement_notice", "on": "2026-03-02"}}, "6 statements, items or records supplied by or about other people"},
		{"the witness", f.witnessID, nil, "6 statements, items or records supplied by or about other people"},
	} {
		rec := export(c.id)
		got, _ := rec.Held["enforcement"].([]any)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s's enforcement\n %v\nwant\n %v", c.who, got, c.want)
		}
		if !strings.Contains(strings.Join(rec.Redactions, "; "), c.redacted) {
			t.Errorf("%s's redactions %q, want %q", c.who, rec.Redactions, c.redacted)
		}
		raw, _ := json.Marshal(rec)
		for _, other := range []string{f.subjectID, secondID} {
			if other != c.id && strings.Contains(string(raw), other) {
				t.Errorf("%s's export names %s: %s", c.who, other, raw)
			}
		}
	}
}
