package app

import (
	"context"
	"errors"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/publication/internal/domain"
)

// Export gives the offender the decision about them: the conviction, where it came from,
// the decision with its reasons and the sentence as the rehabilitation rules took it, when
// the conviction is spent and by which rule, what happened to the entry (when and why it
// came down, and the officers' notes that may name them), and the date retention erases
// it; its disclosures (the register, the press release) come from Disclosures. The
// offender provided nothing: the prosecuting team did. The read is audited as any read is.
func (r *Rights) Export(ctx context.Context, requestID, id string) (rights.Record, bool, error) {
	d, err := r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now())
	if errors.Is(err, domain.ErrNotFound) {
		return rights.Record{}, false, nil // not a record of this service: nothing held
	}
	if err != nil {
		return rights.Record{}, false, err
	}
	rec := rights.Record{RecordID: id, Kind: recordKind, Reference: d.Reference, Role: "offender", Provided: map[string]any{},
		Held: heldAbout(d, r.svc.cal)}
	if !d.RetentionDue.IsZero() {
		rec.KeptUntil = d.RetentionDue.String()
	}
	return rec, true, nil
}

// heldAbout is what the decision holds about the offender.
func heldAbout(d *domain.Decision, cal *calendar.Calendar) map[string]any {
	c := d.Conviction
	held := map[string]any{"conviction_date": c.Date.String(), "status": string(d.Status),
		"source": map[string]any{"kind": d.Source.Kind, "team": d.Source.Team, "case_reference": d.Source.CaseReference}}
	if d.Erased() {
		held["erased_on"] = calendar.DateOf(*d.ErasedAt).String()
		return held
	}
	held["name"], held["town"], held["offence"], held["court"], held["sentence"] = c.Name, c.Town, c.Offence, c.Court, c.Sentence
	if dr := d.Draft; dr != nil {
		factor := func(f domain.Factor) map[string]any {
			return map[string]any{"rating": string(f.Rating), "reason": f.Reason}
		}
		endsOn := ""
		if !dr.Sentence.EndsOn.IsZero() {
			endsOn = dr.Sentence.EndsOn.String()
		}
		held["decision"] = map[string]any{
			"significance": factor(dr.Factors.Significance), "community_effect": factor(dr.Factors.CommunityEffect),
			"frequency": factor(dr.Factors.Frequency), "publicity": factor(dr.Factors.Publicity),
			"age_at_conviction": dr.Offender.AgeAtConviction, "family_or_children": dr.Offender.FamilyOrChildren,
			"vulnerability": dr.Offender.Vulnerability, "risk_of_harm": dr.Offender.RiskOfHarm, "other": dr.Offender.Other,
			"sentence":      map[string]any{"type": string(dr.Sentence.Type), "term": dr.Sentence.Term, "ends_on": endsOn},
			"proportionate": dr.Proportionality.Proportionate, "conclusion": dr.Proportionality.Conclusion,
			"outcome": string(dr.Outcome), "reasons": dr.Reasons,
		}
		if reh, ok := rehabilitationOf(d, cal); ok {
			held["spent_rule"] = reh.Rule
			if reh.NeverSpent {
				held["never_spent"] = true
			} else {
				held["spent_on"] = reh.SpentOn.String()
			}
		}
	}
	if n := d.SentBack; n != nil {
		held["sent_back"] = map[string]any{"on": calendar.DateOf(n.At).String(), "reason": n.Reason}
	}
	if !d.PublishedOn.IsZero() {
		held["published_on"] = d.PublishedOn.String()
	}
	if t := d.Takedown; t != nil {
		held["takedown_planned"] = map[string]any{"on": t.On.String(), "reason": string(t.Reason)}
		if d.Status == domain.StatusPublished {
			held["takedown_on"], held["takedown_reason"] = t.On.String(), string(t.Reason)
		}
	}
	if n := d.TakenDown; n != nil {
		// What happened: the day the entry left the register (its planned day, if the sweep
		// came later), why, and the note recorded with it.
		on := calendar.DateOf(n.At)
		if d.Takedown != nil && d.Takedown.On.Before(on) {
			on = d.Takedown.On
		}
		held["takedown_on"], held["takedown_reason"], held["takedown_note"] = on.String(), string(d.TakedownReason), n.Reason
	}
	if d.Appeal != nil {
		held["appeal"] = map[string]any{"decided_on": d.Appeal.DecidedOn.String(), "court": d.Appeal.Court, "notes": d.Appeal.Notes}
	}
	return held
}

// rehabilitationOf is when the conviction is spent, and by which rule: as the takedown
// plan of a published entry took it, or as the draft's sentence gives it.
func rehabilitationOf(d *domain.Decision, cal *calendar.Calendar) (domain.Rehabilitation, bool) {
	if d.Takedown != nil {
		return d.Takedown.Rehabilitation, true
	}
	if d.Draft.Sentence.Validate(d.Conviction.Date) != nil {
		return domain.Rehabilitation{}, false
	}
	return domain.Rehabilitate(cal, d.Conviction.Date, d.Draft.Sentence, d.Draft.Offender.Under18()), true
}
