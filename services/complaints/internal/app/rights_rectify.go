package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// Rectify corrects one of the complainant's details (UK GDPR Art 16); the same value again
// changes nothing.
func (r *Rights) Rectify(ctx context.Context, requestID, id, field, value string) error {
	return r.change(ctx, requestID, id, func(c *domain.Complaint, _ domain.Actor) (domain.Event, bool, error) {
		return c.Rectify(field, value)
	})
}
