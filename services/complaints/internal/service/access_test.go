package service_test

import (
	"net/http"
	"reflect"
	"slices"
	"testing"
)

// The Ombudsman escalation handler handles stage 3 only: a caller whose only complaints role
// is complaints_lgo lists only stage 3 complaints, and a stage 1 or 2 complaint is to them
// one that does not exist (404, as an unknown id); an officer keeps every stage.
func TestLGOHandlerSeesOnlyStage3Complaints(t *testing.T) {
	e := newEnv(t)
	alice, lucy := e.officer("alice"), e.lgo("lucy")
	stage3, ref3 := stage3Answered(e)
	e.Must(http.StatusOK, "POST", "/complaints/"+stage3+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	stage1, ref1 := c["id"].(string), c["reference"].(string)

	refs := func(token, query string) []string {
		t.Helper()
		r := e.Call("GET", "/complaints"+query, token, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list %q: %d %s", query, r.Status, r.Body)
		}
		out := []string{}
		for _, it := range r.JSON(t)["items"].([]any) {
			out = append(out, it.(map[string]any)["reference"].(string))
		}
		return out
	}
	if got := refs(lucy, ""); !reflect.DeepEqual(got, []string{ref3}) {
		t.Fatalf("the handler's list: %v, want only %s", got, ref3)
	}
	if got := refs(lucy, "?stage=1"); !reflect.DeepEqual(got, []string{}) {
		t.Fatalf("the handler's list of stage 1: %v", got)
	}
	if got := refs(lucy, "?stage=3"); !reflect.DeepEqual(got, []string{ref3}) {
		t.Fatalf("the handler's list of stage 3: %v", got)
	}
	if got, want := refs(alice, ""), []string{ref3, ref1}; !reflect.DeepEqual(got, want) { // by reference
		t.Fatalf("the officer's list: %v", got)
	}

	before := sharingSnapshot(e)
	r := e.Call("GET", "/complaints/"+stage1, lucy, nil)
	p := r.JSON(t)
	if r.Status != http.StatusNotFound || p["type"] != "https://casework.dev/problems/not-found" || p["detail"] != "no complaint with this id" {
		t.Fatalf("the handler reads a stage 1 complaint: %d %s", r.Status, r.Body)
	}
	r = e.Call("POST", "/complaints/"+stage1+"/close", lucy, map[string]any{"reason": "Withdrawn."})
	p = r.JSON(t)
	if r.Status != http.StatusNotFound || p["type"] != "https://casework.dev/problems/not-found" || p["detail"] != "no complaint with this id" {
		t.Fatalf("the handler closes a stage 1 complaint: %d %s", r.Status, r.Body)
	}
	r = e.Call("GET", "/complaints/"+stage1+"/disclosures", lucy, nil)
	p = r.JSON(t)
	if r.Status != http.StatusNotFound || p["detail"] != "no complaint with this id" {
		t.Fatalf("the handler reads a stage 1 complaint's disclosure log: %d %s", r.Status, r.Body)
	}
	// Nor may they act on it as stage 3: a referral would answer with the complainant's
	// details, and a 409 would tell its status.
	for _, act := range []struct {
		path string
		body map[string]any
	}{
		{"/lgo/referral", stage3Referral("2026-02-20", true)},
		{"/lgo/necessity", map[string]any{"reason": "The Ombudsman needs the health details."}},
		{"/lgo/enquiries", map[string]any{"questions": "Please send the file.", "response_due_on": "2026-03-20"}},
	} {
		r = e.Call("POST", "/complaints/"+stage1+act.path, lucy, act.body)
		if p := r.JSON(t); r.Status != http.StatusNotFound || p["detail"] != "no complaint with this id" {
			t.Fatalf("the handler's %s on a stage 1 complaint: %d %s", act.path, r.Status, r.Body)
		}
	}
	// Nothing changed but the six audited refusals.
	after := sharingSnapshot(e)
	before.Audit += 6
	if after != before {
		t.Fatalf("the refused read and close changed the database:\n want %+v\n  got %+v", before, after)
	}

	// The case is unchanged and the refused attempts are on its trail, not as reads.
	got := e.Must(http.StatusOK, "GET", "/complaints/"+stage1, alice, nil)
	if got["status"] != "stage1_received" {
		t.Fatalf("the refused close changed the case: %v", got["status"])
	}
	var actions []string
	for _, h := range got["history"].([]any) {
		if h.(map[string]any)["actor"] == "lucy" {
			actions = append(actions, h.(map[string]any)["action"].(string))
		}
	}
	if want := slices.Repeat([]string{"complaint.access_refused"}, 6); !reflect.DeepEqual(actions, want) {
		t.Fatalf("the handler's attempts on the trail: %v, want %v", actions, want)
	}

	// Stage 3 stays theirs to read; a caller who is also an officer keeps every stage.
	if got := e.Must(http.StatusOK, "GET", "/complaints/"+stage3, lucy, nil); got["complainant"] == nil {
		t.Fatalf("the handler's read of a stage 3 complaint: %v", got)
	}
	both := e.Token("olga", "complaints_officer", "complaints_lgo")
	e.Must(http.StatusOK, "GET", "/complaints/"+stage1, both, nil)
	if got := refs(both, "?stage=1"); !reflect.DeepEqual(got, []string{ref1}) {
		t.Fatalf("an officer with the handler's role lists stage 1: %v", got)
	}
}
