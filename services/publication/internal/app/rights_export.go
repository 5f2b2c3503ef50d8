package app

import (
	"context"
	"errors"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/publication/internal/domain"
)

// Export gives the offender the decision about them: the conviction, the decision with its
// reasons, when the entry was or will be on the register, and the date retention erases
// it; its disclosures (the press release) come from Disclosures. The offender provided
// nothing: the prosecuting team did. The read is audited as any read is.
func (r *Rights) Export(ctx context.Context, requestID, id string) (rights.Record, bool, error) {
	d, err := r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now())
	if errors.Is(err, domain.ErrNotFound) {
		return rights.Record{}, false, nil // not a record of this service: nothing held
	}
	if err != nil {
		return rights.Record{}, false, err
	}
	rec := rights.Record{RecordID: id, Kind: recordKind, Reference: d.Reference, Role: "offender", Provided: map[string]any{},
		Held: heldAbout(d)}
	if !d.RetentionDue.IsZero() {
		rec.KeptUntil = d.RetentionDue.String()
	}
	return rec, true, nil
}

// heldAbout is what the decision holds about the offender.
func heldAbout(d *domain.Decision) map[string]any {
	c := d.Conviction
	held := map[string]any{"conviction_date": c.Date.String(), "status": string(d.Status)}
	if d.Erased() {
		held["erased_on"] = calendar.DateOf(*d.ErasedAt).String()
		return held
	}
	held["name"], held["town"], held["offence"], held["court"], held["sentence"] = c.Name, c.Town, c.Offence, c.Court, c.Sentence
	if dr := d.Draft; dr != nil {
		factor := func(f domain.Factor) map[string]any {
			return map[string]any{"rating": string(f.Rating), "reason": f.Reason}
		}
		held["decision"] = map[string]any{
			"significance": factor(dr.Factors.Significance), "community_effect": factor(dr.Factors.CommunityEffect),
			"frequency": factor(dr.Factors.Frequency), "publicity": factor(dr.Factors.Publicity),
			"age_at_conviction": dr.Offender.AgeAtConviction, "family_or_children": dr.Offender.FamilyOrChildren,
			"vulnerability": dr.Offender.Vulnerability, "risk_of_harm": dr.Offender.RiskOfHarm, "other": dr.Offender.Other,
			"proportionate": dr.Proportionality.Proportionate, "conclusion": dr.Proportionality.Conclusion,
			"outcome": string(dr.Outcome), "reasons": dr.Reasons,
		}
	}
	if !d.PublishedOn.IsZero() {
		held["published_on"] = d.PublishedOn.String()
	}
	if d.Takedown != nil {
		held["takedown_on"], held["takedown_reason"] = d.Takedown.On.String(), string(d.Takedown.Reason)
	}
	if d.Appeal != nil {
		held["appeal"] = map[string]any{"decided_on": d.Appeal.DecidedOn.String(), "court": d.Appeal.Court, "notes": d.Appeal.Notes}
	}
	return held
}
