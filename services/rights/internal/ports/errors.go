// Package ports exposes the information rights use cases over HTTP.
package ports

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/lib/pq"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// retryAfterSeconds is what a 503 asks the caller to wait.
const retryAfterSeconds = "5"

// TypeIncomplete is the problem type of a response asked for while services have not answered.
const TypeIncomplete = "https://casework.dev/problems/incomplete"

// mapError is the one place domain and app errors become HTTP problems.
func mapError(err error) *httpserver.Problem {
	var (
		transition *domain.TransitionError
		rule       *domain.RuleError
		invalid    *domain.ValidationError
		incomplete *app.IncompleteError
	)
	switch {
	case errors.Is(err, context.Canceled):
		// The caller went away; nothing was committed. 499 is nginx's "client closed request".
		return &httpserver.Problem{Type: "https://casework.dev/problems/client-closed-request", Title: "Client closed request", Status: 499}
	case errors.Is(err, domain.ErrNotFound):
		return httpserver.NotFound("no case with this id")
	case errors.Is(err, domain.ErrErased):
		return httpserver.Conflict(err.Error()).With("rule", "erased")
	case errors.As(err, &transition):
		return httpserver.IllegalTransition(transition.Error()).With("case_status", transition.Status).With("allowed_actions", transition.Allowed)
	case errors.As(err, &incomplete):
		return &httpserver.Problem{Type: TypeIncomplete, Title: "The response is not complete", Status: http.StatusConflict,
			Detail: incomplete.Error(), Extensions: map[string]any{"phase": string(incomplete.Phase), "pending": incomplete.Pending}}
	case errors.As(err, &rule):
		return httpserver.Conflict(rule.Detail).With("rule", rule.Rule)
	case errors.As(err, &invalid):
		return httpserver.Validation("the request is not acceptable",
			httpserver.FieldError{Pointer: "/" + invalid.Field, Detail: invalid.Detail})
	case unavailable(err):
		return httpserver.ServiceUnavailable("the database is unavailable or busy; nothing was changed, try again shortly")
	}
	return nil
}

// unavailable reports an error that says the database cannot be reached or had to give up
// the transaction (a deadlock or serialisation failure): worth retrying, not a 500.
func unavailable(err error) bool {
	var (
		pqErr  *pq.Error
		netErr net.Error
	)
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &pqErr):
		code := string(pqErr.Code)
		return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57P") || code == "40001" || code == "40P01" || code == "53300"
	case errors.As(err, &netErr):
		return true
	}
	return false
}

// withRetryAfter adds Retry-After to every 503, so a caller knows when to come back.
func withRetryAfter(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(retryAfterWriter{w}, r)
	})
}

type retryAfterWriter struct{ http.ResponseWriter }

func (w retryAfterWriter) WriteHeader(code int) {
	if code == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w retryAfterWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
