package service_test

import (
	"context"
	"slices"
	"testing"
	"time"
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
