package service_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// Issue 8's kinds over every writing route: malformed JSON, an unknown field, a duplicate
// key, an oversized body, text PostgreSQL cannot store (U+0000, a lone surrogate) named by
// its field, impossible and out-of-bounds dates, unknown ids and a role without the right,
// each answered with its exact problem and nothing changed in any table.
func TestWritingRoutesRefuseBadInputAndChangeNothing(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000c01", "", aConviction())
	id := e.waitForDecisions(1)[0]
	p := "/decisions/" + id
	conviction := func(field string, value any) map[string]any {
		c := aConviction()
		c[field] = value
		return map[string]any{"team": "licensing", "conviction": c}
	}
	draft := func(change func(d map[string]any)) map[string]any {
		d := aDraft()
		change(d)
		return d
	}
	huge := `{"reason":"` + strings.Repeat("x", int(service.MaxBodyBytes)) + `"}`
	const unknown = "/decisions/0195f3a0-0000-7000-8000-00000000ffff"
	e.RefusesBadInput(t, e.officer("olive"), []testkit.BadInput{
		{Name: "malformed JSON", Method: "POST", Path: "/decisions", Body: `{"team":`, Status: 400, Problem: "malformed-json"},
		{Name: "unknown field", Method: "POST", Path: "/decisions", Body: map[string]any{"team": "licensing", "conviction": aConviction(), "photo": "x"},
			Status: 400, Problem: "validation", Pointers: []string{"/photo"}},
		{Name: "duplicate key", Method: "POST", Path: p + "/appeal", Body: `{"decided_on":"2026-03-01","court":"a","court":"b"}`, Status: 400, Problem: "duplicate-key"},
		{Name: "oversized body", Method: "POST", Path: p + "/appeal", Body: huge, Status: 413, Problem: "body-too-large"},
		{Name: "U+0000 in a name", Method: "POST", Path: "/decisions", Body: conviction("name", "Sam\u0000Subject"),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/name"}},
		{Name: "U+0000 in a reason", Method: "POST", Path: p + "/draft", Body: draft(func(d map[string]any) { d["reasons"] = "Deters\u0000" }),
			Status: 400, Problem: "validation", Pointers: []string{"/reasons"}},
		{Name: "U+0000 in appeal notes", Method: "POST", Path: p + "/appeal", Body: `{"decided_on":"2026-03-01","court":"Crown Court","notes":"quashed\u0000"}`,
			Status: 400, Problem: "validation", Pointers: []string{"/notes"}},
		{Name: "a lone surrogate", Method: "POST", Path: "/decisions", Body: strings.Replace(mustJSON(t, conviction("town", "TOWN")), "TOWN", `\ud800`, 1),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/town"}},
		{Name: "an impossible date", Method: "POST", Path: "/decisions", Body: conviction("date", "2026-02-30"), Status: 400, Problem: "validation"},
		{Name: "a conviction in the future", Method: "POST", Path: "/decisions", Body: conviction("date", "2099-01-01"),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/date"}},
		{Name: "an appeal in the future", Method: "POST", Path: p + "/appeal", Body: map[string]any{"decided_on": "2099-01-01", "court": "Crown Court"},
			Status: 400, Problem: "validation", Pointers: []string{"/decided_on"}},
		{Name: "a sentence ending before the conviction", Method: "POST", Path: p + "/draft", Body: draft(func(d map[string]any) {
			d["sentence"] = map[string]any{"type": "community_order", "ends_on": "2020-01-01"}
		}), Status: 400, Problem: "validation"},
		{Name: "an unknown decision", Method: "POST", Path: unknown + "/appeal", Body: map[string]any{"decided_on": "2026-03-01", "court": "Crown Court"},
			Status: 404, Problem: "not-found"},
		{Name: "an officer approving", Method: "POST", Path: p + "/approve", Status: 403, Problem: "forbidden"},
		{Name: "an officer sending back", Method: "POST", Path: p + "/send-back", Body: map[string]any{"reason": "r"}, Status: 403, Problem: "forbidden"},
		{Name: "an officer taking down", Method: "POST", Path: p + "/takedown", Body: map[string]any{"reason": "r"}, Status: 403, Problem: "forbidden"},
	})
	e.RefusesBadInput(t, e.Token("nora", "complaints_officer"), []testkit.BadInput{
		{Name: "a role of another service", Method: "POST", Path: "/decisions", Body: map[string]any{"team": "licensing", "conviction": aConviction()},
			Status: 403, Problem: "forbidden"},
	})
	e.RefusesBadInput(t, e.manager("maria"), []testkit.BadInput{
		{Name: "approving an unknown decision", Method: "POST", Path: unknown + "/approve", Status: 404, Problem: "not-found"},
		{Name: "U+0000 in a takedown reason", Method: "POST", Path: p + "/send-back", Body: map[string]any{"reason": "no\u0000"},
			Status: 400, Problem: "validation", Pointers: []string{"/reason"}},
	})
}

// No personal value of a decision reaches its domain or status events, through a whole
// life: received, drafted, sent back, published with a press release, appealed, erased.
func TestEventsCarryNoPersonalData(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("PUBLICATION_EVENTS", "publication.events.>")
	status := e.Collect("PUBLICATION_STATUS", "status.publication.>")
	e.disclose("0195f3a0-0000-7000-8000-000000000c11", "", aConviction())
	id := e.waitForDecisions(1)[0]
	d := aPressDraft()
	e.Must(http.StatusOK, "POST", "/decisions/"+id+"/draft", e.officer("olive"), d)
	e.Must(http.StatusOK, "POST", "/decisions/"+id+"/send-back", e.manager("mark"), map[string]any{"reason": "Sam Subject's neighbours asked"})
	e.publish(id, d)
	e.Must(http.StatusOK, "POST", "/decisions/"+id+"/appeal", e.officer("olive"),
		map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court", "notes": "Overturned for Sam Subject"})
	c := aConviction()
	values := []string{c["name"].(string), c["town"].(string), c["offence"].(string), c["court"].(string), c["sentence"].(string),
		"Sam", "Subject", "Lives alone", "Mill Lane", "neighbours", "Overturned", "Maidstone Crown"}
	testkit.NoPersonalData(t, "domain events", domainEvents.WaitFor(t, 6), values...)
	testkit.NoPersonalData(t, "status events", status.WaitFor(t, 6), values...)
}

// aPressDraft is aDraft deciding to publish and send to the press.
func aPressDraft() map[string]any {
	d := aDraft()
	d["outcome"] = "publish_and_press"
	return d
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBlankReasonsAreRefused: a reason or note the service requires is refused when it is
// white space alone, as when it is empty, naming the field: a send-back's and a takedown's
// reason, the appeal's court, the decision's reasons and conclusion. Nothing changes.
func TestBlankReasonsAreRefused(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000002201", "", aConviction())
	e.disclose("0195f3a0-0000-7000-8000-000000002202", "", aConviction())
	ids := e.waitForDecisions(2)
	awaiting, published := "/decisions/"+ids[0], "/decisions/"+ids[1]
	e.Must(http.StatusOK, "POST", awaiting+"/draft", e.officer("olive"), aDraft())
	e.publish(ids[1], aDraft())
	blank := " \t\n "
	draft := func(change func(d map[string]any)) map[string]any {
		d := aDraft()
		change(d)
		return d
	}
	e.RefusesBadInput(t, e.manager("mark"), []testkit.BadInput{
		{Name: "a blank send-back reason", Method: "POST", Path: awaiting + "/send-back", Body: map[string]any{"reason": blank},
			Status: 400, Problem: "validation", Pointers: []string{"/reason"}},
		{Name: "a blank takedown reason", Method: "POST", Path: published + "/takedown", Body: map[string]any{"reason": blank},
			Status: 400, Problem: "validation", Pointers: []string{"/reason"}},
		{Name: "a blank court of appeal", Method: "POST", Path: published + "/appeal", Body: map[string]any{"decided_on": "2026-03-02", "court": blank},
			Status: 400, Problem: "validation", Pointers: []string{"/court"}},
	})
	e.Must(http.StatusOK, "POST", awaiting+"/send-back", e.manager("mark"), map[string]any{"reason": "Again, please."})
	e.RefusesBadInput(t, e.officer("olive"), []testkit.BadInput{
		{Name: "blank reasons", Method: "POST", Path: awaiting + "/draft", Body: draft(func(d map[string]any) { d["reasons"] = blank }),
			Status: 400, Problem: "validation", Pointers: []string{"/reasons"}},
		{Name: "a blank conclusion", Method: "POST", Path: awaiting + "/draft", Body: draft(func(d map[string]any) {
			d["proportionality"] = map[string]any{"proportionate": true, "conclusion": blank}
		}), Status: 400, Problem: "validation", Pointers: []string{"/proportionality/conclusion"}},
	})
}
