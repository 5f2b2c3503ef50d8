package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"casework.dev/pkg/casework"
	"casework.dev/services/publication/internal/domain"
)

// ReceivedConviction is a conviction the investigations service disclosed for a
// publication decision.
type ReceivedConviction struct {
	DisclosureID  string
	CaseReference string // the investigation's reference
	Conviction    domain.Conviction
}

// InvestigationsActor is the actor recorded for decisions opened from a disclosure.
const InvestigationsActor = "system:investigations-disclosure"

// ReceiveConviction opens the decision to make for a disclosed conviction. A disclosure
// already received (a redelivery, a replayed outbox: the disclosure id is its idempotency
// key) opens nothing: exactly one decision per conviction. It reports whether it opened
// one; the same disclosure id with another conviction is refused
// (casework.ErrIdempotencyKeyReused).
func (s *Service) ReceiveConviction(ctx context.Context, in ReceivedConviction) (bool, error) {
	a := s.actor(InvestigationsActor)
	src := domain.Source{Kind: domain.SourceInvestigations, Ref: in.DisclosureID, Team: "community_protection", CaseReference: in.CaseReference}
	d, e, err := domain.Receive(s.newID(), src, in.Conviction, s.undecidedDue(a), a)
	if err != nil {
		return false, err
	}
	c := in.Conviction
	digest := sha256.Sum256([]byte(strings.Join([]string{in.CaseReference, c.Name, c.Town, c.Offence, c.Court, c.Date.String(), c.Sentence}, "\x00")))
	key := casework.IdempotencyKey{Actor: InvestigationsActor, Key: in.DisclosureID, RequestDigest: hex.EncodeToString(digest[:])}
	existing, err := s.repo.Add(ctx, d, key, Change{Actor: a.Officer, At: a.Now, Event: e})
	if err != nil {
		return false, fmt.Errorf("receive conviction %s: %w", in.DisclosureID, err)
	}
	return existing == "", nil
}
