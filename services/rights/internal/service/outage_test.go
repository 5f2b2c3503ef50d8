package service_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// With the database unreachable a read and a write answer 503 with Retry-After, change
// nothing, and /readyz says so; when it is back the same write goes through.
func TestADatabaseOutageAnswers503WithRetryAfterAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	id := e.Must(http.StatusCreated, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	stop := map[string]any{"awaiting": "clarification"}
	before := e.TableCounts(t)

	restore := testkit.CutDatabase(t, e.DB)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/requests", anAccessRequest("access")},
		{"POST", "/requests/" + id + "/clock/stop", stop},
		{"GET", "/requests/" + id, nil},
		{"GET", "/breaches", nil},
	} {
		r := e.Call(c.method, c.path, e.officer(), c.body)
		p := testkit.ProblemOf(t, r, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable)
		if p["dependency"] != "database" || r.Header.Get("Retry-After") != "5" {
			t.Errorf("%s %s: %v, Retry-After %q", c.method, c.path, p, r.Header.Get("Retry-After"))
		}
	}
	ready := e.Call("GET", "/readyz", "", nil)
	if p := testkit.ProblemOf(t, ready, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable); p["detail"] != "database unavailable" ||
		ready.Header.Get("Retry-After") != "5" {
		t.Errorf("readyz: %s", ready.Body)
	}
	restore()
	if after := e.TableCounts(t); !reflect.DeepEqual(before, after) {
		t.Fatalf("rows changed during the outage: before %v, after %v", before, after)
	}
	testkit.Eventually(t, 10*time.Second, "ready again", func() (bool, string) {
		r := e.Call("GET", "/readyz", "", nil)
		return r.Status == http.StatusOK, string(r.Body)
	})
	e.Must(http.StatusOK, "POST", "/requests/"+id+"/clock/stop", e.officer(), stop)
}

// The domain and status events of a request, a breach and an FOI request carry none of
// the personal values sent.
func TestEventsCarryNoPersonalData(t *testing.T) {
	e := newEnv(t)
	events, status := e.Collect("RIGHTS_EVENTS", "rights.events.>"), e.Collect("RIGHTS_STATUS", "status.rights.>")
	e.Must(http.StatusCreated, "POST", "/requests", e.officer(), anAccessRequest("rectification"))
	e.Must(http.StatusCreated, "POST", "/breaches", e.officer(), aBreach())
	foi := anFOI()
	foi["received_at"] = "2026-02-28T11:00:00Z"
	e.Must(http.StatusCreated, "POST", "/foi", e.officer(), foi)
	personal := []string{"Ann Applicant", "ann@example.org", "Old Road", "ME15 6JQ", "New Road", "passport", "Everything you hold",
		"Carla", "Mill Lane", "Olly Officer", "olly@maidstone.gov.uk", "wrong address", "neighbour", "Fred Asker", "fred@example.org"}
	testkit.NoPersonalData(t, "domain events", events.WaitFor(t, 3), personal...)
	testkit.NoPersonalData(t, "status events", status.WaitFor(t, 3), personal...)
}
