package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// Erase erases the decision's personal data at the offender's request (UK GDPR Art 17), or
// refuses with the notice's ground while the entry is on the register or the decision is
// being made. Erased already is done.
func (r *Rights) Erase(ctx context.Context, requestID, id string) error {
	return r.change(ctx, requestID, id, func(d *domain.Decision, a domain.Actor) (domain.Event, bool, error) {
		return d.EraseOnRequest(a)
	})
}
