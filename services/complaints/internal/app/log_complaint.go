package app

import (
	"context"
	"fmt"
	"strings"

	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
)

// LogComplaint opens a stage 1 complaint. The officer's idempotency key used before with
// the same request returns the complaint it first created, with created false, and stores
// nothing; with another request it is refused (casework.ErrIdempotencyKeyReused).
func (s *Service) LogComplaint(ctx context.Context, officer string, in domain.NewComplaint, key casework.IdempotencyKey) (*domain.Complaint, bool, error) {
	// A consent given at logging is held to what RecordConsent holds it to: a recipient the
	// notice shares nothing with on consent has no consent to record.
	for i, r := range in.ConsentTo {
		rec, ok := s.notice.Recipient(r)
		if !ok {
			return nil, false, &casework.ValidationError{Field: fmt.Sprintf("consent_to/%d", i), Detail: fmt.Sprintf("%q is not a recipient named in the complaints notice", r)}
		}
		if why := s.notice.Unrecordable(rec, "consent"); why != "" {
			return nil, false, &casework.ValidationError{Field: fmt.Sprintf("consent_to/%d", i), Detail: why}
		}
	}
	// The value itself is not repeated: an officer's free text may hold personal data.
	if in.Service != "" && !s.services.Has(in.Service) { // never trimmed: " waste" is not an id
		return nil, false, &casework.ValidationError{Field: "service", Detail: "must be the id of a service in the council's service catalogue: " +
			strings.Join(s.services.IDs(), ", ")}
	}
	a := s.actor(officer)
	c, e, err := domain.Log(s.newID(), "", in, a)
	if err != nil {
		return nil, false, err
	}
	// A key is the officer's own: another officer's retry with the same key cannot read back
	// a complaint they did not log.
	key.Actor = officer
	existing, err := s.repo.Add(ctx, c, key, Change{Actor: officer, At: a.Now, Events: []domain.Event{e}})
	if err != nil {
		return nil, false, fmt.Errorf("log complaint: %w", err)
	}
	if existing != "" {
		c, err := s.repo.Read(ctx, existing, officer, a.Now, true)
		return c, false, err
	}
	return c, true, nil
}
