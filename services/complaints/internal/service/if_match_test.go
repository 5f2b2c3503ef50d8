package service_test

import (
	"net/http"
	"testing"
)

// A complaint's entity tag is its version: an officer's change sent with If-Match applies
// only to the complaint as they read it. A colleague's change in between makes it a 412
// naming the version now, and nothing changes; a weak or foreign tag matches nothing; "*"
// and no If-Match at all change as before.
func TestAChangeMadeOnAStaleReadIsRefused(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.officer("alice"), e.officer("bob")
	created := e.Expect(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	p := "/complaints/" + created.JSON(t)["id"].(string)
	if tag := created.Header.Get("ETag"); tag != `"1"` {
		t.Fatalf("ETag of a new complaint %q, want \"1\"", tag)
	}
	read := e.Expect(http.StatusOK, "GET", p, alice, nil)
	tag := read.Header.Get("ETag")
	if tag != `"1"` {
		t.Fatalf("ETag %q, want \"1\"", tag)
	}
	// Bob acknowledges first; Alice's acknowledgement, made on what she read, is refused.
	if got := e.Expect(http.StatusOK, "POST", p+"/acknowledge", bob, nil, "If-Match", tag).Header.Get("ETag"); got != `"2"` {
		t.Fatalf("ETag after the change %q, want \"2\"", got)
	}
	before := e.Must(http.StatusOK, "GET", p, alice, nil)
	for _, match := range []string{tag, `W/"2"`, `"two"`, `"1", "7"`} {
		res := e.Call("POST", p+"/extend", alice, map[string]any{"working_days": 5, "reason": "awaiting the crew's report"}, "If-Match", match)
		if res.Status != http.StatusPreconditionFailed || res.Header.Get("Content-Type") != "application/problem+json" ||
			res.JSON(t)["current_version"] != 2.0 {
			t.Errorf("If-Match %s: %d %s, want 412 naming version 2", match, res.Status, res.Body)
		}
	}
	if after := e.Must(http.StatusOK, "GET", p, alice, nil); after["version"] != before["version"] || len(after["deadlines"].([]any)) != len(before["deadlines"].([]any)) {
		t.Errorf("a refused change wrote: version %v, deadlines %v", after["version"], after["deadlines"])
	}
	e.Must(http.StatusOK, "POST", p+"/extend", alice, map[string]any{"working_days": 5, "reason": "awaiting the crew's report"}, "If-Match", `"3", "2"`)
	e.Must(http.StatusOK, "POST", p+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "Fault found."}, "If-Match", "*")
	e.Must(http.StatusOK, "POST", p+"/close", alice, map[string]any{"reason": "done"})
}
