package service_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// held lists what a case still holds: each evidence item and e-mail by description (or
// "erased"), and whether the case file's people and matter are there.
func (e *env) held(id string) []string {
	e.T.Helper()
	v := e.Must(200, "GET", "/investigations/"+id, e.manager("mina"), nil)
	var out []string
	for _, it := range v["evidence"].([]any) {
		m := it.(map[string]any)
		if m["erased_at"] != nil {
			out = append(out, m["kind"].(string)+": erased")
		} else {
			out = append(out, m["kind"].(string)+": "+m["description"].(string))
		}
	}
	for _, it := range v["emails"].([]any) {
		m := it.(map[string]any)
		if m["erased_at"] != nil {
			out = append(out, "email: erased")
		} else {
			out = append(out, "email: "+m["subject"].(string))
		}
	}
	if v["erased_at"] != nil {
		out = append(out, "case file: erased")
	} else {
		out = append(out, "case file: "+v["people"].([]any)[0].(map[string]any)["name"].(string))
	}
	return out
}

func (e *env) sweepAt(day time.Time) {
	e.T.Helper()
	e.Clock.Set(day)
	if _, err := e.svc.App.SweepRetention(context.Background(), 100); err != nil {
		e.T.Fatal(err)
	}
}

// TestRetentionErasesEachItemOnItsOwnClock moves the clock through every rule of the
// notice and checks each erases what it should and nothing more, and that a legal hold
// stops them all.
func TestRetentionErasesEachItemOnItsOwnClock(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	officer := e.officer("olive")
	prepare := func(conviction bool) string {
		f := e.openCase(officer, "noise", "", nil)
		p := "/investigations/" + f.id
		e.Must(200, "POST", p+"/evidence", officer, map[string]any{"kind": "body_worn_video", "description": "Officer camera at No. 3",
			"captured_at": "2026-02-25T21:00:00Z", "used_as_evidence": true})
		e.Must(200, "POST", p+"/emails", officer, map[string]any{"from": "rita@example.org", "subject": "More noise",
			"body": "It happened again", "received_at": "2026-03-01T09:00:00Z"})
		if conviction {
			e.Must(200, "POST", p+"/triage", officer, nil)
			e.Must(200, "POST", p+"/investigate", officer, nil)
			e.Must(200, "POST", p+"/prosecute", officer, nil)
			e.Must(200, "POST", p+"/outcome", officer, map[string]any{"outcome": "conviction", "offence": "o", "court": "c",
				"date": "2026-03-10", "sentence": "10 years' disqualification", "sentence_length": "10y"})
		} else {
			e.Must(200, "POST", p+"/outcome", officer, map[string]any{"outcome": "no_further_action"})
		}
		return f.id
	}
	plain, convicted, onHold := prepare(false), prepare(true), prepare(false)
	for _, id := range []string{plain, convicted, onHold} {
		e.Must(200, "POST", "/investigations/"+id+"/close", officer, map[string]any{"reason": "done"})
	}
	e.Must(200, "PUT", "/investigations/"+onHold+"/legal-hold", e.manager("mina"), map[string]any{"reason": "civil claim pending"})

	all := []string{"witness_statement: Statement of Wendy Witness", "photo: Photo of the speakers", "cctv: CCTV from No. 5",
		"body_worn_video: Officer camera at No. 3", "email: More noise", "case file: Rita Reporter"}
	replace := func(list []string, from, to string) []string {
		out := slices.Clone(list)
		for i, s := range out {
			if s == from {
				out[i] = to
			}
		}
		return out
	}
	cctvGone := replace(all, "cctv: CCTV from No. 5", "cctv: erased")
	bwvGone := replace(cctvGone, "body_worn_video: Officer camera at No. 3", "body_worn_video: erased")
	emailGone := replace(bwvGone, "email: More noise", "email: erased")
	caseGone := []string{"witness_statement: erased", "photo: erased", "cctv: erased", "body_worn_video: erased", "email: erased", "case file: erased"}

	steps := []struct {
		name  string
		day   time.Time
		plain []string
		conv  []string
	}{
		{"day before CCTV's 30 days end", time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC), all, all},
		{"CCTV not used as evidence: 30 days from capture", time.Date(2026, 3, 27, 0, 30, 0, 0, time.UTC), cctvGone, cctvGone},
		{"footage used as evidence: day before 6 years", time.Date(2032, 2, 24, 12, 0, 0, 0, time.UTC), cctvGone, cctvGone},
		{"footage used as evidence: 6 years from capture", time.Date(2032, 2, 25, 12, 0, 0, 0, time.UTC), bwvGone, bwvGone},
		{"e-mail: 7 years from receipt", time.Date(2033, 3, 1, 12, 0, 0, 0, time.UTC), emailGone, emailGone},
		{"case: 7 years from the end of the service; the conviction stays", time.Date(2033, 3, 10, 12, 0, 0, 0, time.UTC), caseGone, emailGone},
		{"conviction: day before the 10-year sentence ends", time.Date(2036, 3, 9, 12, 0, 0, 0, time.UTC), caseGone, emailGone},
		{"conviction: the sentence, being longer than 7 years", time.Date(2036, 3, 10, 12, 0, 0, 0, time.UTC), caseGone, caseGone},
	}
	for _, s := range steps {
		e.sweepAt(s.day)
		if got := e.held(plain); normal(t, got) != normal(t, s.plain) {
			t.Errorf("%s: closed case holds %v, want %v", s.name, got, s.plain)
		}
		if got := e.held(convicted); normal(t, got) != normal(t, s.conv) {
			t.Errorf("%s: convicted case holds %v, want %v", s.name, got, s.conv)
		}
		if got := e.held(onHold); normal(t, got) != normal(t, all) {
			t.Errorf("%s: case under legal hold holds %v, want everything", s.name, got)
		}
	}
	e.Must(200, "DELETE", "/investigations/"+onHold+"/legal-hold", e.manager("mina"), nil)
	e.sweepAt(time.Date(2036, 3, 11, 12, 0, 0, 0, time.UTC))
	if got := e.held(onHold); normal(t, got) != normal(t, caseGone) {
		t.Errorf("after the hold is released: %v, want %v", got, caseGone)
	}
	// Erasure kept what identifies no one: the status and the area.
	v := e.Must(200, "GET", "/investigations/"+plain, e.manager("mina"), nil)
	if v["status"] != "closed" || v["area"] != "noise" || v["matter"].(map[string]any)["summary"] != "" {
		t.Errorf("erased case: status %v area %v matter %v", v["status"], v["area"], v["matter"])
	}
}

// Nothing past its retention date is disclosed, or answered as held, in the hour before the
// sweep erases it: CCTV captured 25 February and not used as evidence is kept 30 days, to
// 27 March, and a referral that morning, the sweep not yet run, carries none of it; nor
// does the subject's access answer list the footage of him, which may not be marked as
// used as evidence then either. The day before, all of it goes; under a legal hold, which
// stops the sweep, it still does. A case file past its date answers as erased.
func TestNothingPastItsRetentionDateIsDisclosedBeforeTheSweep(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	v := e.Must(200, "POST", p+"/evidence", olive, map[string]any{"kind": "body_worn_video", "description": "Officer camera: Sam Subject at No. 3",
		"person_id": f.subjectID, "captured_at": "2026-02-25T21:00:00Z"})
	evidence := v["evidence"].([]any)
	camera := evidence[len(evidence)-1].(map[string]any)
	if camera["retention"].(map[string]any)["due"] != "2026-03-27" || f.view["evidence"].([]any)[2].(map[string]any)["retention"].(map[string]any)["due"] != "2026-03-27" {
		t.Fatalf("footage retention %v", camera["retention"])
	}
	e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "request 42"})
	police := map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"}
	footage := func(data any) []string {
		var out []string
		for _, it := range data.(map[string]any)["cctv_footage"].([]any) {
			out = append(out, it.(map[string]any)["description"].(string))
		}
		return out
	}
	subjectsEvidence := func() []any {
		got, _ := e.exportOf(f.id, f.subjectID).Held["evidence"].([]any)
		return got
	}

	e.Clock.Set(time.Date(2026, 3, 26, 23, 30, 0, 0, time.UTC)) // the last day of the 30
	olive = e.officer("olive")
	if got := footage(e.Must(201, "POST", p+"/referrals", olive, police)["data"]); !reflect.DeepEqual(got, []string{"CCTV from No. 5", "Officer camera: Sam Subject at No. 3"}) {
		t.Fatalf("on the last day the police received footage %v", got)
	}
	if got := subjectsEvidence(); len(got) != 1 {
		t.Fatalf("on the last day the subject's access answer lists evidence %v", got)
	}

	e.Clock.Set(time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)) // due; the hourly sweep has not run
	olive = e.officer("olive")
	want := policeData(f)
	delete(want, "cctv_footage")
	r := e.Must(201, "POST", p+"/referrals", olive, police)
	if g, w := normal(t, r["data"]), normal(t, want); g != w {
		t.Errorf("on the day the footage is due the police received\n %s\nwant\n %s", g, w)
	}
	for _, footage := range []string{"CCTV from No. 5", "Officer camera"} {
		if n := e.outboxHolding(footage); n != 1 {
			t.Errorf("%d outbox rows hold %q, want only the referral made the day before", n, footage)
		}
	}
	if got := subjectsEvidence(); got != nil {
		t.Errorf("on the day the footage is due the subject's access answer lists evidence %v", got)
	}
	before := e.rowCounts()
	for _, item := range []string{f.cctvID, camera["id"].(string)} {
		r := e.Call("POST", p+"/evidence/"+item+"/used-as-evidence", olive, nil)
		if pr := testkit.ProblemOf(t, r, 409, httpserver.TypeConflict); pr["rule"] != "item_erased" ||
			pr["detail"] != "the item's retention ended on 2026-03-27: it is erased under the retention schedule" {
			t.Errorf("footage past its date marked as used as evidence: %s", r.Body)
		}
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusals wrote rows: %v, before %v", after, before)
	}

	// A legal hold stops the sweep: the footage is held, and goes.
	mona := e.manager("mona")
	e.Must(200, "PUT", p+"/legal-hold", mona, map[string]any{"reason": "civil claim pending"})
	if got := footage(e.Must(201, "POST", p+"/referrals", olive, police)["data"]); len(got) != 2 {
		t.Errorf("under a legal hold the police received footage %v", got)
	}
	e.Must(200, "DELETE", p+"/legal-hold", mona, nil)

	// Closed, the case file is kept 7 years: due 2033-03-27, and then nothing goes.
	e.Must(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", p+"/close", olive, map[string]any{"reason": "done"})
	e.Clock.Set(time.Date(2033, 3, 27, 9, 0, 0, 0, time.UTC))
	olive = e.officer("olive")
	before = e.rowCounts()
	if pr := testkit.ProblemOf(t, e.Call("POST", p+"/referrals", olive, police), 409, httpserver.TypeConflict); pr["rule"] != "erased" {
		t.Errorf("a referral of a case file past its date: %v", pr)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusal wrote rows: %v, before %v", after, before)
	}
	rec := e.exportOf(f.id, f.reporterID)
	if raw, _ := json.Marshal(rec); strings.Contains(string(raw), "Rita") || strings.Contains(string(raw), "Loud music") || rec.Held["erased_on"] != "2033-03-27" {
		t.Errorf("the reporter's access answer on the day her case file is due: %s", raw)
	}
	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-f", Identifiers: rights.Identifiers{Name: "rita reporter"}})
	if len(found.Candidates) != 0 {
		t.Errorf("a search finds the reporter in a case file past its date: %+v", found.Candidates)
	}
}

// One case that cannot be erased (here a fault injected in the database for its row) does
// not stop the sweep: the cases after it are erased, and the failure is reported by case.
// Before, the first error ended the run, so the case at the head of the list held back
// every case after it on every run.
func TestOneCaseThatCannotBeErasedDoesNotHoldBackTheOthers(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	officer := e.officer("olive")
	stuck, next := e.openCase(officer, "noise", "", nil).id, e.openCase(officer, "noise", "", nil).id
	// Footage captured five days before the others': the stuck case is due first.
	e.Must(200, "POST", "/investigations/"+stuck+"/evidence", officer, map[string]any{"kind": "cctv",
		"description": "CCTV from No. 7", "captured_at": "2026-02-20T22:00:00Z"})
	for _, stmt := range []string{
		`CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`,
		`CREATE TRIGGER refuse_update BEFORE UPDATE ON investigations FOR EACH ROW WHEN (OLD.id = '` + stuck + `') EXECUTE FUNCTION refuse_update()`,
	} {
		if _, err := e.DB.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	e.Clock.Set(time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC))
	n, err := e.svc.App.SweepRetention(context.Background(), 2)
	if n != 1 || err == nil || !strings.Contains(err.Error(), stuck) || !strings.Contains(err.Error(), "injected fault") {
		t.Fatalf("sweep: %d changed, %v; want 1 and the stuck case's error", n, err)
	}
	if got := e.held(next); !slices.Contains(got, "cctv: erased") {
		t.Errorf("the case after the stuck one still holds %v", got)
	}
}
