package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// Erase erases the debtor's personal data at their request (UK GDPR Art 17), or refuses
// with the notice's ground: legal_claims for a legal hold or a debt still owed,
// legal_obligation for a paid case until its retention_due. Erased already is done.
func (r *Rights) Erase(ctx context.Context, requestID, id string) error {
	return r.change(ctx, requestID, id, func(c *domain.Case, rec debtorRecord, a domain.Actor) (domain.Event, bool, error) {
		return c.EraseDebtor(rec.n, a)
	})
}
