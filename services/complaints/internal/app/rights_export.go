package app

import (
	"context"
	"errors"
	"maps"
	"slices"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/domain"
)

// Export gives the complainant their complaint: what they told us (Art 20), what we hold
// (responses, outcomes, consents) and until when it is kept; its disclosures come from
// Disclosures. The complaints service holds no other person's details apart from the free
// text the complainant wrote, which is theirs, so nothing is redacted.
func (r *Rights) Export(ctx context.Context, requestID, id string) (rights.Record, bool, error) {
	c, err := r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now(), true)
	if errors.Is(err, domain.ErrNotFound) {
		return rights.Record{}, false, nil
	}
	if err != nil {
		return rights.Record{}, false, err
	}
	rec := rights.Record{RecordID: id, Kind: string(domain.Kind), Reference: c.Reference, Role: "complainant",
		Provided: providedBy(c), Held: heldAbout(c)}
	if !c.RetentionDue.IsZero() {
		rec.KeptUntil = c.RetentionDue.String()
	}
	return rec, true, nil
}

// providedBy is what the complainant gave the council, by the notice's field names.
func providedBy(c *domain.Complaint) map[string]any {
	if c.Erased() {
		return map[string]any{}
	}
	p := c.Complainant
	out := map[string]any{"name": p.Name, "address": p.Address, "phone": p.Phone, "email": p.Email, "details": c.Details,
		"special_details": c.SpecialDetails, "stage2_details": c.Stage2Details}
	if c.Stage3 != nil {
		out["stage3_details"] = c.Stage3.Referral.Details
	}
	maps.DeleteFunc(out, func(_ string, v any) bool { return v == "" })
	return out
}

// heldAbout is what the council recorded about the complaint and the complainant.
func heldAbout(c *domain.Complaint) map[string]any {
	held := map[string]any{"service": c.Service, "channel": c.Channel, "received_on": calendar.DateOf(c.ReceivedAt).String(),
		"stage": c.Stage, "status": string(c.Status), "anonymity_requested": c.AnonymityRequested}
	if c.Erased() {
		held["erased_on"] = calendar.DateOf(*c.ErasedAt).String()
		return held
	}
	var responses []map[string]any
	for _, stage := range slices.Sorted(maps.Keys(c.Responses)) {
		resp := c.Responses[stage]
		responses = append(responses, map[string]any{"stage": stage, "outcome": string(resp.Outcome), "summary": resp.Summary,
			"remedies": resp.Remedies, "responded_on": calendar.DateOf(resp.RespondedAt).String()})
	}
	if responses != nil {
		held["responses"] = responses
	}
	var consents []map[string]any
	for _, recipient := range slices.Sorted(maps.Keys(c.Consents)) {
		k := c.Consents[recipient]
		consent := map[string]any{"recipient": recipient, "given_on": calendar.DateOf(k.GivenAt).String()}
		if k.WithdrawnAt != nil {
			consent["withdrawn_on"] = calendar.DateOf(*k.WithdrawnAt).String()
		}
		consents = append(consents, consent)
	}
	if consents != nil {
		held["consents"] = consents
	}
	if c.ClosedAt != nil {
		held["closed_on"], held["closure_reason"] = calendar.DateOf(*c.ClosedAt).String(), c.ClosureReason
	}
	if s3 := c.Stage3; s3 != nil {
		ombudsman := map[string]any{"lgo_reference": s3.Referral.LGOReference, "referred_on": calendar.DateOf(s3.Referral.ReferredAt).String()}
		if d := s3.Decision; d != nil {
			ombudsman["decision"], ombudsman["decided_on"], ombudsman["decision_summary"] = string(d.Outcome), d.DecidedOn.String(), d.Summary
		}
		held["ombudsman"] = ombudsman
	}
	return held
}
