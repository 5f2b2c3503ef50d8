package app

import (
	"slices"
	"strings"

	"casework.dev/pkg/notice"
	"casework.dev/services/investigations/internal/domain"
)

// audience narrows a disclosure to the people it may be about, beyond the roles the notice
// lists. On consent, to the people who gave it: people, when its data goes on their
// consent, and special, when its special category items go on their explicit consent; a
// nil map limits nothing. To the person investigated, subject is that one person: the
// others in the subject role are anyone else to them, of whom they hear nothing.
type audience struct {
	people, special map[string]bool
	subject         string
}

// consentOf is whose consent decision d rests on: a consent covers the data of the person
// who gave it, never that of the others in the case.
func consentOf(c *domain.Investigation, d notice.Decision) audience {
	var k audience
	personal := func(condition string) bool { return slices.Contains(domain.PersonalConditions, condition) }
	if slices.ContainsFunc(strings.Split(d.Condition, "+"), personal) {
		k.people = c.GivenBy(d.Recipient, domain.PersonalConditions...)
	}
	if slices.ContainsFunc(d.SpecialConditions, personal) {
		k.special = c.GivenBy(d.Recipient, "explicit_consent")
	}
	return k
}

// caseData is what a recipient receives under decision d: the case's values for the allowed
// categories, about the people d allows only. A person whose role the decision does not
// list goes nowhere, nor does any evidence or special category item linked to them (their
// own statement, photo or health): what they supplied could tell who they are. The notice
// decides the roles (the reporter only with their identity; the person investigated hears
// of no witness, victim or anyone else); k the people: on consent only those who gave it,
// and no item linked to no one, nor the matter unless everyone it is about gave it; to the
// person investigated, of those in the subject role only themselves. Erased items and empty
// values never go: c is the case as held (HeldOn), so nothing past its retention date does
// either.
func caseData(c *domain.Investigation, d notice.Decision, k audience) map[string]any {
	allowed := func(cat string) bool { return slices.Contains(d.Categories, cat) }
	withheld := func(p *domain.Person) bool {
		return p != nil && (!slices.Contains(d.People, string(p.Role)) || k.people != nil && !k.people[p.ID] ||
			k.subject != "" && p.Role == domain.RoleSubject && p.ID != k.subject)
	}
	hidden := func(personID string) bool { return withheld(c.Person(personID)) || k.people != nil && personID == "" }
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
	// On consent the matter goes only when everyone it is about gave it: it describes the
	// conduct investigated ("the individuals involved"), the data of the people in the
	// subject role (MatterAbout), so a reporter's or a witness's consent does not carry it.
	ownMatter := k.people == nil || !slices.ContainsFunc(c.MatterAbout(), func(id string) bool { return !k.people[id] })
	if allowed("nature_of_matter") && c.Matter.Summary != "" && ownMatter {
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
			if s.Category != cat || s.ErasedAt != nil || hidden(s.PersonID) || k.special != nil && !k.special[s.PersonID] {
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

// peopleIn names the people data carries: those listed, those an item (a statement, a
// health detail) is linked to, and, when the matter goes, the people it is about
// (MatterAbout): a disclosure of the matter alone (to central government, say) is theirs to
// be told of (UK GDPR Art 15(1)(c)) and its recipient theirs to tell of a correction or
// restriction (Art 19). To the person investigated the matter is about them alone, as they
// hear of no other subject (k.subject).
func peopleIn(c *domain.Investigation, k audience, data map[string]any) []string {
	var ids []string
	if _, ok := data["matter"]; ok {
		if ids = c.MatterAbout(); k.subject != "" {
			ids = []string{k.subject}
		}
	}
	for key, v := range data {
		items, _ := v.([]map[string]any)
		for _, item := range items {
			id, _ := item["person_id"].(string)
			if key == "people" {
				id, _ = item["id"].(string)
			}
			if id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids
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
