package app

import (
	"context"
	"errors"
	"maps"
	"slices"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/debt/internal/domain"
)

// Export gives a debtor their case as held, the other debtors' names left out and said to
// be, and the date retention erases it; its disclosures come from Disclosures. The debtor
// provided nothing: the client council referred the case. The read is audited on the
// case's trail.
func (r *Rights) Export(ctx context.Context, requestID, id string) (rights.Record, bool, error) {
	rec, c, err := r.load(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return rights.Record{}, false, nil // not a record of this service: nothing held
	}
	if err != nil {
		return rights.Record{}, false, err
	}
	if err := r.svc.repo.Audit(ctx, c.ID, rightsdata.Actor(requestID), "case.rights.exported", r.svc.Now(), nil); err != nil {
		return rights.Record{}, false, err
	}
	out := rights.Record{RecordID: rec.id, Kind: recordKind, Reference: c.Reference, Role: "debtor",
		Provided: map[string]any{}, Held: map[string]any{}, Redactions: []string{}}
	if !c.RetentionDue.IsZero() {
		out.KeptUntil = c.RetentionDue.String()
	}
	if c.Erased() {
		out.Held["erased_on"] = calendar.DateOf(*c.ErasedAt).String()
		return out, true, nil
	}
	out.Held = caseFields(c)
	out.Held["referred_on"] = calendar.DateOf(c.ReferredAt).String()
	out.Held["debtor_names"] = []string{}
	if rec.n >= 0 && c.Debtor.Names[rec.n] != "" {
		out.Held["debtor_names"] = []string{c.Debtor.Names[rec.n]}
	}
	if len(c.Debtor.Names) > 1 {
		out.Redactions = append(out.Redactions, "the names of the other debtors on the case: other people's personal data")
	}
	out.Held["consents"] = consentsOf(c)
	return out, true, nil
}

// consentsOf lists the debtor's consents to share, by recipient.
func consentsOf(c *domain.Case) []map[string]any {
	out := []map[string]any{}
	for _, recipient := range slices.Sorted(maps.Keys(c.Consents)) {
		k := c.Consents[recipient]
		entry := map[string]any{"recipient": k.Recipient, "given_on": calendar.DateOf(k.GivenAt).String()}
		if k.WithdrawnAt != nil {
			entry["withdrawn_on"] = calendar.DateOf(*k.WithdrawnAt).String()
		}
		out = append(out, entry)
	}
	return out
}
