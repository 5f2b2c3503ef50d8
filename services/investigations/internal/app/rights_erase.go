package app

import (
	"context"
	"time"

	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Erase erases the person's entry and what they supplied, the e-mails they sent among it,
// at their request (UK GDPR Art 17), with the share messages of the case still in the
// outbox; or refuses with the notice's ground: a legal hold, or an investigation still
// open. Erased already is done.
func (r *Rights) Erase(ctx context.Context, requestID, recordID string) error {
	return r.change(ctx, requestID, recordID, "rights_erase", true, func(c *domain.Investigation, personID string, now time.Time) (domain.Event, bool, error) {
		return c.ErasePerson(personID, now, rightsdata.Email)
	})
}
