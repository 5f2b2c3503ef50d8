package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// Rectify corrects one of the debtor's details (UK GDPR Art 16); the same value again
// changes nothing.
func (r *Rights) Rectify(ctx context.Context, requestID, id, field, value string) error {
	return r.change(ctx, requestID, id, func(c *domain.Case, rec debtorRecord, _ domain.Actor) (domain.Event, bool, error) {
		return c.Rectify(rec.n, field, value)
	})
}
