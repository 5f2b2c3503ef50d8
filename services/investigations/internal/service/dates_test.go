package service_test

import (
	"reflect"
	"testing"
)

// Issue 8 item 10, the example exactly: a person added with a date of birth in 2099 is
// refused with a 400 problem naming the field, and the case keeps the people it had.
func TestDateOfBirthInTheFutureIsRefused(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	r := e.Call("POST", "/investigations/"+f.id+"/people", officer, map[string]any{"role": "victim", "name": "Vic Victim", "date_of_birth": "2099-01-01"})
	p := r.JSON(t)
	want := []any{map[string]any{"pointer": "/date_of_birth", "detail": "cannot be after today (2026-03-02)"}}
	if r.Status != 400 || r.Header.Get("Content-Type") != "application/problem+json" || p["type"] != "https://casework.dev/problems/validation" ||
		!reflect.DeepEqual(p["errors"], want) {
		t.Fatalf("date of birth in 2099: %d %s", r.Status, r.Body)
	}
	if n := len(e.Must(200, "GET", "/investigations/"+f.id, officer, nil)["people"].([]any)); n != 3 {
		t.Fatalf("%d people after the refusal, want 3", n)
	}
	// In a new report the pointer says which person.
	body := map[string]any{"area": "noise", "matter": map[string]any{"summary": "Loud music"},
		"people": []any{map[string]any{"role": "witness", "name": "Wendy"}, map[string]any{"role": "subject", "name": "Sam", "date_of_birth": "2099-01-01"}}}
	r = e.Call("POST", "/investigations", officer, body)
	want = []any{map[string]any{"pointer": "/people/1/date_of_birth", "detail": "cannot be after today (2026-03-02)"}}
	if r.Status != 400 || !reflect.DeepEqual(r.JSON(t)["errors"], want) {
		t.Fatalf("report with a person born in 2099: %d %s", r.Status, r.Body)
	}
}
