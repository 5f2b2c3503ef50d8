// Package ports exposes the investigations use cases over HTTP.
package ports

import (
	"context"
	"errors"
	"net/http"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// TypeDisclosureRefused is the problem type of a referral the privacy notice refuses.
const TypeDisclosureRefused = "https://casework.dev/problems/disclosure-refused"

// mapError is the one place domain and app errors become HTTP problems.
func mapError(err error) *httpserver.Problem {
	var (
		transition *domain.TransitionError
		rule       *domain.RuleError
		invalid    *domain.ValidationError
		missing    *domain.NotFoundError
		refusal    *app.RefusalError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return &httpserver.Problem{Type: "https://casework.dev/problems/client-closed-request", Title: "Client closed request", Status: 499}
	case errors.Is(err, domain.ErrNotFound):
		return httpserver.NotFound("no investigation with this id")
	case errors.As(err, &missing):
		return httpserver.NotFound(missing.Error())
	case errors.Is(err, domain.ErrErased):
		return httpserver.Conflict(err.Error()).With("rule", "erased")
	case errors.As(err, &transition):
		allowed := make([]string, len(transition.Allowed))
		for i, a := range transition.Allowed {
			allowed[i] = string(a)
		}
		return httpserver.IllegalTransition(transition.Error()).With("investigation_status", string(transition.Status)).With("allowed_actions", allowed)
	case errors.As(err, &rule):
		return httpserver.Conflict(rule.Detail).With("rule", rule.Rule)
	case errors.As(err, &invalid):
		return httpserver.Validation("the request is not acceptable",
			httpserver.FieldError{Pointer: "/" + invalid.Field, Detail: invalid.Detail})
	case errors.As(err, &refusal):
		d := refusal.Decision
		return &httpserver.Problem{Type: TypeDisclosureRefused, Title: "Disclosure refused by the privacy notice",
			Status: http.StatusForbidden, Detail: d.Reason,
			Extensions: map[string]any{"recipient": d.Recipient, "purpose": d.Purpose, "notice_version": d.NoticeVersion, "withheld": nonNil(d.Withheld)}}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
