package service_test

import (
	"slices"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// rectify asks the service to correct one detail of a decision, as the rights service does.
func (e *env) rectify(id, field, value string) rights.Outcome {
	e.T.Helper()
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-s", RecordIDs: []string{id}, Field: field, Value: value})
	if len(got.Outcomes) != 1 {
		e.T.Fatalf("rectify %s: %+v", field, got)
	}
	return got.Outcomes[0]
}

func takedownOf(d map[string]any) (on, reason string) {
	tk, _ := d["takedown"].(map[string]any)
	on, _ = tk["on"].(string)
	reason, _ = tk["reason"].(string)
	return on, reason
}

func allows(d map[string]any, action string) bool {
	actions, _ := d["allowed_actions"].([]any)
	return slices.Contains(actions, any(action))
}

// TestCorrectedSentenceHoldsThePublishedEntryUntilAmended: a published entry's sentence
// corrected in the court's words no longer says when the conviction is spent, so the entry
// leaves the register until an officer amends the sentence for the rehabilitation rules.
// The amendment re-plans the takedown: an earlier spent date wins, a later one does not
// move it, and one already passed takes the entry down at once. A draft awaiting approval
// whose sentence was corrected cannot be approved until it is drafted again.
func TestCorrectedSentenceHoldsThePublishedEntryUntilAmended(t *testing.T) {
	e := newEnv(t)
	takedowns := e.Collect("PUBLICATION_EVENTS", "publication.events.taken_down")
	amended := e.Collect("PUBLICATION_EVENTS", "publication.events.sentence_amended")
	e.disclose("0195f3a0-0000-7000-8000-000000001601", "", aConviction())
	e.disclose("0195f3a0-0000-7000-8000-000000001602", "", aConviction())
	ids := e.waitForDecisions(2)
	id, path := ids[0], "/decisions/"+ids[0]
	e.publish(id, aDraft()) // a fine: down on 2026-04-02, the end of the month

	if o := e.rectify(id, "sentence", "Conditional discharge for 12 months"); !o.Done {
		t.Fatalf("rectify the sentence: %+v", o)
	}
	d := e.Must(200, "GET", path, e.officer("olive"), nil)
	if on, _ := takedownOf(d); d["status"] != "published" || d["sentence_to_amend"] != true || !allows(d, "amend_sentence") || on != "2026-04-02" {
		t.Fatalf("after the correction: %v", d)
	}
	if entries := e.registerJSON(); len(entries) != 0 {
		t.Fatalf("an entry whose sentence was corrected is on the register: %v", entries)
	}

	amend := func(sentence map[string]any) map[string]any {
		return e.Must(200, "POST", path+"/sentence", e.officer("olive"), map[string]any{"sentence": sentence})
	}
	d = amend(map[string]any{"type": "conditional_discharge", "ends_on": "2026-03-09"})
	if on, reason := takedownOf(d); on != "2026-03-10" || reason != "spent" || d["sentence_to_amend"] != nil || d["status"] != "published" {
		t.Fatalf("amended to a discharge spent on 2026-03-10: %v", d)
	}
	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["sentence"] != "Conditional discharge for 12 months" {
		t.Fatalf("register after the amendment: %v", entries)
	}
	d = amend(map[string]any{"type": "conditional_discharge", "ends_on": "2027-02-19"})
	if on, reason := takedownOf(d); on != "2026-03-10" || reason != "spent" {
		t.Errorf("a later spent date moved the takedown: %v", d["takedown"])
	}
	if msgs := amended.WaitFor(t, 2); decode(t, msgs[0])["takedown_on"] != "2026-03-10" {
		t.Errorf("amendment event %v", decode(t, msgs[0]))
	}

	d = amend(map[string]any{"type": "absolute_discharge"}) // spent on conviction: long passed
	if tk, _ := d["taken_down"].(map[string]any); d["status"] != "taken_down" || tk["kind"] != "spent" {
		t.Fatalf("amended to a sentence already spent: %v", d)
	}
	if entries := e.registerJSON(); len(entries) != 0 {
		t.Errorf("register %v", entries)
	}
	if down := decode(t, takedowns.WaitFor(t, 1)[0]); down["decision_id"] != id || down["takedown_reason"] != "spent" {
		t.Errorf("takedown event %v", down)
	}
	p := e.Must(409, "POST", path+"/sentence", e.officer("olive"), map[string]any{"sentence": map[string]any{"type": "fine"}})
	if p["decision_status"] != "taken_down" {
		t.Errorf("amending an entry taken down: %v", p)
	}

	// A draft awaiting approval.
	other := "/decisions/" + ids[1]
	e.Must(200, "POST", other+"/draft", e.officer("olive"), aDraft())
	e.rectify(ids[1], "sentence", "Community order for 12 months")
	if p := e.Must(409, "POST", other+"/approve", e.manager("maria"), nil); p["rule"] != "sentence_to_amend" {
		t.Fatalf("approving a draft whose sentence was corrected: %v", p)
	}
	e.Must(200, "POST", other+"/send-back", e.manager("maria"), map[string]any{"reason": "Draft the sentence again."})
	draft := aDraft()
	draft["sentence"] = map[string]any{"type": "community_order", "ends_on": "2027-02-19"}
	e.Must(200, "POST", other+"/draft", e.officer("olive"), draft)
	if d := e.Must(200, "POST", other+"/approve", e.manager("maria"), nil); d["status"] != "published" || d["sentence_to_amend"] != nil {
		t.Fatalf("approved once drafted again: %v", d)
	}
}

// TestCorrectedDateReplansTheTakedown: the date of conviction can be corrected (a valid
// date, not in the future); a published entry's takedown is then planned again from it: an
// earlier spent date wins, a later one does not move it, one already passed takes the
// entry down at once with the takedown event.
func TestCorrectedDateReplansTheTakedown(t *testing.T) {
	e := newEnv(t)
	takedowns := e.Collect("PUBLICATION_EVENTS", "publication.events.taken_down")
	e.disclose("0195f3a0-0000-7000-8000-000000001701", "", aConviction())
	id := e.waitForDecisions(1)[0]
	path := "/decisions/" + id
	e.publish(id, aDraft()) // a fine on 2026-02-20: spent 2027-02-20, down on 2026-04-02

	for _, bad := range []string{"2026-03-03", "2026-02-30", "1899-12-31", "20 February 2026"} {
		if o := e.rectify(id, "date", bad); o.Done || o.Refusal == nil || o.Refusal.Ground != "invalid_value" {
			t.Errorf("rectify the date to %q: %+v", bad, o)
		}
	}
	if o := e.rectify(id, "date", "2025-03-25"); !o.Done {
		t.Fatalf("rectify the date: %+v", o)
	}
	d := e.Must(200, "GET", path, e.officer("olive"), nil)
	reh := d["takedown"].(map[string]any)["rehabilitation"].(map[string]any)
	if on, reason := takedownOf(d); on != "2026-03-25" || reason != "spent" || reh["spent_on"] != "2026-03-25" ||
		d["conviction"].(map[string]any)["date"] != "2025-03-25" || d["status"] != "published" {
		t.Fatalf("after correcting the date to 2025-03-25: %v", d)
	}
	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["date"] != "2025-03-25" {
		t.Errorf("register %v", entries)
	}
	e.rectify(id, "date", "2026-02-25")
	if on, _ := takedownOf(e.Must(200, "GET", path, e.officer("olive"), nil)); on != "2026-03-25" {
		t.Errorf("a later spent date moved the takedown to %s", on)
	}
	if o := e.rectify(id, "date", "2025-03-01"); !o.Done { // spent 2026-03-01: yesterday
		t.Fatalf("rectify the date: %+v", o)
	}
	d = e.Must(200, "GET", path, e.officer("olive"), nil)
	if tk, _ := d["taken_down"].(map[string]any); d["status"] != "taken_down" || tk["kind"] != "spent" || len(e.registerJSON()) != 0 {
		t.Fatalf("after correcting the date to one already spent: %v", d)
	}
	if down := decode(t, takedowns.WaitFor(t, 1)[0]); down["takedown_reason"] != "spent" || down["status"] != "taken_down" {
		t.Errorf("takedown event %v", down)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'decision.taken_down' AND detail->>'field' = 'date'`,
		"publication:"+id); n != 1 {
		t.Errorf("%d takedowns recorded as caused by the corrected date", n)
	}
}

// TestUnboundedDatesAreRefused: a date past what the service can reckon with is refused as
// its field's validation error, never a 500 later: a sentence ending in 9998 (the draft,
// and an amendment), one ending more than 100 years after the conviction, and a conviction
// before 1900. The last day allowed is accepted and the decision approved.
func TestUnboundedDatesAreRefused(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000001801", "", aConviction())
	path := "/decisions/" + e.waitForDecisions(1)[0]
	ending := func(typ, term, endsOn string) map[string]any {
		d := aDraft()
		d["sentence"] = map[string]any{"type": typ, "ends_on": endsOn}
		if term != "" {
			d["sentence"].(map[string]any)["term"] = term
		}
		return d
	}
	manual := aConviction()
	manual["date"] = "1899-12-31"
	e.RefusesBadInput(t, e.officer("olive"), []testkit.BadInput{
		{Name: "a community order ending in 9998", Method: "POST", Path: path + "/draft", Body: ending("community_order", "", "9998-12-31"),
			Status: 400, Problem: "validation", Pointers: []string{"/sentence/ends_on"}},
		{Name: "custody ending in 9998", Method: "POST", Path: path + "/draft", Body: ending("custody", "2y", "9998-12-31"),
			Status: 400, Problem: "validation", Pointers: []string{"/sentence/ends_on"}},
		{Name: "a sentence ending 100 years and a day after the conviction", Method: "POST", Path: path + "/draft",
			Body: ending("conditional_discharge", "", "2126-02-21"), Status: 400, Problem: "validation", Pointers: []string{"/sentence/ends_on"}},
		{Name: "a conviction before 1900", Method: "POST", Path: "/decisions", Body: map[string]any{"team": "licensing", "conviction": manual},
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/date"}},
	})
	e.Must(200, "POST", path+"/draft", e.officer("olive"), ending("community_order", "", "2126-02-20"))
	d := e.Must(200, "POST", path+"/approve", e.manager("maria"), nil)
	reh := d["takedown"].(map[string]any)["rehabilitation"].(map[string]any)
	if on, reason := takedownOf(d); on != "2026-04-02" || reason != "publication_period" || reh["spent_on"] != "2126-02-21" {
		t.Fatalf("approved with the last day allowed: %v", d["takedown"])
	}
	e.RefusesBadInput(t, e.officer("olive"), []testkit.BadInput{
		{Name: "an amendment ending in 9998", Method: "POST", Path: path + "/sentence",
			Body:   map[string]any{"sentence": map[string]any{"type": "community_order", "ends_on": "9998-12-31"}},
			Status: 400, Problem: "validation", Pointers: []string{"/sentence/ends_on"}},
	})
}
