package service_test

import (
	"net/http"
	"reflect"
	"testing"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// The same officer's key with a different request is refused and stores nothing; the
// first request's replay stays as it was, whatever the JSON's member order or spacing.
func TestIdempotencyKeyReusedWithAnotherRequestIsRefused(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	first := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint(), "Idempotency-Key", "k-1")
	before := e.TableCounts(t)

	other := aComplaint()
	other["complainant"] = map[string]any{"name": "Grace Hopper", "email": "grace@example.org"}
	p := testkit.ProblemOf(t, e.Call("POST", "/complaints", alice, other, "Idempotency-Key", "k-1"),
		http.StatusUnprocessableEntity, httpserver.TypeIdempotencyKeyReused)
	if p["detail"] != "this Idempotency-Key was used before with a different request; use a new key for a new request" {
		t.Errorf("detail = %q", p["detail"])
	}
	if after := e.TableCounts(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("a refused key changed the tables: %v, was %v", after, before)
	}

	// The same request spelled differently is the same request.
	same := `{ "channel": "web", "service": "waste",
		"details": "Bins not collected for three weeks on High Street.",
		"complainant": {"email": "ada@example.org", "phone": "01622 000111",
			"address": "1 High Street, Maidstone ME14 1AA", "name": "Ada Lovelace"} }`
	again := e.Must(http.StatusOK, "POST", "/complaints", alice, same, "Idempotency-Key", "k-1")
	if again["id"] != first["id"] || again["reference"] != first["reference"] {
		t.Fatalf("replay returned %v %v, want %v %v", again["id"], again["reference"], first["id"], first["reference"])
	}
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM complaints`); err != nil || n != 1 {
		t.Fatalf("%d complaints stored (%v), want 1", n, err)
	}
}

// When every save loses its race, the request gives up after the bounded retries with a
// retryable 409, never a 500, and nothing changes.
func TestConcurrentUpdateExhaustedIsARetryableConflict(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	// Another writer that always gets there first: every guarded UPDATE of the case row
	// finds nothing to update, exactly as after a concurrent change of its version.
	if _, err := e.DB.Exec(`CREATE FUNCTION always_lose() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
		CREATE TRIGGER always_lose BEFORE UPDATE ON complaints FOR EACH ROW EXECUTE FUNCTION always_lose()`); err != nil {
		t.Fatal(err)
	}
	before := e.TableCounts(t)
	p := testkit.ProblemOf(t, e.Call("POST", "/complaints/"+id+"/acknowledge", alice, nil),
		http.StatusConflict, httpserver.TypeConcurrentUpdate)
	if p["retryable"] != true || p["title"] != "Concurrent update" ||
		p["detail"] != "the case kept changing while this request tried to save it; nothing was changed: send the request again" {
		t.Errorf("problem = %v", p)
	}
	if after := e.TableCounts(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("a lost race changed the tables: %v, was %v", after, before)
	}
	if _, err := e.DB.Exec(`DROP TRIGGER always_lose ON complaints`); err != nil {
		t.Fatal(err)
	}
	if got := e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil); got["status"] != "stage1_acknowledged" {
		t.Fatalf("retry after the race: status %v", got["status"])
	}
}
