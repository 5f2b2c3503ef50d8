package service_test

import (
	"strings"
	"testing"
)

// TestFourEyes: the manager who drafted a decision may neither approve nor send it back;
// the refusal names the rule and changes nothing. Another manager may; an officer may not.
func TestFourEyes(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000101", "", aConviction())
	id := e.waitForDecisions(1)[0]
	path := "/decisions/" + id
	e.Must(200, "POST", path+"/draft", e.manager("maria"), aDraft())
	audited := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1`, "publication:"+id)

	for _, step := range []struct {
		path string
		body any
	}{{"/approve", nil}, {"/send-back", map[string]any{"reason": "Looks fine to me."}}} {
		p := e.Must(409, "POST", path+step.path, e.manager("maria"), step.body)
		if p["rule"] != "four_eyes" || !strings.Contains(p["detail"].(string), "maria drafted this decision") {
			t.Errorf("%s by the drafter: %v", step.path, p)
		}
	}
	if r := e.Call("POST", path+"/approve", e.officer("olive"), nil); r.Status != 403 {
		t.Errorf("an officer approving: %d %s", r.Status, r.Body)
	}
	d := e.Must(200, "GET", path, e.officer("olive"), nil)
	if d["status"] != "awaiting_approval" || d["approved_by"] != nil || len(e.registerJSON()) != 0 {
		t.Fatalf("refusals changed the decision: %v", d)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action <> 'decision.read'`, "publication:"+id); n != audited {
		t.Errorf("refusals wrote %d audit rows", n-audited)
	}

	back := e.Must(200, "POST", path+"/send-back", e.manager("mark"), map[string]any{"reason": "Rate the publicity factor again."})
	if back["status"] != "to_decide" || back["sent_back"].(map[string]any)["reason"] != "Rate the publicity factor again." || back["draft"] == nil {
		t.Fatalf("sent back: %v", back)
	}
	e.Must(200, "POST", path+"/draft", e.manager("maria"), aDraft())
	ok := e.Must(200, "POST", path+"/approve", e.manager("mark"), nil)
	if ok["status"] != "published" || ok["approved_by"] != "mark" || ok["drafted_by"] != "maria" {
		t.Fatalf("approved by another manager: %v", ok)
	}
}

// TestUnder18NeverPublished: a decision to publish a child's conviction is refused with
// the reason and nothing changes; deciding not to publish it is accepted.
func TestUnder18NeverPublished(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000201", "", aConviction())
	id := e.waitForDecisions(1)[0]
	path := "/decisions/" + id
	for _, outcome := range []string{"publish_website", "publish_and_press"} {
		draft := aDraft()
		draft["offender"] = map[string]any{"age_at_conviction": 17}
		draft["outcome"] = outcome
		p := e.Must(409, "POST", path+"/draft", e.officer("olive"), draft)
		if p["rule"] != "under_18_never_published" || !strings.Contains(p["detail"].(string), "under 18") {
			t.Errorf("%s for a 17-year-old: %v", outcome, p)
		}
	}
	if d := e.Must(200, "GET", path, e.officer("olive"), nil); d["status"] != "to_decide" || d["draft"] != nil {
		t.Fatalf("the refusal changed the decision: %v", d)
	}
	draft := aDraft()
	draft["offender"] = map[string]any{"age_at_conviction": 17}
	draft["outcome"], draft["reasons"] = "do_not_publish", "A child: never published."
	draft["proportionality"] = map[string]any{"proportionate": false, "conclusion": "Publishing a child's conviction is never proportionate."}
	e.Must(200, "POST", path+"/draft", e.officer("olive"), draft)
	d := e.Must(200, "POST", path+"/approve", e.manager("maria"), nil)
	if d["status"] != "not_published" || d["retention_due"] != "2032-03-02" || len(e.registerJSON()) != 0 {
		t.Fatalf("not published: %v", d)
	}
}

// TestSpentConvictionIsNeverPublished: a fine from more than a year ago is spent; a
// decision to publish it is refused.
func TestSpentConvictionIsNeverPublished(t *testing.T) {
	e := newEnv(t)
	old := aConviction()
	old["date"] = "2025-03-02"
	e.disclose("0195f3a0-0000-7000-8000-000000000301", "", old)
	id := e.waitForDecisions(1)[0]
	p := e.Must(409, "POST", "/decisions/"+id+"/draft", e.officer("olive"), aDraft())
	if p["rule"] != "conviction_spent" || !strings.Contains(p["detail"].(string), "2026-03-02") {
		t.Errorf("publishing a spent fine: %v", p)
	}
}

// TestSpentDateBeforeThePeriodEndTakesTheEntryDownFirst: a fine nearly a year old comes
// down on its spent date, not at the end of the month.
func TestSpentDateBeforeThePeriodEndTakesTheEntryDownFirst(t *testing.T) {
	e := newEnv(t)
	c := aConviction()
	c["date"] = "2025-03-20"
	e.disclose("0195f3a0-0000-7000-8000-000000000302", "", c)
	id := e.waitForDecisions(1)[0]
	d := e.publish(id, aDraft())
	tk := d["takedown"].(map[string]any)
	period := tk["publication_period"].(map[string]any)
	if tk["on"] != "2026-03-20" || tk["reason"] != "spent" || period["due_date"] != "2026-04-02" || period["rule"] != "months" {
		t.Fatalf("takedown %v", tk)
	}
}

// TestPressReleaseGoesToThePressAsTheNoticeAllows: publish and send to the press sends one
// release with the six fields and words built from them, logged beside the entry's
// disclosure to the public register; publishing on the website alone sends none and logs
// the register's disclosure alone.
func TestPressReleaseGoesToThePressAsTheNoticeAllows(t *testing.T) {
	e := newEnv(t)
	press := e.Collect("PUBLICATION_SHARE", "share.local-press.>")
	e.disclose("0195f3a0-0000-7000-8000-000000000401", "", aConviction())
	e.disclose("0195f3a0-0000-7000-8000-000000000402", "", aConviction())
	ids := e.waitForDecisions(2)
	draft := aDraft()
	draft["outcome"] = "publish_and_press"
	d := e.publish(ids[0], draft)
	e.publish(ids[1], aDraft())

	msgs := press.WaitFor(t, 1)
	if len(msgs) != 1 || msgs[0].Subject() != "share.local-press.publication.press_release" {
		t.Fatalf("press messages: %v", len(msgs))
	}
	body := decode(t, msgs[0])
	data := body["data"].(map[string]any)
	release, _ := data["release"].(string)
	delete(data, "release")
	want := map[string]any{"name": "Sam Subject", "town": "Maidstone", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-02-20", "sentence": "Fine of GBP 1,200"}
	if !equalEntry(data, want) || body["disclosure_id"] != d["press_release_id"] || body["condition"] != "public_task" {
		t.Fatalf("press release %v", body)
	}
	if release != "Sam Subject of Maidstone was convicted of Breach of a noise abatement notice (EPA 1990 s80(4)) at Maidstone Magistrates' Court on 2026-02-20 and sentenced to Fine of GBP 1,200, following a prosecution brought by the council." {
		t.Errorf("release text %q", release)
	}
	for i, want := range []string{"local-press:conviction_outcome,name,town;public-register:conviction_outcome,name,town",
		"public-register:conviction_outcome,name,town"} {
		var logged []string
		if err := e.DB.Select(&logged, `SELECT recipient || ':' || array_to_string(categories, ',') FROM disclosure_log WHERE case_id = $1
			ORDER BY recipient`, ids[i]); err != nil || strings.Join(logged, ";") != want {
			t.Errorf("decision %d: disclosure log %v (%v), want %s", i, logged, err, want)
		}
	}
}

// TestManagerTakesAnEntryDown: a manager's takedown with a reason removes the entry; an
// officer may not take one down.
func TestManagerTakesAnEntryDown(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000501", "", aConviction())
	id := e.waitForDecisions(1)[0]
	e.publish(id, aDraft())
	if r := e.Call("POST", "/decisions/"+id+"/takedown", e.officer("olive"), map[string]any{"reason": "x"}); r.Status != 403 {
		t.Errorf("officer takedown: %d", r.Status)
	}
	d := e.Must(200, "POST", "/decisions/"+id+"/takedown", e.manager("maria"), map[string]any{"reason": "Objection upheld (Art 21)."})
	if tk := d["taken_down"].(map[string]any); d["status"] != "taken_down" || tk["kind"] != "manual" || tk["reason"] != "Objection upheld (Art 21)." {
		t.Fatalf("taken down: %v", d)
	}
	if len(e.registerJSON()) != 0 {
		t.Error("still on the register")
	}
	p := e.Must(409, "POST", "/decisions/"+id+"/takedown", e.manager("maria"), map[string]any{"reason": "again"})
	if p["decision_status"] != "taken_down" {
		t.Errorf("second takedown: %v", p)
	}
}
