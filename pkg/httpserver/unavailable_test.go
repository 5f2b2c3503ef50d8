package httpserver

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// An error saying a dependency cannot serve now is a 503 with Retry-After whose detail names
// the dependency in fixed words; the driver's own words go to the log only.
func TestAdaptAnswersAnUnavailableDependencyWith503(t *testing.T) {
	refused := &pq.Error{Severity: "FATAL", Code: "55000", Message: `database "casework_complaints" is not currently accepting connections`}
	cases := []struct {
		name       string
		err        error
		detail     string
		dependency any
	}{
		{"database refusing connections", fmt.Errorf("log complaint: %w", refused),
			"the database is unavailable; try again later", "database"},
		{"database connection lost", fmt.Errorf("save: %w", driver.ErrBadConn),
			"the database is unavailable; try again later", "database"},
		{"database shut down", &pq.Error{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"},
			"the database is unavailable; try again later", "database"},
		{"broker unreachable", fmt.Errorf("request: %w", nats.ErrNoServers),
			"the message broker is unavailable; try again later", "broker"},
		{"stream not answering", fmt.Errorf("publish: %w", jetstream.ErrNoStreamResponse),
			"the message broker is unavailable; try again later", "broker"},
		{"deadline passed", fmt.Errorf("list: %w", context.DeadlineExceeded),
			"the request took too long; try again later", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log, logs := newTestLogger()
			h := Adapt(func(http.ResponseWriter, *http.Request) error { return c.err }, nil, log)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/complaints", nil))
			p := readProblem(t, rec, http.StatusServiceUnavailable, TypeServiceUnavailable)
			if p.Detail != c.detail || p.Extensions["dependency"] != c.dependency || rec.Header().Get("Retry-After") != "5" {
				t.Fatalf("detail %q dependency %v Retry-After %q: %s", p.Detail, p.Extensions["dependency"],
					rec.Header().Get("Retry-After"), rec.Body.String())
			}
			if strings.Contains(rec.Body.String(), "casework_complaints") || strings.Contains(rec.Body.String(), "nats:") {
				t.Fatalf("the answer shows the driver's words: %s", rec.Body.String())
			}
			records := logs.records(t)
			if len(records) != 1 || records[0]["level"] != "ERROR" || records[0]["error"] != c.err.Error() {
				t.Fatalf("log %v, want one error line with %q", records, c.err)
			}
		})
	}
}

// The service's own mapping comes first; other errors stay 500.
func TestAdaptLeavesOtherErrorsToTheMapperOr500(t *testing.T) {
	mapped := errors.New("domain: not found")
	mapErr := func(err error) *Problem {
		if errors.Is(err, mapped) {
			return NotFound("no such thing")
		}
		return nil
	}
	for err, status := range map[error]int{
		fmt.Errorf("wrapped: %w", mapped):                                                              404,
		&pq.Error{Severity: "ERROR", Code: "23505", Message: "duplicate key value"}:                    500,
		&pq.Error{Severity: "ERROR", Code: "55000", Message: "currval of sequence is not yet defined"}: 500,
		errors.New("a bug"): 500,
	} {
		h := Adapt(func(http.ResponseWriter, *http.Request) error { return err }, mapErr, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code != status || rec.Header().Get("Retry-After") != "" {
			t.Errorf("%v: %d (Retry-After %q), want %d", err, rec.Code, rec.Header().Get("Retry-After"), status)
		}
	}
}
