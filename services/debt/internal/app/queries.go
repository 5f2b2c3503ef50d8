package app

import (
	"context"
	"time"

	"casework.dev/services/debt/internal/domain"
)

// GetCase reads one case with its personal data; the read is audited.
func (s *Service) GetCase(ctx context.Context, caller Caller, id string) (*domain.Case, []HistoryEntry, error) {
	if err := s.visible(ctx, caller, id); err != nil {
		return nil, nil, err
	}
	c, err := s.repo.Read(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.repo.Audit(ctx, id, caller.Subject, "case.read", s.Now(), nil); err != nil {
		return nil, nil, err
	}
	history, err := s.repo.History(ctx, id)
	return c, history, err
}

// ListCases lists cases without personal data; a client's user sees its own only, and
// naming another client is refused, never answered with its own cases in their place. A
// client that does not exist is refused too (as the remittance statement refuses it), so
// a misspelt one is not taken for a client with no cases.
func (s *Service) ListCases(ctx context.Context, caller Caller, f Filter) ([]Summary, error) {
	if err := ownClientOnly(caller, f.ClientID); err != nil {
		return nil, err
	}
	switch {
	case caller.ClientID != "":
		f.ClientID = caller.ClientID
	case f.ClientID != "":
		if _, err := s.repo.Client(ctx, f.ClientID); err != nil {
			return nil, err
		}
	}
	return s.repo.List(ctx, f)
}

// Disclosures lists who received the debtor's data, when and on what condition.
func (s *Service) Disclosures(ctx context.Context, caller Caller, id string) ([]DisclosureRecord, error) {
	if err := s.visible(ctx, caller, id); err != nil {
		return nil, err
	}
	return s.repo.Disclosures(ctx, id)
}

// Remittance is what was collected for a client between from and to, month by month, debt
// and fees apart: the statement the client fetches.
type Remittance struct {
	ClientID string           `json:"client_id"`
	From     time.Time        `json:"from"`
	To       time.Time        `json:"to"`
	Lines    []RemittanceLine `json:"lines"`
	Total    RemittanceLine   `json:"total"`
}

// RemittanceStatement builds the client's remittance statement.
func (s *Service) RemittanceStatement(ctx context.Context, caller Caller, clientID string, from, to time.Time) (Remittance, error) {
	client, err := s.ReferralClient(ctx, caller, clientID)
	if err != nil {
		return Remittance{}, err
	}
	lines, err := s.repo.Remittance(ctx, client.ID, from, to)
	if err != nil {
		return Remittance{}, err
	}
	out := Remittance{ClientID: client.ID, From: from, To: to, Lines: lines, Total: RemittanceLine{Month: "total"}}
	if out.Lines == nil {
		out.Lines = []RemittanceLine{}
	}
	for _, l := range lines {
		t := &out.Total
		t.Payments += l.Payments
		t.CollectedPence += l.CollectedPence
		t.DebtPence += l.DebtPence
		t.FeesPence += l.FeesPence
		t.CompliancePence += l.CompliancePence
		t.EnforcementPence += l.EnforcementPence
		t.SalePence += l.SalePence
		t.RefundedPence += l.RefundedPence
	}
	return out, nil
}
