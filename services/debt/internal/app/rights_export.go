package app

import (
	"context"
	"errors"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/debt/internal/domain"
)

// Export gives a debtor their case as held, the other debtors' names left out and said to
// be, and the date retention erases it; its disclosures come from Disclosures. What the
// debtor provided is their own consents (to debt advice, to keeping in touch), the data the
// notice's portability covers (UK GDPR Art 20(1)(a)); another joint debtor's are theirs,
// and one whose debtor is not known is no one's to be given. The client council referred
// the rest. The read is audited on the case's trail.
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
	out.Held = debtorFields(c, rec.n)
	out.Held["referred_on"] = calendar.DateOf(c.ReferredAt).String()
	if len(c.Debtor.Names) > 1 {
		out.Redactions = append(out.Redactions, "the names of the other debtors on the case: other people's personal data")
	}
	out.Provided["consents"] = consentsOf(c, rec.n)
	// What the agency holds of the debt's course, as it concerns the debtor: every fee (a fee
	// not recoverable with why), the payments, the arrangement and the officers' decisions on
	// it when breached, with their reasons, the agents' visits (dates and
	// outcomes, not who went), and, when the case records a vulnerability of theirs, its flag
	// and review and any officer's finding that the welfare team needed their data. Another
	// debtor's vulnerability is left out without a word: saying something was withheld would
	// tell it. Staff names are left out.
	own := c.VulnerabilityOf(rec.n)
	out.Held["fees"] = feesOf(c, true, own != nil)
	out.Held["payments"] = paymentsOf(c)
	out.Held["visits"] = visitsOf(c)
	if a := c.Arrangement; a != nil {
		out.Held["arrangement"] = arrangementOf(a, c.ArrangementReviewPending())
	}
	if len(c.ArrangementReviews) > 0 {
		out.Held["arrangement_reviews"] = arrangementReviewsOf(c)
	}
	if g := c.GoodsControlled; g != nil {
		out.Held["goods_controlled"] = map[string]any{"on": calendar.DateOf(g.At).String(), "how": g.How}
	}
	if own != nil {
		out.Held["vulnerability"] = vulnerabilityOf(own)
	}
	findings := []map[string]any{}
	for _, f := range c.NecessityFindings {
		if f.Debtor == rec.n+1 && rec.n >= 0 {
			findings = append(findings, map[string]any{"recipient": f.Recipient, "found_on": calendar.DateOf(f.FoundAt).String(), "reason": f.Reason})
		}
	}
	if len(findings) > 0 {
		out.Held["welfare_necessity_findings"] = findings
	}
	return out, true, nil
}

// visitsOf lists the agents' attendances at the debtor's: when and with what outcome.
func visitsOf(c *domain.Case) []map[string]any {
	out := []map[string]any{}
	for _, v := range c.Visits {
		entry := map[string]any{"n": v.N, "at": v.At.UTC().Format(time.RFC3339), "outcome": v.Outcome}
		if v.Exception != "" {
			entry["exception"] = v.Exception
		}
		if v.Purpose != "" {
			entry["purpose"] = v.Purpose
		}
		out = append(out, entry)
	}
	return out
}

// arrangementOf is the instalment arrangement as agreed and kept, and a breach awaiting an
// officer's review.
func arrangementOf(a *domain.Arrangement, pending bool) map[string]any {
	ins := []map[string]any{}
	for _, in := range a.Instalments {
		ins = append(ins, map[string]any{"n": in.N, "due_date": in.DueDate.String(), "amount_pence": in.AmountPence, "missed": in.MissedAt != nil})
	}
	out := map[string]any{"made_on": calendar.DateOf(a.MadeAt).String(), "instalments": ins, "defaulted": a.DefaultedAt != nil,
		"review_pending": pending}
	if a.DefaultedAt != nil {
		out["defaulted_on"] = calendar.DateOf(*a.DefaultedAt).String()
	}
	if pending {
		out["breached_on"] = calendar.DateOf(*a.BreachedAt).String()
	}
	return out
}

// arrangementReviewsOf are the officers' decisions on breached arrangements, each with its
// reason (the debtor may contest it), without who decided.
func arrangementReviewsOf(c *domain.Case) []map[string]any {
	out := []map[string]any{}
	for _, r := range c.ArrangementReviews {
		out = append(out, map[string]any{"reviewed_on": calendar.DateOf(r.At).String(), "arrangement_made_on": calendar.DateOf(r.ArrangementMadeAt).String(),
			"breached_on": calendar.DateOf(r.BreachedAt).String(), "decision": r.Decision, "reason": r.Reason})
	}
	return out
}

// vulnerabilityOf is the flag and its review, without who raised or reviewed it.
func vulnerabilityOf(v *domain.Vulnerability) map[string]any {
	out := map[string]any{"flagged_on": calendar.DateOf(v.FlaggedAt).String(), "acute": v.Acute, "pending_review": v.PendingReview()}
	if v.ReviewedAt != nil {
		out["reviewed_on"] = calendar.DateOf(*v.ReviewedAt).String()
		out["advice_opportunity_given"] = v.AdviceOpportunity
	}
	return out
}

// consentsOf lists debtor n's consents to share (n from 0, as Debtor.Names; -1 for no
// one debtor), by recipient.
func consentsOf(c *domain.Case, n int) []map[string]any {
	out := []map[string]any{}
	for _, k := range c.ConsentsOf(n + 1) {
		entry := map[string]any{"recipient": k.Recipient, "given_on": calendar.DateOf(k.GivenAt).String()}
		if k.WithdrawnAt != nil {
			entry["withdrawn_on"] = calendar.DateOf(*k.WithdrawnAt).String()
		}
		out = append(out, entry)
	}
	return out
}
