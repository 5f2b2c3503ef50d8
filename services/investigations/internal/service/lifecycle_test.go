package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/testkit"
)

// TestLifecycleToConvictionPublishesTheOutcome walks a case from report to closure and
// checks that the conviction's publication outcome reached the publication service in the
// same commit as the outcome, and that status events carry no personal data.
func TestLifecycleToConvictionPublishesTheOutcome(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.publication-service.investigations.>")
	status := e.Collect("INVESTIGATIONS_STATUS", "status.investigations.>")
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	path := "/investigations/" + f.id

	steps := []struct {
		path   string
		body   any
		status string
		next   []any
	}{
		{"/triage", nil, "triaged", []any{"investigate", "record_outcome"}},
		{"/investigate", nil, "investigating", []any{"take_action", "prosecute", "record_outcome"}},
		{"/actions", map[string]any{"kind": "notice_served", "notes": "abatement notice served"}, "action_taken", []any{"take_action", "prosecute", "record_outcome", "close"}},
		{"/prosecute", nil, "prosecution", []any{"record_outcome"}},
		{"/outcome", map[string]any{"outcome": "conviction", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
			"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 1,200", "sentence_length": "none", "person_id": f.subjectID}, "outcome", []any{"close"}},
		{"/close", map[string]any{"reason": "sentence passed"}, "closed", []any{}},
	}
	for _, s := range steps {
		v := e.Must(200, "POST", path+s.path, officer, s.body)
		if v["status"] != s.status || normal(t, v["allowed_actions"]) != normal(t, s.next) {
			t.Fatalf("%s: status %v allowed %v, want %s %v", s.path, v["status"], v["allowed_actions"], s.status, s.next)
		}
	}
	msgs := share.WaitFor(t, 1)
	body := testkit.Decode(t, msgs[0])
	want := map[string]any{"name": "Sam Subject", "town": "Maidstone", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 1,200"}
	if msgs[0].Subject() != "share.publication-service.investigations.publication_decision" || normal(t, body["data"]) != normal(t, want) {
		t.Errorf("publication disclosure on %s: %v, want %v", msgs[0].Subject(), body["data"], want)
	}
	if body["condition"] != "public_task" || body["purpose"] != "publication_decision" {
		t.Errorf("publication envelope %v", body)
	}
	var logged int
	if err := e.DB.Get(&logged, `SELECT count(*) FROM disclosure_log WHERE case_id = $1 AND recipient = 'publication-service'`, f.id); err != nil || logged != 1 {
		t.Errorf("disclosure log rows for the publication: %d (%v), want 1", logged, err)
	}

	// Status events: one per change (open + 6 steps), none with personal data.
	testkit.NoPersonalData(t, "status events", status.WaitFor(t, 7), "Sam Subject", "Rita Reporter", "Mill Lane", "Maidstone Magistrates")
}

// TestIllegalTransitionsName409AndTheAllowedSteps checks the lifecycle refuses steps out
// of order with 409 and the steps allowed instead, and that nothing changed.
func TestIllegalTransitionsName409AndTheAllowedSteps(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "smoke", "", nil)
	path := "/investigations/" + f.id
	cases := []struct {
		path    string
		body    any
		allowed []any
	}{
		{"/investigate", nil, []any{"triage", "record_outcome"}},
		{"/prosecute", nil, []any{"triage", "record_outcome"}},
		{"/close", map[string]any{"reason": "x"}, []any{"triage", "record_outcome"}},
		{"/actions", map[string]any{"kind": "warning"}, []any{"triage", "record_outcome"}},
	}
	for _, c := range cases {
		r := e.Call("POST", path+c.path, officer, c.body)
		p := r.JSON(t)
		if r.Status != 409 || p["investigation_status"] != "received" || normal(t, p["allowed_actions"]) != normal(t, c.allowed) {
			t.Errorf("%s: %d %s, want 409 with allowed %v", c.path, r.Status, r.Body, c.allowed)
		}
	}
	// A conviction needs a prosecution first: the rule is named.
	r := e.Call("POST", path+"/outcome", officer, map[string]any{"outcome": "conviction", "offence": "o", "court": "c", "date": "2026-03-02", "sentence": "s"})
	if p := r.JSON(t); r.Status != 409 || p["rule"] != "outcome_needs_prosecution" {
		t.Errorf("conviction before prosecution: %d %s", r.Status, r.Body)
	}
	e.Must(200, "POST", path+"/outcome", officer, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", path+"/close", officer, map[string]any{"reason": "nothing to pursue"})
	r = e.Call("POST", path+"/triage", officer, nil)
	if p := r.JSON(t); r.Status != 409 || normal(t, p["allowed_actions"]) != "[]" {
		t.Errorf("triage a closed case: %d %s", r.Status, r.Body)
	}
	v := e.Must(200, "GET", path, officer, nil)
	if v["status"] != "closed" {
		t.Errorf("status %v after refused steps, want closed", v["status"])
	}
}

// TestNeedToKnow: a domestic abuse case is read only by its assigned officers and
// managers; anyone else gets 404 for reads and writes alike, and each attempt is audited,
// as is every read.
func TestNeedToKnow(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "domestic_abuse", "", nil)
	hate := e.openCase(e.officer("olive"), "anti_social_behaviour", "", map[string]any{"hate_crime": true})
	other := e.openCase(e.officer("olive"), "noise", "", nil)
	for _, id := range []string{f.id, hate.id} {
		for _, call := range []struct{ method, path string }{{"GET", ""}, {"POST", "/triage"}} {
			r := e.Call(call.method, "/investigations/"+id+call.path, e.officer("oscar"), nil)
			if r.Status != 404 {
				t.Errorf("unassigned officer %s %s: %d %s, want 404", call.method, call.path, r.Status, r.Body)
			}
		}
	}
	e.Must(200, "GET", "/investigations/"+f.id, e.officer("olive"), nil)
	e.Must(200, "GET", "/investigations/"+f.id, e.manager("mina"), nil)
	e.Must(200, "GET", "/investigations/"+other.id, e.officer("oscar"), nil) // not need-to-know
	list := e.Must(200, "GET", "/investigations", e.officer("oscar"), nil)["items"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != other.id {
		t.Errorf("oscar's list %v, want only the noise case", list)
	}
	e.Must(200, "POST", "/investigations/"+f.id+"/assignments", e.manager("mina"), map[string]any{"officer": "oscar"})
	e.Must(200, "GET", "/investigations/"+f.id, e.officer("oscar"), nil)

	recs, err := audit.Chain(context.Background(), e.DB, "investigation:"+f.id)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, r := range recs {
		trail = append(trail, r.Actor+" "+r.Action)
	}
	want := []string{"olive investigation.received", "oscar investigation.access_refused", "oscar investigation.access_refused",
		"olive investigation.read", "mina investigation.read", "mina investigation.assigned", "oscar investigation.read"}
	if normal(t, trail) != normal(t, want) {
		t.Errorf("audit trail\n %v\nwant\n %v", trail, want)
	}
	if err := audit.Verify(context.Background(), e.DB, "investigation:"+f.id); err != nil {
		t.Error(err)
	}
}

// TestCommunityProtectionNoticeNeedsAWarningFirst: over HTTP, a CPN with no earlier CPW
// answers 409 with the rule and the section of the Anti-social Behaviour, Crime and
// Policing Act 2014, and records nothing; in order, once the warning's date has passed, it
// passes.
func TestCommunityProtectionNoticeNeedsAWarningFirst(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "anti_social_behaviour", "", nil)
	path := "/investigations/" + f.id
	e.Must(200, "POST", path+"/triage", officer, nil)
	e.Must(200, "POST", path+"/investigate", officer, nil)
	refused := func(kind, rule, section string) {
		t.Helper()
		r := e.Call("POST", path+"/actions", officer, map[string]any{"kind": kind})
		if p := r.JSON(t); r.Status != 409 || p["rule"] != rule || !strings.Contains(fmt.Sprint(p["detail"]), section) {
			t.Errorf("%s: %d %s, want 409 rule %s citing %s", kind, r.Status, r.Body, rule, section)
		}
	}
	refused("community_protection_notice", "cpw_first", "s43(5)")
	if v := e.Must(200, "GET", path, officer, nil); v["status"] != "investigating" || len(v["actions"].([]any)) != 0 {
		t.Fatalf("after refusals: status %v actions %v, want investigating and none", v["status"], v["actions"])
	}
	e.Must(200, "POST", path+"/actions", officer, map[string]any{"kind": "community_protection_warning", "comply_by": "2026-03-09"})
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	officer = e.officer("olive")
	e.Must(200, "POST", path+"/actions", officer, map[string]any{"kind": "community_protection_notice"})
	if v := e.Must(200, "POST", path+"/actions", officer, map[string]any{"kind": "fixed_penalty"}); len(v["actions"].([]any)) != 3 {
		t.Errorf("actions %v, want warning, notice, fixed penalty", v["actions"])
	}
}
