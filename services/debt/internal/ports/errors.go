// Package ports exposes the debt use cases over HTTP.
package ports

import (
	"context"
	"errors"
	"net/http"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/debt/internal/adapters"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// Problem types of this service.
const (
	TypeDisclosureRefused = "https://casework.dev/problems/disclosure-refused"
	TypeMalformedFile     = "https://casework.dev/problems/malformed-referral-file"
)

// mapError is the one place domain and app errors become HTTP problems.
func mapError(err error) *httpserver.Problem {
	var (
		transition *domain.TransitionError
		rule       *domain.RuleError
		invalid    *domain.ValidationError
		refusal    *app.RefusalError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return &httpserver.Problem{Type: "https://casework.dev/problems/client-closed-request", Title: "Client closed request", Status: 499}
	case errors.Is(err, domain.ErrNotFound):
		return httpserver.NotFound("no debt case with this id")
	case errors.Is(err, domain.ErrUnknownClient):
		return httpserver.Validation("the request is not acceptable", httpserver.FieldError{Parameter: "client", Detail: "no client with this id"})
	case errors.Is(err, domain.ErrErased):
		return httpserver.Conflict(err.Error()).With("rule", "erased")
	case errors.Is(err, adapters.ErrConcurrentUpdate), errors.Is(err, app.ErrDuplicate):
		return httpserver.Conflict("the case was being changed by others at the same time; nothing was saved, try again").With("rule", "concurrent_update")
	case errors.As(err, &transition):
		return httpserver.IllegalTransition(transition.Error()).With("case_status", string(transition.Status)).With("allowed_actions", transition.Allowed)
	case errors.As(err, &rule):
		return httpserver.Conflict(rule.Detail).With("rule", rule.Rule)
	case errors.As(err, &invalid):
		return httpserver.Validation("the request is not acceptable", httpserver.FieldError{Pointer: "/" + invalid.Field, Detail: invalid.Detail})
	case errors.As(err, &refusal):
		d := refusal.Decision
		withheld := d.Withheld
		if withheld == nil {
			withheld = []string{}
		}
		return &httpserver.Problem{Type: TypeDisclosureRefused, Title: "Disclosure refused by the privacy notice", Status: http.StatusForbidden,
			Detail: d.Reason, Extensions: map[string]any{"recipient": d.Recipient, "purpose": d.Purpose, "notice_version": d.NoticeVersion, "withheld": withheld}}
	}
	return nil
}
