// Package ports exposes the debt use cases over HTTP.
package ports

import (
	"errors"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/debt/internal/domain"
)

// TypeMalformedFile is this service's own problem type: a referral file that cannot be
// read as a whole (its rows' faults are reported row by row instead).
const TypeMalformedFile = httpserver.TypeBase + "malformed-referral-file"

// OwnErrors maps the refusals only this service has; every other refusal is one of the
// platform's (httpserver.CaseErrors).
func OwnErrors(err error) *httpserver.Problem {
	if errors.Is(err, domain.ErrUnknownClient) {
		return httpserver.Validation("the request is not acceptable", httpserver.FieldError{Parameter: "client", Detail: "no client with this id"})
	}
	if errors.Is(err, domain.ErrOtherClient) {
		return httpserver.Validation("the request is not acceptable", httpserver.FieldError{Parameter: "client",
			Detail: "a client refers and reads its own debts only: leave client out, or name your own client"})
	}
	if errors.Is(err, domain.ErrClientOnly) {
		return httpserver.Forbidden("only a client's user may do this, for its own client: the token must name it in a role " + ClientRolePrefix + "<client id>")
	}
	return nil
}
