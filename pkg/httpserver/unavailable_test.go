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

// A client that goes mid-request is no outage: lib/pq answers the query cancelled with the
// request "canceling statement due to user request" (57014), which alone reads as the
// database unavailable. It is a 499 logged at debug, whatever the service maps; the same
// error with the client still there is the 503 it was.
func TestAdaptAnswersAClientThatWentWith499NotAnOutage(t *testing.T) {
	cancelled := &pq.Error{Severity: "ERROR", Code: "57014", Message: "canceling statement due to user request"}
	for _, c := range []struct {
		name   string
		err    error
		mapErr ErrorMapper
	}{
		{"a query cancelled with the request", fmt.Errorf("load complaint: %w", cancelled), CaseErrors(nil)},
		{"the same, no mapper", fmt.Errorf("load complaint: %w", cancelled), nil},
		{"a closed connection", fmt.Errorf("publish: %w", nats.ErrConnectionClosed), CaseErrors(nil)},
		{"context.Canceled, no mapper", fmt.Errorf("load complaint: %w", context.Canceled), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			log, logs := newTestLogger()
			h := Adapt(func(http.ResponseWriter, *http.Request) error { return c.err }, c.mapErr, log)
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // net/http cancels a request's context when its connection closes
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/complaints/C-1", nil))
			readProblem(t, rec, 499, TypeClientClosedRequest)
			if rec.Header().Get("Retry-After") != "" {
				t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
			}
			if records := logs.records(t); len(records) != 1 || records[0]["level"] != "DEBUG" || records[0]["status"] != float64(499) {
				t.Fatalf("log %v, want one debug line", records)
			}
		})
	}
	rec := httptest.NewRecorder()
	Adapt(func(http.ResponseWriter, *http.Request) error { return cancelled }, CaseErrors(nil), nil).
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/complaints/C-1", nil))
	readProblem(t, rec, http.StatusServiceUnavailable, TypeServiceUnavailable)
}
