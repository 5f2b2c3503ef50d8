package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// Rectify corrects one of the conviction's details (UK GDPR Art 16); the same value again
// changes nothing.
func (r *Rights) Rectify(ctx context.Context, requestID, id, field, value string) error {
	return r.change(ctx, requestID, id, func(d *domain.Decision, _ domain.Actor) (domain.Event, bool, error) {
		return d.Rectify(field, value)
	})
}
