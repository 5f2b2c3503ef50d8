package service_test

import (
	"fmt"
	"testing"
)

// TestListPagesFiltersAndHidesNeedToKnow pages through the case list by reference,
// filters it by area and status, keeps need-to-know cases out of other officers' pages,
// and shows no personal data.
func TestListPagesFiltersAndHidesNeedToKnow(t *testing.T) {
	e := newEnv(t)
	olive, oscar, mina := e.officer("olive"), e.officer("oscar"), e.manager("mina")
	var refs, ids []string
	for _, area := range []string{"noise", "odour", "noise", "domestic_abuse", "noise", "odour"} {
		v := e.Must(201, "POST", "/investigations", olive, map[string]any{"area": area, "matter": map[string]any{"summary": "Reported by Rita Reporter"}})
		refs, ids = append(refs, v["reference"].(string)), append(ids, v["id"].(string))
	}
	e.Must(200, "POST", "/investigations/"+ids[1]+"/triage", olive, nil)

	page := func(token, query string) []string {
		t.Helper()
		items := e.Must(200, "GET", "/investigations?"+query, token, nil)["items"].([]any)
		out := []string{}
		for _, it := range items {
			out = append(out, it.(map[string]any)["reference"].(string))
		}
		return out
	}
	pick := func(i ...int) []string {
		out := []string{}
		for _, n := range i {
			out = append(out, refs[n])
		}
		return out
	}
	cases := []struct {
		name, token, query string
		want               []string
	}{
		{"first page", mina, "limit=2", pick(0, 1)},
		{"second page", mina, "limit=2&after=" + refs[1], pick(2, 3)},
		{"third page", mina, "limit=2&after=" + refs[3], pick(4, 5)},
		{"past the end", mina, "limit=2&after=" + refs[5], pick()},
		{"noise, first page", mina, "area=noise&limit=2", pick(0, 2)},
		{"noise, next page", mina, "area=noise&limit=2&after=" + refs[2], pick(4)},
		{"triaged", mina, "status=triaged", pick(1)},
		{"received odour", mina, "status=received&area=odour", pick(5)},
		{"an unassigned officer never sees the domestic abuse case", oscar, "limit=2&after=" + refs[2], pick(4, 5)},
		{"the officer who opened it is assigned", olive, "limit=1&after=" + refs[2], pick(3)},
	}
	for _, c := range cases {
		if got := page(c.token, c.query); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s (%s): %v, want %v", c.name, c.query, got, c.want)
		}
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=two", "after=garbage", "after=CMP-2026-000001"} {
		if r := e.Call("GET", "/investigations?"+q, mina, nil); r.Status != 400 {
			t.Errorf("%s: %d %s, want 400", q, r.Status, r.Body)
		}
	}
	first := e.Must(200, "GET", "/investigations?limit=1", mina, nil)["items"].([]any)[0].(map[string]any)
	want := map[string]any{"id": ids[0], "reference": refs[0], "area": "noise", "scope": "", "status": "received", "need_to_know": false,
		"received_at": "2026-03-02T10:00:00Z", "legal_hold": false, "erased": false}
	if normal(t, first) != normal(t, want) {
		t.Errorf("list item %v, want %v (no personal data)", first, want)
	}
}
