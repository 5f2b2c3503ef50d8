package service_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
)

func validBodyWith(edit func(m map[string]any)) string {
	m := aComplaint()
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestBadInputIsRefusedWithAProblemAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	logged := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	acked := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+acked+"/acknowledge", alice, nil)
	valid := validBodyWith(func(map[string]any) {})
	tomorrow := e.Clock.Now().Add(24 * time.Hour).Format(time.RFC3339)
	const unknownID = "0195c3d2-7a3b-7c4d-8e5f-0a1b2c3d4e5f"

	cases := []testkit.BadInput{
		{Name: "malformed JSON", Method: "POST", Path: "/complaints", Body: `{"details": "x",`,
			Status: 400, Problem: "malformed-json"},
		{Name: "malformed JSON, not an object", Method: "POST", Path: "/complaints", Body: `{details: x}`,
			Status: 400, Problem: "malformed-json"},
		{Name: "unknown field at the top", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["priority"] = "high" }),
			Status: 400, Problem: "validation", Pointers: []string{"/priority"}},
		{Name: "unknown field in complainant", Method: "POST", Path: "/complaints",
			Body: validBodyWith(func(m map[string]any) {
				m["complainant"].(map[string]any)["date_of_birth"] = "1815-12-10"
			}),
			Status: 400, Problem: "validation", Pointers: []string{"/complainant/date_of_birth"}},
		{Name: "duplicate key at the top", Method: "POST", Path: "/complaints",
			Body:   strings.Replace(valid, `"service":"waste"`, `"service":"waste","service":"parking"`, 1),
			Status: 400, Problem: "duplicate-key", Pointers: []string{"/service"}},
		{Name: "duplicate key in complainant", Method: "POST", Path: "/complaints",
			Body:   strings.Replace(valid, `"name":"Ada Lovelace"`, `"name":"Ada Lovelace","name":"Charles Babbage"`, 1),
			Status: 400, Problem: "duplicate-key", Pointers: []string{"/complainant/name"}},
		{Name: "duplicate key whose first value breaks the schema", Method: "POST", Path: "/complaints",
			Body:   strings.Replace(valid, `"channel":"web"`, `"channel":"fax","channel":"web"`, 1),
			Status: 400, Problem: "duplicate-key", Pointers: []string{"/channel"}},
		{Name: "duplicate key whose last value breaks the schema", Method: "POST", Path: "/complaints",
			Body:   strings.Replace(valid, `"channel":"web"`, `"channel":"web","channel":"fax"`, 1),
			Status: 400, Problem: "duplicate-key", Pointers: []string{"/channel"}},
		{Name: "duplicate key differing only in case", Method: "POST", Path: "/complaints",
			Body:   strings.Replace(valid, `"service":"waste"`, `"service":"waste","Service":"waste"`, 1),
			Status: 400, Problem: "duplicate-key", Pointers: []string{"/Service"}},
		{Name: "trailing data", Method: "POST", Path: "/complaints", Body: valid + ` {"again": true}`,
			Status: 400, Problem: "trailing-data"},
		{Name: "trailing second object, same content", Method: "POST", Path: "/complaints", Body: valid + valid,
			Status: 400, Problem: "trailing-data"},
		{Name: "empty body", Method: "POST", Path: "/complaints", Body: "",
			Status: 400, Problem: "validation", Pointers: []string{""}},
		{Name: "wrong content type", Method: "POST", Path: "/complaints", Body: valid,
			Headers: []string{"Content-Type", "text/plain"}, Status: 415, Problem: "unsupported-media-type"},
		{Name: "body over the service's limit (1 MiB)", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["details"] = strings.Repeat("x", int(service.MaxBodyBytes)) }),
			Status: 413, Problem: "body-too-large",
			Check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				if p["limit_bytes"] != float64(service.MaxBodyBytes) {
					t.Fatalf("limit_bytes %v", p["limit_bytes"])
				}
			}},
		{Name: "respond before acknowledge", Method: "POST", Path: "/complaints/" + logged + "/respond",
			Body:   `{"outcome":"upheld","summary":"Fault found."}`,
			Status: 409, Problem: "illegal-transition",
			Check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				if !reflect.DeepEqual(p["allowed_actions"], []any{"acknowledge", "refer_lgo", "close"}) || p["complaint_status"] != "stage1_received" {
					t.Fatalf("allowed_actions %v, complaint_status %v", p["allowed_actions"], p["complaint_status"])
				}
				if p["detail"] != "cannot respond a complaint that is stage1_received; allowed now: acknowledge, refer_lgo, close" {
					t.Fatalf("detail %v", p["detail"])
				}
			}},
		{Name: "extension of 11 working days at stage 1", Method: "POST", Path: "/complaints/" + acked + "/extend",
			Body:   `{"working_days":11,"reason":"Waiting for the contractor's records."}`,
			Status: 400, Problem: "validation", Pointers: []string{"/working_days"},
			Check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				detail := p["errors"].([]any)[0].(map[string]any)["detail"]
				if detail != "a stage 1 extension is 1 to 10 working days" {
					t.Fatalf("detail %v", detail)
				}
			}},
		{Name: "extension of 21 working days (contract maximum)", Method: "POST", Path: "/complaints/" + acked + "/extend",
			Body:   `{"working_days":21,"reason":"x"}`,
			Status: 400, Problem: "validation", Pointers: []string{"/working_days"}},
		{Name: "unknown complaint id", Method: "GET", Path: "/complaints/" + unknownID,
			Status: 404, Problem: "not-found"},
		{Name: "unknown complaint id, action", Method: "POST", Path: "/complaints/" + unknownID + "/acknowledge",
			Status: 404, Problem: "not-found"},
		{Name: "id that is not a UUID", Method: "GET", Path: "/complaints/CMP-2026-000001",
			Status: 400, Problem: "validation", Pointers: []string{"param:id"}},
		{Name: "wrong enum value", Method: "POST", Path: "/complaints/" + acked + "/respond",
			Body:   `{"outcome":"maybe","summary":"Perhaps."}`,
			Status: 400, Problem: "validation", Pointers: []string{"/outcome"}},
		{Name: "missing required property", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { delete(m, "details") }),
			Status: 400, Problem: "validation", Pointers: []string{"/details"}},
		{Name: "missing complainant name", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { delete(m["complainant"].(map[string]any), "name") }),
			Status: 400, Problem: "validation", Pointers: []string{"/complainant/name"}},
		{Name: "bad e-mail", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["complainant"].(map[string]any)["email"] = "ada at example.org" }),
			Status: 400, Problem: "validation", Pointers: []string{"/complainant/email"}},
		{Name: "wrong JSON type", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["anonymity_requested"] = "yes" }),
			Status: 400, Problem: "validation", Pointers: []string{"/anonymity_requested"}},
		{Name: "received in the future", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["received_at"] = tomorrow }),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}},
		{Name: "received at Go's zero time (it was read as now)", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["received_at"] = "0001-01-01T00:00:00Z" }),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}},
		{Name: "received at a nanosecond PostgreSQL cannot keep (it was cut to the microsecond)", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["received_at"] = "2026-03-02T09:15:00.123456789Z" }),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}},
		{Name: "consent to a recipient the notice does not name", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["consent_to"] = []string{"the-daily-gazette"} }),
			Status: 400, Problem: "validation", Pointers: []string{"/consent_to/0"}},
		{Name: "consent to a recipient the notice shares nothing with on consent (it was stored, shown and exported)", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["consent_to"] = []string{"ward-councillor", "lgo"} }),
			Status: 400, Problem: "validation", Pointers: []string{"/consent_to/1"}},
		{Name: "an empty list of categories to disclose (it was read as everything)", Method: "POST", Path: "/complaints/" + logged + "/disclosures",
			Body:   `{"recipient":"ward-councillor","purpose":"complaint_handling","categories":[]}`,
			Status: 400, Problem: "validation", Pointers: []string{"/categories"}},
		{Name: "method not allowed on the collection", Method: "DELETE", Path: "/complaints",
			Status: 405, Problem: "method-not-allowed",
			Check: func(t *testing.T, r testkit.Response, _ map[string]any) {
				if r.Header.Get("Allow") != "GET, HEAD, POST" {
					t.Fatalf("Allow %q", r.Header.Get("Allow"))
				}
			}},
		{Name: "method not allowed on a complaint", Method: "PATCH", Path: "/complaints/" + logged, Body: `{}`,
			Status: 405, Problem: "method-not-allowed",
			Check: func(t *testing.T, r testkit.Response, _ map[string]any) {
				if r.Header.Get("Allow") != "GET, HEAD" {
					t.Fatalf("Allow %q", r.Header.Get("Allow"))
				}
			}},
		{Name: "unknown path under complaints", Method: "GET", Path: "/complaints/" + logged + "/attachments",
			Status: 404, Problem: "not-found"},
		{Name: "unknown path", Method: "GET", Path: "/complaint-forms", Status: 404, Problem: "not-found"},
	}
	e.RefusesBadInput(t, alice, cases)
}
