// Package ports exposes the publication use cases over HTTP, and the public register.
package ports

import (
	"casework.dev/pkg/casework"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/lib/pq"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// TypeDisclosureRefused is the problem type for refusals that come from the privacy notice.
const TypeDisclosureRefused = "https://casework.dev/problems/disclosure-refused"

// retryAfterSeconds is what a 503 asks the caller to wait.
const retryAfterSeconds = "5"

// mapError is the one place domain and app errors become HTTP problems.
func mapError(err error) *httpserver.Problem {
	var (
		transition *domain.TransitionError
		rule       *domain.RuleError
		invalid    *domain.ValidationError
		refusal    *app.RefusalError
	)
	switch {
	case errors.Is(err, casework.ErrIdempotencyKeyReused):
		return &httpserver.Problem{Type: httpserver.TypeIdempotencyKeyReused, Title: "Idempotency-Key reused",
			Status: http.StatusUnprocessableEntity, Detail: err.Error() + "; use a new key for a new request"}
	case errors.Is(err, context.Canceled):
		// The caller went away; nothing was committed. 499 is nginx's "client closed request".
		return &httpserver.Problem{Type: "https://casework.dev/problems/client-closed-request", Title: "Client closed request", Status: 499}
	case errors.Is(err, domain.ErrNotFound):
		return httpserver.NotFound("no decision with this id")
	case errors.Is(err, domain.ErrErased):
		return httpserver.Conflict(err.Error()).With("rule", "erased")
	case errors.As(err, &transition):
		allowed := make([]string, len(transition.Allowed))
		for i, a := range transition.Allowed {
			allowed[i] = string(a)
		}
		return httpserver.IllegalTransition(transition.Error()).With("decision_status", string(transition.Status)).With("allowed_actions", allowed)
	case errors.As(err, &rule):
		return httpserver.Conflict(rule.Detail).With("rule", rule.Rule)
	case errors.As(err, &invalid):
		return httpserver.Validation("the request is not acceptable",
			httpserver.FieldError{Pointer: "/" + invalid.Field, Detail: invalid.Detail})
	case errors.As(err, &refusal):
		d := refusal.Decision
		withheld := d.Withheld
		if withheld == nil {
			withheld = []string{}
		}
		return &httpserver.Problem{Type: TypeDisclosureRefused, Title: "Disclosure refused by the privacy notice",
			Status: http.StatusForbidden, Detail: d.Reason,
			Extensions: map[string]any{"recipient": d.Recipient, "purpose": d.Purpose, "notice_version": d.NoticeVersion, "withheld": withheld}}
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
