package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Export gives a person their own entry and what they supplied or what concerns them; the
// other people in the case, and what they supplied, are left out and said to be. It is
// what the case holds now: nothing whose retention has ended, swept yet or not. The read
// is audited on the case's trail; the disclosures come from Disclosures.
func (r *Rights) Export(ctx context.Context, requestID, recordID string) (rights.Record, bool, error) {
	stored, p, err := r.person(ctx, recordID)
	if errors.Is(err, domain.ErrNotFound) {
		return rights.Record{}, false, nil // not a record of this service: nothing held
	}
	if err != nil {
		return rights.Record{}, false, err
	}
	if err := r.auditRead(ctx, requestID, stored.ID); err != nil {
		return rights.Record{}, false, err
	}
	c := stored.HeldOn(r.svc.Now(), rightsdata.Email)
	p = *c.Person(p.ID)
	return rights.Record{RecordID: recordID, Kind: string(domain.Kind), Reference: c.Reference, Role: string(p.Role),
		Provided: providedBy(c, p), Held: heldAbout(c, p), Redactions: redactionsFor(c, p), KeptUntil: c.Retention.Due}, true, nil
}

// providedBy is what the person gave: their own details, the report if they made it, and
// the e-mails they sent (from the address on their entry, or tied to them once it went).
func providedBy(c *domain.Investigation, p domain.Person) map[string]any {
	out := map[string]any{"name": p.Name, "address": p.Address, "town": p.Town, "phone": p.Phone, "email": p.Email,
		"date_of_birth": p.DateOfBirth, "vehicle_registration": p.VehicleRegistration, "proof_of_identity": p.ProofOfIdentity}
	maps.DeleteFunc(out, func(_ string, v any) bool { return v == "" })
	if p.Role == domain.RoleReporter && c.Matter.Summary != "" {
		out["report"] = map[string]any{"summary": c.Matter.Summary, "locations": c.Matter.Locations, "dates": c.Matter.Dates, "times": c.Matter.Times}
	}
	var emails []map[string]any
	for _, m := range c.Emails {
		if m.ErasedAt == nil && m.SentBy(p, rightsdata.Email) {
			emails = append(emails, map[string]any{"received_on": calendar.DateOf(m.ReceivedAt).String(), "subject": m.Subject, "body": m.Body})
		}
	}
	if emails != nil {
		out["emails"] = emails
	}
	return out
}

// heldAbout is the case as it concerns the person: its facts, their statements and items,
// special category data about them, and the enforcement steps that concern them.
func heldAbout(c *domain.Investigation, p domain.Person) map[string]any {
	held := map[string]any{"area": c.Area, "status": string(c.Status), "received_on": calendar.DateOf(c.ReceivedAt).String(), "role": string(p.Role)}
	if c.Erased() {
		held["erased_on"] = calendar.DateOf(*c.ErasedAt).String()
		return held
	}
	var evidence []map[string]any
	for _, e := range c.Evidence {
		if e.PersonID == p.ID && e.ErasedAt == nil {
			evidence = append(evidence, map[string]any{"kind": string(e.Kind), "description": e.Description,
				"captured_on": calendar.DateOf(e.CapturedAt).String()})
		}
	}
	if evidence != nil {
		held["evidence"] = evidence
	}
	var special []map[string]any
	for _, s := range c.Special {
		if s.PersonID == p.ID && s.ErasedAt == nil {
			special = append(special, map[string]any{"category": s.Category, "details": s.Details})
		}
	}
	if special != nil {
		held["special_category"] = special
	}
	var actions []map[string]any
	for _, a := range c.Actions {
		if !actionConcerns(a, p) {
			continue
		}
		action := map[string]any{"kind": a.Kind, "on": calendar.DateOf(a.At).String()}
		if a.ComplyBy != "" {
			action["comply_by"] = a.ComplyBy
		}
		actions = append(actions, action)
	}
	if actions != nil {
		held["enforcement"] = actions
	}
	if o := c.Outcome; o != nil && o.PersonID == p.ID {
		held["outcome"] = map[string]any{"kind": string(o.Kind), "offence": o.Offence, "court": o.Court, "date": o.Date, "sentence": o.Sentence}
	}
	return held
}

// actionConcerns: an enforcement step addressed to the person concerns them, whatever their
// role (a seizure from an owner); one addressed to no one concerns the people investigated. A step addressed to another person (a warning
// to another subject) is theirs.
func actionConcerns(a domain.EnforcementAction, p domain.Person) bool {
	return a.PersonID == p.ID || (a.PersonID == "" && p.Role == domain.RoleSubject)
}

// redactionsFor says what about other people was left out.
func redactionsFor(c *domain.Investigation, p domain.Person) []string {
	out := []string{}
	var roles []string
	for _, o := range c.People {
		if o.ID != p.ID {
			roles = append(roles, string(o.Role))
		}
	}
	if len(roles) > 0 {
		out = append(out, fmt.Sprintf("the details of %d other people in the case (%s): other people's personal data", len(roles), strings.Join(roles, ", ")))
	}
	if p.Role != domain.RoleReporter && c.Matter.Summary != "" {
		out = append(out, "the report of the matter, supplied by the person who reported it")
	}
	others := 0
	for _, e := range c.Evidence {
		if e.PersonID != p.ID && e.ErasedAt == nil {
			others++
		}
	}
	for _, s := range c.Special {
		if s.PersonID != p.ID && s.ErasedAt == nil {
			others++
		}
	}
	for _, a := range c.Actions {
		if a.PersonID != "" && a.PersonID != p.ID {
			others++
		}
	}
	if others > 0 {
		out = append(out, fmt.Sprintf("%d statements, items or records supplied by or about other people", others))
	}
	return out
}
