package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// Rectify corrects one of the conviction's details (UK GDPR Art 16); the same value again
// changes nothing. A corrected date or sentence re-plans a published entry's takedown, or
// holds it off the register until an officer amends its sentence (domain.Decision.Rectify).
// A value refused (text that cannot be stored included) is answered as a refusal.
func (r *Rights) Rectify(ctx context.Context, requestID, id, field, value string) error {
	return r.change(ctx, requestID, id, func(d *domain.Decision, a domain.Actor) (domain.Event, bool, error) {
		return d.Rectify(field, value, r.svc.retentionDue(a), a)
	})
}
