package app

import (
	"context"
	"time"

	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Rectify corrects one detail of the person's entry (UK GDPR Art 16); the same value again
// changes nothing.
func (r *Rights) Rectify(ctx context.Context, requestID, recordID, field, value string) error {
	return r.change(ctx, requestID, recordID, "rights_rectify", false, func(c *domain.Investigation, personID string, now time.Time) (domain.Event, bool, error) {
		return c.RectifyPerson(personID, field, value, now, rightsdata.Email)
	})
}
