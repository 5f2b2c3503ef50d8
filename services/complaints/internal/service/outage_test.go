package service_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// With the database unreachable every request that needs it answers 503 with Retry-After,
// like an outage and not like a bug, changes nothing, and /readyz says so; when the
// database is back the same requests go through.
func TestADatabaseOutageAnswers503WithRetryAfterAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	var database string
	if err := e.DB.Get(&database, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	before := e.TableCounts(t)

	restore := testkit.CutDatabase(t, e.DB)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/complaints", aComplaint()},
		{"POST", "/complaints/" + id + "/acknowledge", nil},
		{"POST", "/complaints/" + id + "/consents", map[string]any{"recipient": "ward-councillor"}},
		{"GET", "/complaints/" + id, nil},
		{"GET", "/complaints?service=waste", nil},
	} {
		r := e.Call(c.method, c.path, alice, c.body)
		p := testkit.ProblemOf(t, r, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable)
		if p["detail"] != "the database is unavailable; try again later" || p["dependency"] != "database" ||
			r.Header.Get("Retry-After") != "5" {
			t.Errorf("%s %s: %v, Retry-After %q", c.method, c.path, p, r.Header.Get("Retry-After"))
		}
	}
	ready := e.Call("GET", "/readyz", "", nil)
	if p := testkit.ProblemOf(t, ready, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable); p["detail"] != "database unavailable" ||
		ready.Header.Get("Retry-After") != "5" {
		t.Errorf("readyz: %s", ready.Body)
	}
	if strings.Contains(string(ready.Body), database) || strings.Contains(string(ready.Body), "pq:") {
		t.Errorf("readyz shows the driver's error: %s", ready.Body)
	}

	restore()
	if after := e.TableCounts(t); !reflect.DeepEqual(before, after) {
		t.Fatalf("rows changed during the outage: before %v, after %v", before, after)
	}
	testkit.Eventually(t, 10*time.Second, "ready again", func() (bool, string) {
		r := e.Call("GET", "/readyz", "", nil)
		return r.Status == http.StatusOK, string(r.Body)
	})
	e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
}

// A broker outage degrades the service but does not stop it: writes commit and their
// events wait in the outbox, so /readyz stays 200 and says the broker is degraded (a load
// balancer following it must not turn a broker outage into an API outage).
func TestABrokerOutageIsDegradedAndWritesStillCommit(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	e.NATS.Server.Shutdown()
	testkit.Eventually(t, 10*time.Second, "readyz saying the broker is degraded", func() (bool, string) {
		r := e.Call("GET", "/readyz", "", nil)
		return r.Status == http.StatusOK && string(r.Body) == "{\"degraded\":[\"broker\"],\"status\":\"degraded\"}\n",
			string(r.Body)
	})

	outbox := e.TableCounts(t)["watermill_outbox"]
	created := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	if got := e.Must(http.StatusOK, "GET", "/complaints/"+created["id"].(string), alice, nil)["reference"]; got != created["reference"] {
		t.Fatalf("read back %v, want %v", got, created["reference"])
	}
	var waiting int
	if err := e.DB.Get(&waiting, `SELECT count(*) FROM watermill_outbox WHERE payload::text LIKE '%' || $1 || '%'`,
		created["id"]); err != nil {
		t.Fatal(err)
	}
	if now := e.TableCounts(t)["watermill_outbox"]; waiting == 0 || now != outbox+waiting {
		t.Fatalf("%d outbox rows for the complaint (%d before, %d now): its events must wait in the outbox", waiting, outbox, now)
	}
}
