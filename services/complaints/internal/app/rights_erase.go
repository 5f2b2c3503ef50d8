package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// Erase erases the complaint's personal data at the complainant's request (UK GDPR Art 17),
// or refuses with the notice's ground: a legal hold, or a complaint still being handled.
// Erased already is done.
func (r *Rights) Erase(ctx context.Context, requestID, id string) error {
	return r.change(ctx, requestID, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error) {
		return c.EraseOnRequest(a)
	})
}
