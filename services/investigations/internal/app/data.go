package app

import (
	"slices"

	"casework.dev/services/investigations/internal/domain"
)

// caseData is what a recipient receives: the case's values for the allowed categories
// only. The reporter, and every evidence or special category item linked to the reporter
// (their own statement, photo or health), goes only when reporter_identity is allowed as
// well: what they supplied could tell who reported. Erased items and empty values never go.
//
// The person investigated learns only about themselves: witnesses, victims and anyone else
// in the case, and what links to them, never go to the subject (toSubject).
func caseData(c *domain.Investigation, categories []string, toSubject bool) map[string]any {
	allowed := func(cat string) bool { return slices.Contains(categories, cat) }
	withheld := func(p *domain.Person) bool {
		if p == nil {
			return false
		}
		if toSubject && p.Role != domain.RoleSubject && p.Role != domain.RoleReporter {
			return true
		}
		return p.Role == domain.RoleReporter && !allowed("reporter_identity")
	}
	hidden := func(personID string) bool { return withheld(c.Person(personID)) }
	out := map[string]any{}
	var people []map[string]any
	for i := range c.People {
		p := &c.People[i]
		if withheld(p) {
			continue
		}
		person := map[string]any{}
		put := func(cat, key, value string) {
			if allowed(cat) && value != "" {
				person[key] = value
			}
		}
		put("name", "name", p.Name)
		put("address", "address", p.Address)
		put("town", "town", p.Town)
		put("phone", "phone", p.Phone)
		put("email", "email", p.Email)
		put("proof_of_identity", "proof_of_identity", p.ProofOfIdentity)
		put("vehicle_registration", "vehicle_registration", p.VehicleRegistration)
		put("age_or_date_of_birth", "date_of_birth", p.DateOfBirth)
		if len(person) == 0 {
			continue
		}
		person["id"], person["role"] = p.ID, string(p.Role)
		people = append(people, person)
	}
	if len(people) > 0 {
		out["people"] = people
	}
	if allowed("nature_of_matter") && c.Matter.Summary != "" {
		out["matter"] = map[string]any{"summary": c.Matter.Summary, "locations": nonNil(c.Matter.Locations),
			"dates": nonNil(c.Matter.Dates), "times": nonNil(c.Matter.Times)}
	}
	for _, cat := range []string{"witness_statements", "evidential_material", "cctv_footage"} {
		if !allowed(cat) {
			continue
		}
		var items []map[string]any
		for _, e := range c.Evidence {
			if e.Kind.Category() != cat || e.ErasedAt != nil || hidden(e.PersonID) {
				continue
			}
			item := map[string]any{"id": e.ID, "kind": string(e.Kind), "description": e.Description,
				"captured_at": e.CapturedAt, "used_as_evidence": e.UsedAsEvidence}
			if e.StorageRef != "" {
				item["storage_ref"] = e.StorageRef
			}
			if e.PersonID != "" {
				item["person_id"] = e.PersonID
			}
			items = append(items, item)
		}
		if len(items) > 0 {
			out[cat] = items
		}
	}
	for _, cat := range domain.SpecialCategories {
		if !allowed(cat) {
			continue
		}
		var items []map[string]any
		for _, s := range c.Special {
			if s.Category != cat || s.ErasedAt != nil || hidden(s.PersonID) {
				continue
			}
			item := map[string]any{"id": s.ID, "details": s.Details}
			if s.PersonID != "" {
				item["person_id"] = s.PersonID
			}
			items = append(items, item)
		}
		if len(items) > 0 {
			out[cat] = items
		}
	}
	if o := c.Outcome; allowed("conviction_outcome") && o != nil && o.Kind == domain.OutcomeConviction && o.Offence != "" {
		out["conviction"] = map[string]any{"offence": o.Offence, "court": o.Court, "date": o.Date, "sentence": o.Sentence}
	}
	return out
}

// publicationData is the outcome a publication decision needs: name, town, offence,
// court, date and sentence of the person convicted, each only when its category may go.
func publicationData(c *domain.Investigation, categories []string) map[string]any {
	out := map[string]any{}
	o := c.Outcome
	if o == nil || o.Kind != domain.OutcomeConviction {
		return out
	}
	p := c.Person(o.PersonID)
	if p != nil && slices.Contains(categories, "name") {
		out["name"] = p.Name
	}
	if p != nil && slices.Contains(categories, "town") {
		out["town"] = p.Town
	}
	if slices.Contains(categories, "conviction_outcome") {
		out["offence"], out["court"], out["date"], out["sentence"] = o.Offence, o.Court, o.Date, o.Sentence
	}
	return out
}
