package httpserver

import (
	"context"
	"errors"
	"net/http"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/postgres"
)

// Problem types of the case platform's refusals. TypeBase is what every problem type
// of this platform starts with.
const (
	TypeBase                  = problemBase
	TypeDisclosureRefused     = problemBase + "disclosure-refused"
	TypeProcessingRestricted  = problemBase + "processing-restricted"
	TypeClientClosedRequest   = problemBase + "client-closed-request"
	TypeConcurrentUpdate      = problemBase + "concurrent-update"
	TypeIdempotencyKeyReused  = problemBase + "idempotency-key-reused"
	statusClientClosedRequest = 499 // nginx's "client closed request": nothing was committed
)

// CaseErrors is the one mapping of the typed refusals in pkg/casework to problems, for
// every case service. A service passes own for errors only it knows (nil when it has
// none); own is asked first.
func CaseErrors(own ErrorMapper) ErrorMapper {
	return func(err error) *Problem {
		if own != nil {
			if p := own(err); p != nil {
				return p
			}
		}
		return caseProblem(err)
	}
}

// clientClosedRequest is the 499 of a request whose client went before the answer, which
// no one reads.
func clientClosedRequest() *Problem {
	return &Problem{Type: TypeClientClosedRequest, Title: "Client closed request", Status: statusClientClosedRequest}
}

func caseProblem(err error) *Problem {
	var (
		notFound   *casework.NotFoundError
		erased     *casework.ErasedError
		transition casework.Transition
		rule       *casework.RuleError
		invalid    *casework.ValidationError
		refusal    *casework.RefusalError
		restricted *casework.RestrictedError
		outside    *calendar.OutsideTableError
		stale      *casework.PreconditionFailedError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return clientClosedRequest()
	case errors.As(err, &notFound) && notFound.Part != "":
		return NotFound(notFound.Error())
	case errors.As(err, &notFound):
		return NotFound("no " + string(notFound.Kind) + " with this id")
	case errors.As(err, &erased):
		return Conflict(erased.Error()).With("rule", "erased")
	case errors.As(err, &transition):
		kind, status := transition.CaseStatus()
		// "status" is the problem's own HTTP status member, so the case's goes under its own name.
		return IllegalTransition(transition.Error()).With(string(kind)+"_status", status).
			With("allowed_actions", transition.AllowedActions())
	case errors.As(err, &rule):
		return Conflict(rule.Detail).With("rule", rule.Rule)
	case errors.As(err, &invalid):
		return Validation("the request is not acceptable", FieldError{Pointer: "/" + invalid.Field, Detail: invalid.Detail})
	case errors.As(err, &refusal):
		d := refusal.Decision
		withheld := d.Withheld
		if withheld == nil {
			withheld = []string{}
		}
		return &Problem{Type: TypeDisclosureRefused, Title: "Disclosure refused by the privacy notice",
			Status: http.StatusForbidden, Detail: d.Reason,
			Extensions: map[string]any{"recipient": d.Recipient, "purpose": d.Purpose, "notice_version": d.NoticeVersion, "withheld": withheld}}
	case errors.As(err, &restricted):
		// Names the restriction and the rights request that placed it.
		return &Problem{Type: TypeProcessingRestricted, Title: "Processing restricted", Status: http.StatusForbidden,
			Detail: restricted.Error(), Extensions: map[string]any{"rule": "restricted", "rights_request": restricted.RequestID,
				"restricted_since": restricted.Since.UTC().Format(time.RFC3339)}}
	case errors.Is(err, casework.ErrConcurrentUpdate), postgres.IsLostRace(err):
		// A serialization failure or deadlock that reached here unretried is the same lost
		// race: nothing was written, and the request may be sent again.
		return &Problem{Type: TypeConcurrentUpdate, Title: "Concurrent update", Status: http.StatusConflict,
			Detail:     casework.ErrConcurrentUpdate.Error() + "; nothing was changed: send the request again",
			Extensions: map[string]any{"retryable": true}}
	case errors.Is(err, casework.ErrIdempotencyKeyReused):
		return &Problem{Type: TypeIdempotencyKeyReused, Title: "Idempotency-Key reused", Status: http.StatusUnprocessableEntity,
			Detail: casework.ErrIdempotencyKeyReused.Error() + "; use a new key for a new request"}
	case errors.As(err, &stale):
		return PreconditionFailed(stale.Error()).With("current_version", stale.Current)
	case errors.As(err, &outside):
		// A deadline the bank-holiday table cannot count (a use case that names no field of
		// the request for it): nothing was changed, and the table needs its next years.
		return Conflict(outside.Reason()).With("rule", "outside_holiday_table")
	}
	return nil
}
