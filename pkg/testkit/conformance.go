package testkit

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/httpserver"
)

// What every case service must show, checked the same way for each (in the manner of
// watermill's pubsub test suite): bad input is refused with a problem and changes
// nothing, and no personal value goes where the contracts promise none.

// BadInput is one request a service must refuse.
type BadInput struct {
	Name, Method, Path string
	Body               any // a string is sent as it is; nil sends no body
	Headers            []string
	Status             int
	Problem            string   // the last path segment of the problem type, e.g. "validation"
	Pointers           []string // the problem's error pointers ("param:x" for a parameter), in order; nil: not checked
	Check              func(t *testing.T, r Response, p map[string]any)
}

// RefusesBadInput sends each request with token and requires an RFC 9457 problem of its
// status and type naming its pointers, and every table of the database as it was.
func (e *Env) RefusesBadInput(t *testing.T, token string, cases []BadInput) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			before := e.TableCounts(t)
			r := e.Call(c.Method, c.Path, token, c.Body, c.Headers...)
			p := ProblemOf(t, r, c.Status, httpserver.TypeBase+c.Problem)
			if c.Pointers != nil {
				if got := FieldPointers(p); !reflect.DeepEqual(got, c.Pointers) {
					t.Fatalf("pointers %q, want %q: %s", got, c.Pointers, r.Body)
				}
			}
			if c.Check != nil {
				c.Check(t, r, p)
			}
			if after := e.TableCounts(t); !reflect.DeepEqual(before, after) {
				t.Fatalf("the database changed:\nbefore %v\n after %v", before, after)
			}
		})
	}
}

// TableCounts snapshots the row count of every table of the service's database.
func (e *Env) TableCounts(t testing.TB) map[string]int {
	t.Helper()
	var tables []string
	if err := e.DB.Select(&tables, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`); err != nil {
		t.Fatalf("list tables: %v", err)
	}
	counts := make(map[string]int, len(tables))
	for _, table := range tables {
		var n int
		if err := e.DB.Get(&n, `SELECT count(*) FROM "`+table+`"`); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// ProblemOf checks that r is an RFC 9457 problem of the given status and type, and returns it.
func ProblemOf(t testing.TB, r Response, status int, typ string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != httpserver.ProblemContentType {
		t.Fatalf("Content-Type %q, want %q: %s", ct, httpserver.ProblemContentType, r.Body)
	}
	p := r.JSON(t)
	if p["type"] != typ || p["status"] != float64(status) {
		t.Fatalf("problem type %v status %v, want %s %d: %s", p["type"], p["status"], typ, status, r.Body)
	}
	return p
}

// FieldPointers lists the pointers (or "param:" and the parameter's name) of a problem's errors.
func FieldPointers(p map[string]any) []string {
	errs, _ := p["errors"].([]any)
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		m := e.(map[string]any)
		if param, ok := m["parameter"].(string); ok {
			out = append(out, "param:"+param)
			continue
		}
		out = append(out, fmt.Sprint(m["pointer"]))
	}
	return out
}

// NoPersonalData fails the test when any of values appears, in any case of letters, in
// the body or the headers of any of msgs (a status or domain event stream the contracts
// promise carries none). Fragments of a value catch partial copies.
func NoPersonalData(t testing.TB, what string, msgs []jetstream.Msg, values ...string) {
	t.Helper()
	for _, m := range msgs {
		var text strings.Builder
		text.Write(m.Data())
		for k, vs := range m.Headers() {
			text.WriteString("\n" + k + ": " + strings.Join(vs, ", "))
		}
		lower := strings.ToLower(text.String())
		for _, v := range values {
			if v != "" && strings.Contains(lower, strings.ToLower(v)) {
				t.Errorf("%s: %s carries personal data %q:\n%s", what, m.Subject(), v, text.String())
			}
		}
	}
}
