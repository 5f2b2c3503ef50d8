package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
)

// A restriction is lifted only once every service applied it, only with the day the
// person was told (Article 18(3)), and only once: each service that restricted a record is
// asked to lift it, and the request waits for their answers again.
func TestRestrictionLiftedAfterThePersonIsTold(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	investigations.refuse["i-2"] = rights.Refusal{Ground: "legal_hold", Words: "held for proceedings"}
	complaints.serve(t, e)
	investigations.serve(t, e)
	dpo, lift := e.dpo(), map[string]any{"told_on": "2026-03-02", "told_how": "letter"}

	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("restriction"))["id"].(string)
	p := "/requests/" + id
	r := testkit.ProblemOf(t, e.Call("POST", p+"/lift", dpo, lift), 409, "https://casework.dev/problems/conflict")
	if r["rule"] != "not_restricted" {
		t.Errorf("lift before the restriction: %v", r)
	}
	e.Must(202, "POST", p+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", p+"/confirm", dpo, map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}, {"service": "investigations", "record_id": "i-2"}}})
	e.waitFor(id, "the restriction", phaseIs("ready"))

	e.RefusesBadInput(t, dpo, []testkit.BadInput{
		{Name: "told tomorrow", Method: "POST", Path: p + "/lift", Body: map[string]any{"told_on": "2026-03-03", "told_how": "letter"},
			Status: 400, Problem: "validation", Pointers: []string{"/told_on"}},
		{Name: "told before the request", Method: "POST", Path: p + "/lift", Body: map[string]any{"told_on": "2026-02-27", "told_how": "letter"},
			Status: 400, Problem: "validation", Pointers: []string{"/told_on"}},
		{Name: "not told how", Method: "POST", Path: p + "/lift", Body: map[string]any{"told_on": "2026-03-02"}, Status: 400, Problem: "validation"},
	})
	testkit.ProblemOf(t, e.Call("POST", p+"/lift", e.officer(), lift), 403, "https://casework.dev/problems/forbidden")

	got := e.Must(200, "POST", p+"/lift", dpo, lift)
	if l, _ := got["lift"].(map[string]any); l["told_on"] != "2026-03-02" || l["told_how"] != "letter" || l["by"] != "dora" || got["phase"] != "actioning" {
		t.Fatalf("lifted: phase %v lift %v", got["phase"], got["lift"])
	}
	e.waitFor(id, "the lifting", phaseIs("ready"))
	if !slices.Equal(complaints.acted[rights.Lift], []string{"c-1"}) || investigations.questions(rights.Lift) != 1 {
		t.Errorf("lifted: complaints %v, investigations asked %d", complaints.acted[rights.Lift], investigations.questions(rights.Lift))
	}
	if r := testkit.ProblemOf(t, e.Call("POST", p+"/lift", dpo, lift), 409, "https://casework.dev/problems/conflict"); r["rule"] != "already_lifted" {
		t.Errorf("lifted twice: %v", r)
	}
	e.Must(200, "POST", p+"/complete", dpo, nil)
}

// conflictOn checks a 409's rule.
func conflictOn(rule string) func(*testing.T, testkit.Response, map[string]any) {
	return func(t *testing.T, r testkit.Response, p map[string]any) {
		if p["rule"] != rule {
			t.Errorf("rule %v, want %s: %s", p["rule"], rule, r.Body)
		}
	}
}

// A request is not refused while the services restrict the person's records, nor while the
// restriction they applied is in force: a refused request could not lift it, and their
// records would stay restricted for good. Once it is lifted, the person told first
// (Article 18(3)), the request may be refused.
func TestRefusalLeavesNoRestrictionInForce(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	dpo, refuse := e.dpo(), map[string]any{"ground": "manifestly_unfounded", "reasons": "The fourth identical request this month."}
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("restriction"))["id"].(string)
	p := "/requests/" + id
	e.Must(202, "POST", p+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))

	_ = investigations.resp.Stop() // down when asked to restrict
	e.Must(202, "POST", p+"/confirm", dpo, map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}}})
	e.waitFor(id, "complaints to restrict, investigations to miss the question", func(r map[string]any) bool {
		steps := r["action"].(map[string]any)["services"].([]any)
		return steps[0].(map[string]any)["state"] == "answered" && steps[1].(map[string]any)["attempts"].(float64) >= 1
	})
	e.RefusesBadInput(t, dpo, []testkit.BadInput{{Name: "refused while the services restrict", Method: "POST", Path: p + "/refuse",
		Body: refuse, Status: 409, Problem: "conflict", Check: conflictOn("services_acting")}})

	investigations.serve(t, e)
	e.Clock.Advance(time.Minute)
	e.waitFor(id, "the restriction", phaseIs("ready"))
	e.RefusesBadInput(t, dpo, []testkit.BadInput{{Name: "refused while the restriction is in force", Method: "POST", Path: p + "/refuse",
		Body: refuse, Status: 409, Problem: "conflict", Check: conflictOn("restriction_in_force")}})
	if r := e.Must(200, "GET", p, e.officer(), nil); r["status"] != "open" || r["closure"] != nil {
		t.Fatalf("the refusals changed the request: %v %v", r["status"], r["closure"])
	}

	e.Must(200, "POST", p+"/lift", dpo, map[string]any{"told_on": "2026-03-02", "told_how": "letter"})
	e.waitFor(id, "the lifting", phaseIs("ready"))
	if !slices.Equal(complaints.acted[rights.Lift], []string{"c-1"}) || !slices.Equal(investigations.acted[rights.Lift], []string{"i-1"}) {
		t.Fatalf("lifted: complaints %v, investigations %v", complaints.acted[rights.Lift], investigations.acted[rights.Lift])
	}
	if r := e.Must(200, "POST", p+"/refuse", dpo, refuse); r["status"] != "refused" {
		t.Errorf("refused once lifted: %v", r["status"])
	}
}

// A restriction outlives the answer to the request (the person is told within the month
// what was done, Article 12(3); the restriction lasts until it is lifted): an objection's
// restriction, applied while it is considered (Article 18(1)(d)), is lifted after the
// request was completed, and retention does not erase the record while it is in force.
func TestARestrictionIsLiftedAfterTheAnswer(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	dpo := e.dpo()
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("objection"))["id"].(string)
	p := "/requests/" + id
	e.Must(202, "POST", p+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", p+"/confirm", dpo, map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c-1"}}})
	e.waitFor(id, "the restriction", phaseIs("ready"))
	if r := e.Must(200, "POST", p+"/complete", dpo, nil); r["status"] != "completed" || r["retention_due"] != "2028-03-02" {
		t.Fatalf("completed: %v %v", r["status"], r["retention_due"])
	}
	// A request completed after it, due for erasure the same day, behind it in the list.
	other := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("objection"))["id"].(string)
	if r := e.Must(200, "POST", "/requests/"+other+"/refuse", dpo, map[string]any{"ground": "manifestly_unfounded", "reasons": "The fourth identical request this month."}); r["retention_due"] != "2028-03-02" {
		t.Fatalf("refused: %v %v", r["status"], r["retention_due"])
	}

	ctx := context.Background()
	e.Clock.Set(time.Date(2028, 3, 3, 10, 0, 0, 0, time.UTC))
	// One at a time: the held request does not keep the other from its erasure.
	if n, err := e.svc.App.SweepRetention(ctx, 1); n != 1 || err != nil {
		t.Fatalf("retention, one at a time, with a restriction in force ahead: %d %v", n, err)
	}
	if r := e.Must(200, "GET", "/requests/"+other, e.officer(), nil); r["erased"] != true {
		t.Fatalf("the refused request was not erased behind the held one")
	}
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 0 || err != nil {
		t.Fatalf("retention with the restriction in force: %d %v", n, err)
	}
	r := e.Must(200, "POST", p+"/lift", e.dpo(), map[string]any{"told_on": "2028-03-03", "told_how": "letter"})
	if r["status"] != "completed" || r["phase"] != "actioning" || r["erased"] != false {
		t.Fatalf("lifted: %v %v erased %v", r["status"], r["phase"], r["erased"])
	}
	e.waitFor(id, "the lifting", phaseIs("ready"))
	if !slices.Equal(complaints.acted[rights.Lift], []string{"c-1"}) {
		t.Fatalf("lifted at complaints: %v", complaints.acted[rights.Lift])
	}
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("retention once lifted: %d %v", n, err)
	}
	if r := e.Must(200, "GET", p, e.officer(), nil); r["erased"] != true {
		t.Errorf("not erased once lifted")
	}
}

// An objection the debt service answered by ending direct marketing restricted nothing: the
// request holds no restriction in force, so retention erases it once due, with no lifting.
// One that a service restricted waits for its lifting, as a restriction does.
func TestAnObjectionThatOnlyEndedMarketingHoldsNothingBack(t *testing.T) {
	e := newEnvAsking(t, nil, nil, calendar.NewManualClock(start), []string{"complaints", "investigations", "debt"})
	complaints, investigations := fakes(t, e)
	debt := newFake("debt")
	debt.marketingOnly = true
	debt.add("ann@example.org", annsDebt())
	for _, f := range []*fakeService{complaints, investigations, debt} {
		f.serve(t, e)
	}
	dpo := e.dpo()
	object := func(matches ...map[string]any) string {
		id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("objection"))["id"].(string)
		e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
		e.waitFor(id, "the search", phaseIs("confirming"))
		e.Must(202, "POST", "/requests/"+id+"/confirm", dpo, map[string]any{"matches": matches})
		e.waitFor(id, "the objection", phaseIs("ready"))
		if r := e.Must(200, "POST", "/requests/"+id+"/complete", dpo, nil); r["retention_due"] != "2028-03-02" {
			t.Fatalf("completed: %v %v", r["status"], r["retention_due"])
		}
		return id
	}
	marketing := object(map[string]any{"service": "debt", "record_id": "d-1"})
	restricted := object(map[string]any{"service": "debt", "record_id": "d-1"}, map[string]any{"service": "complaints", "record_id": "c-1"})
	if !slices.Equal(debt.acted[rights.Object], []string{"d-1", "d-1"}) || !slices.Equal(complaints.acted[rights.Object], []string{"c-1"}) {
		t.Fatalf("objected: debt %v, complaints %v", debt.acted[rights.Object], complaints.acted[rights.Object])
	}

	// Nothing was restricted for the first: there is nothing to lift, and no lifting is recorded.
	p := testkit.ProblemOf(t, e.Call("POST", "/requests/"+marketing+"/lift", dpo, map[string]any{"told_on": "2026-03-02", "told_how": "letter"}),
		409, "https://casework.dev/problems/conflict")
	if p["rule"] != "nothing_restricted" {
		t.Errorf("lifting what was never restricted: %v", p)
	}
	if r := e.Must(200, "GET", "/requests/"+marketing, e.officer(), nil); r["lift"] != nil {
		t.Errorf("a lifting was recorded: %v", r["lift"])
	}

	e.Clock.Set(time.Date(2028, 3, 3, 10, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(context.Background(), 1); n != 1 || err != nil {
		t.Fatalf("retention, one at a time: %d %v", n, err)
	}
	if r := e.Must(200, "GET", "/requests/"+marketing, e.officer(), nil); r["erased"] != true {
		t.Errorf("the objection that ended marketing only was not erased")
	}
	if r := e.Must(200, "GET", "/requests/"+restricted, e.officer(), nil); r["erased"] != false {
		t.Errorf("the objection complaints restricted was erased with its restriction in force")
	}
}
