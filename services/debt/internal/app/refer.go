package app

import (
	"context"
	"errors"
	"fmt"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/services/debt/internal/domain"
)

// ReferralRow is one row of a referral file: the referral, or the problems that made the
// row unreadable.
type ReferralRow struct {
	Line     int
	Referral domain.NewReferral
	Errors   []*casework.ValidationError
}

// RowResult is the report on one row.
type RowResult struct {
	Line            int        `json:"line"`
	ClientReference string     `json:"client_reference,omitempty"`
	Outcome         string     `json:"outcome"` // accepted, already_referred, refused
	CaseID          string     `json:"case_id,omitempty"`
	Reference       string     `json:"reference,omitempty"`
	Errors          []RowError `json:"errors,omitempty"`
}

// RowError is why a row was refused: the field (empty for the whole row) and the reason.
type RowError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Row outcomes.
const (
	RowAccepted        = "accepted"
	RowAlreadyReferred = "already_referred"
	RowRefused         = "refused"
)

// Unstored is the report of a row that creates no case: refused with its own faults, or,
// when it has none, with reason (why it was not stored).
func Unstored(r ReferralRow, reason string) RowResult {
	res := RowResult{Line: r.Line, ClientReference: r.Referral.ClientReference, Outcome: RowRefused}
	for _, e := range r.Errors {
		res.Errors = append(res.Errors, RowError{Field: e.Field, Reason: e.Detail})
	}
	if res.Errors == nil {
		res.Errors = []RowError{{Field: "", Reason: reason}}
	}
	return res
}

// ReferralClient resolves the client a referral file is for: a client's user refers for
// its own client only; agency staff name one.
func (s *Service) ReferralClient(ctx context.Context, caller Caller, named string) (domain.Client, error) {
	if err := ownClientOnly(caller, named); err != nil {
		return domain.Client{}, err
	}
	id := named
	if caller.ClientID != "" {
		id = caller.ClientID
	}
	if id == "" {
		return domain.Client{}, &casework.ValidationError{Field: "client", Detail: "name the client the debts are referred for"}
	}
	return s.repo.Client(ctx, id)
}

// ownClientOnly refuses a client named in a query that is not the caller's own when the
// caller is a client's user (domain.ErrOtherClient); staff may name any.
func ownClientOnly(caller Caller, named string) error {
	if caller.ClientID != "" && named != "" && named != caller.ClientID {
		return domain.ErrOtherClient
	}
	return nil
}

// ReferBatch opens a case for each good row not referred before, idempotently by client and
// client reference: a row whose reference the client already referred (earlier, or higher
// in the same file) creates nothing and reports the existing case. One bad row never stops
// the others. Rows are answered in their order.
func (s *Service) ReferBatch(ctx context.Context, caller Caller, client domain.Client, rows []ReferralRow) ([]RowResult, error) {
	for attempt := 1; ; attempt++ {
		results, err := s.referBatch(ctx, caller, client, rows)
		if errors.Is(err, ErrDuplicate) && attempt < 3 {
			continue // another upload took a reference meanwhile: look again
		}
		return results, err
	}
}

func (s *Service) referBatch(ctx context.Context, caller Caller, client domain.Client, rows []ReferralRow) ([]RowResult, error) {
	a := s.actor(caller.Subject)
	results := make([]RowResult, len(rows))
	var refs []string
	for i := range rows {
		r := &rows[i]
		if len(r.Errors) == 0 {
			r.Errors = r.Referral.Check(a.Now)
		}
		results[i] = RowResult{Line: r.Line, ClientReference: r.Referral.ClientReference}
		if len(r.Errors) > 0 {
			results[i] = Unstored(*r, "")
			continue
		}
		refs = append(refs, r.Referral.ClientReference)
	}
	existing, err := s.repo.ExistingReferences(ctx, client.ID, refs)
	if err != nil {
		return nil, err
	}
	schedule, err := s.schedules.Choose(a.Now)
	if err != nil {
		return nil, err
	}
	var fresh []int
	for i := range rows {
		if results[i].Outcome != "" {
			continue
		}
		if id, ok := existing[rows[i].Referral.ClientReference]; ok {
			results[i].Outcome, results[i].CaseID = RowAlreadyReferred, id
			continue
		}
		existing[rows[i].Referral.ClientReference] = "" // a repeat lower in this file
		fresh = append(fresh, i)
	}
	references, err := s.repo.NextReferences(ctx, calendar.DateOf(a.Now).Year, len(fresh))
	if err != nil {
		return nil, err
	}
	cases := make([]*domain.Case, 0, len(fresh))
	changes := make([]Change, 0, len(fresh))
	byRef := map[string]string{}
	for n, i := range fresh {
		c, e, err := domain.Refer(s.newID(), references[n], client, rows[i].Referral, schedule, a)
		if err != nil {
			return nil, err
		}
		cases, changes = append(cases, c), append(changes, Change{Actor: caller.Subject, At: a.Now, Event: e})
		results[i].Outcome, results[i].CaseID, results[i].Reference = RowAccepted, c.ID, c.Reference
		byRef[c.ClientReference] = c.ID
	}
	for i := range rows { // repeats of a reference first seen in this file
		if results[i].Outcome == RowAlreadyReferred && results[i].CaseID == "" {
			results[i].CaseID = byRef[rows[i].Referral.ClientReference]
		}
	}
	if len(cases) > 0 {
		if err := s.repo.AddMany(ctx, cases, changes); err != nil {
			return nil, fmt.Errorf("refer %d debts: %w", len(cases), err)
		}
	}
	return results, nil
}
