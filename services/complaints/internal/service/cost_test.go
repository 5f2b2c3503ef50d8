package service_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// BenchmarkTransition is the make bench officer's cycle (log a complaint with consent for
// the ward councillor, acknowledge, disclose to the councillor, respond, close) in one
// process, sequentially, so a change to the hot path can be compared on a shared machine:
// cpu-ms/transition is the process's user and system CPU (getrusage), which time spent
// waiting for a core does not inflate, and allocs/op counts every allocation of a cycle.
// Both include the test's HTTP client, the embedded broker and the relay, the same for
// every build; PostgreSQL runs in its own processes and is not counted.
//
//	go test -run '^$' -bench Transition -benchmem -count 5 ./internal/service/
func BenchmarkTransition(b *testing.B) {
	e := newEnv(b)
	officer := e.officer("bench-officer")
	// Served without the environment's contract check, which compiles the response schemas
	// on every answer and would be most of what is measured.
	srv := httptest.NewServer(e.svc.HTTPHandler())
	b.Cleanup(srv.Close)
	call := func(path, body string) testkit.Response {
		var sent any
		if body != "" {
			sent = body
		}
		return testkit.Call(b, srv.URL, "POST", path, officer, sent)
	}
	complaint := aComplaint()
	complaint["consent_to"] = []string{"ward-councillor"}
	logged := mustJSON(b, complaint)
	steps := []struct{ path, body string }{
		{"/acknowledge", ""},
		{"/disclosures", mustJSON(b, map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})},
		{"/respond", mustJSON(b, map[string]any{"outcome": "not_upheld", "summary": "Collections were made on schedule."})},
		{"/close", "{}"},
	}
	cycle := func() {
		r := call("/complaints", logged)
		if r.Status != http.StatusCreated {
			b.Fatalf("log: %d %s", r.Status, r.Body)
		}
		var created struct{ ID string }
		if err := json.Unmarshal(r.Body, &created); err != nil {
			b.Fatal(err)
		}
		for _, s := range steps {
			if r := call("/complaints/"+created.ID+s.path, s.body); r.Status/100 != 2 {
				b.Fatalf("%s: %d %s", s.path, r.Status, r.Body)
			}
		}
	}
	cycle() // prepares the hot statements on a connection
	cpu := processCPU(b)
	b.ResetTimer()
	for b.Loop() {
		cycle()
	}
	b.StopTimer()
	b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/1000/float64(5*b.N), "cpu-ms/transition")
}

func mustJSON(t testing.TB, v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func processCPU(t testing.TB) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		t.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
