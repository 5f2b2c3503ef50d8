package service_test

import "testing"

// A case's answer carries personal data: no cache keeps it, no browser sniffs it for
// another type (the platform's default, httpserver.Base).
func TestACasesAnswerIsPrivate(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-H1", 100000)
	r := e.Call("GET", "/cases/"+id, e.officer(), nil)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%d Cache-Control %q X-Content-Type-Options %q", r.Status, r.Header.Get("Cache-Control"), r.Header.Get("X-Content-Type-Options"))
	}
}
