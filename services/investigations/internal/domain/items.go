package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

func (c *Investigation) writable() error {
	if c.Erased() {
		return ErrErased
	}
	if c.Status == StatusClosed {
		return &casework.RuleError{Rule: "closed", Detail: fmt.Sprintf("%s is closed", c.Reference)}
	}
	return nil
}

// AddPerson records someone involved. The id is given by newID when empty.
func (c *Investigation) AddPerson(p Person, now time.Time, newID func() string) (Event, error) {
	if err := c.writable(); err != nil {
		return Event{}, err
	}
	if !slices.Contains(roles, p.Role) {
		return Event{}, &casework.ValidationError{Field: "role", Detail: fmt.Sprintf("must be one of %v", roles)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return Event{}, &casework.ValidationError{Field: "name", Detail: "a person needs a name"}
	}
	if err := checkBirth("date_of_birth", p.DateOfBirth, now); err != nil {
		return Event{}, err
	}
	p.ID = newID()
	c.People = append(c.People, p)
	return Event{Type: "person.added", Detail: map[string]any{"person_id": p.ID, "role": string(p.Role)}}, nil
}

// AddEvidence records a statement, document, photo or footage.
func (c *Investigation) AddEvidence(e EvidenceItem, now time.Time, newID func() string) (Event, error) {
	if err := c.writable(); err != nil {
		return Event{}, err
	}
	if e.Kind.Category() == "" {
		return Event{}, &casework.ValidationError{Field: "kind", Detail: "must be witness_statement, document, photo, cctv or body_worn_video"}
	}
	if Blank(e.Description) {
		return Event{}, &casework.ValidationError{Field: "description", Detail: "describe the item: it is required, and white space only says nothing"}
	}
	if e.CapturedAt.IsZero() {
		return Event{}, &casework.ValidationError{Field: "captured_at", Detail: "say when it was captured or made"}
	}
	if err := invalid("captured_at", calendar.Happened(e.CapturedAt, now, calendar.Limit{Date: calendar.Earliest})); err != nil {
		return Event{}, err
	}
	if e.PersonID != "" && c.Person(e.PersonID) == nil {
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "no such person on this investigation"}
	}
	e.ID, e.AddedAt, e.Retention, e.ErasedAt = newID(), now, Retention{}, nil
	c.Evidence = append(c.Evidence, e)
	return Event{Type: "evidence.added", Detail: map[string]any{"item_id": e.ID, "kind": string(e.Kind)}}, nil
}

// UseAsEvidence marks an item as relied on as evidence (footage then keeps 6 years). An
// item whose retention has ended is as good as erased, whether or not the sweep has run:
// marking it would keep what should be gone.
func (c *Investigation) UseAsEvidence(itemID string, now time.Time) (Event, error) {
	i := slices.IndexFunc(c.Evidence, func(e EvidenceItem) bool { return e.ID == itemID })
	if i < 0 {
		return Event{}, notFound("evidence item " + itemID)
	}
	if c.Erased() {
		return Event{}, ErrErased
	}
	e := &c.Evidence[i]
	if e.ErasedAt != nil {
		return Event{}, &casework.RuleError{Rule: "item_erased", Detail: "the item has been erased under the retention schedule"}
	}
	if c.ended(e.Retention, calendar.DateOf(now)) {
		return Event{}, &casework.RuleError{Rule: "item_erased", Detail: fmt.Sprintf(
			"the item's retention ended on %s: it is erased under the retention schedule", e.Retention.Due)}
	}
	e.UsedAsEvidence = true
	return Event{Type: "evidence.used", Detail: map[string]any{"item_id": e.ID}}, nil
}

// AddSpecial records one special category or criminal offence item, tagged with its category.
func (c *Investigation) AddSpecial(s SpecialItem, now time.Time, newID func() string) (Event, error) {
	if err := c.writable(); err != nil {
		return Event{}, err
	}
	if !slices.Contains(SpecialCategories, s.Category) {
		return Event{}, &casework.ValidationError{Field: "category", Detail: "must be one of " + strings.Join(SpecialCategories, ", ")}
	}
	if strings.TrimSpace(s.Details) == "" {
		return Event{}, &casework.ValidationError{Field: "details", Detail: "is empty"}
	}
	if s.PersonID != "" && c.Person(s.PersonID) == nil {
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "no such person on this investigation"}
	}
	s.ID, s.RecordedAt, s.ErasedAt = newID(), now, nil
	c.Special = append(c.Special, s)
	return Event{Type: "special.added", Detail: map[string]any{"item_id": s.ID, "category": s.Category}}, nil
}

// AddEmail records personal data received by e-mail.
func (c *Investigation) AddEmail(m Email, now time.Time, newID func() string) (Event, error) {
	if err := c.writable(); err != nil {
		return Event{}, err
	}
	if m.ReceivedAt.IsZero() {
		return Event{}, &casework.ValidationError{Field: "received_at", Detail: "say when the e-mail arrived"}
	}
	if err := invalid("received_at", calendar.Happened(m.ReceivedAt, now, calendar.Limit{Date: firstEmail})); err != nil {
		return Event{}, err
	}
	m.ID, m.Retention, m.ErasedAt = newID(), Retention{}, nil
	c.Emails = append(c.Emails, m)
	return Event{Type: "email.added", Detail: map[string]any{"item_id": m.ID}}, nil
}

// RecordCondition records a sharing condition for one recipient, e.g. a police request
// for the prevention of crime, or an officer's finding that disclosure is necessary.
func (c *Investigation) RecordCondition(k RecordedCondition) (Event, error) {
	if c.Erased() {
		return Event{}, ErrErased
	}
	if strings.TrimSpace(k.Reason) == "" {
		return Event{}, &casework.ValidationError{Field: "reason", Detail: "say why the condition holds"}
	}
	personal := slices.Contains(PersonalConditions, k.Condition)
	switch {
	case personal && k.PersonID == "":
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "is required: consent is given by a person, for data about them"}
	case personal && c.Person(k.PersonID) == nil:
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "is not a person on this investigation"}
	case !personal && k.PersonID != "":
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "is only for consent and explicit consent: " + k.Condition + " holds for the case"}
	}
	// A withdrawn consent may be given again: recorded anew, the withdrawn one kept.
	for _, had := range c.Conditions {
		if had.Recipient == k.Recipient && had.Condition == k.Condition && had.PersonID == k.PersonID && had.Standing() {
			return Event{}, &casework.RuleError{Rule: "condition_recorded", Detail: "that condition is already recorded for this recipient"}
		}
	}
	k.WithdrawnAt, k.WithdrawnBy = nil, ""
	c.Conditions = append(c.Conditions, k)
	return Event{Type: "condition.recorded", Recipient: k.Recipient, Detail: map[string]any{"recipient": k.Recipient, "condition": k.Condition}}, nil
}

// WithdrawCondition records, at now and by officer, that the person withdrew their consent
// or explicit consent to recipient (UK GDPR Art 7(3)): no later disclosure rests on it, while
// those made before stand in the disclosure log. Withdrawing consent withdraws their explicit
// consent to recipient too, as that is consent as well (ConditionsFor); withdrawing the
// explicit consent alone leaves plain consent standing. Any other condition holds for the
// case, by no one's consent, and is not withdrawn. The event names the person by id only.
func (c *Investigation) WithdrawCondition(recipient, condition, personID string, now time.Time, officer string) (Event, error) {
	if c.Erased() {
		return Event{}, ErrErased
	}
	if !slices.Contains(PersonalConditions, condition) {
		return Event{}, &casework.RuleError{Rule: "condition_not_consent", Detail: fmt.Sprintf(
			"%s is not a consent: it holds for the case, by no one's consent, so it cannot be withdrawn; only a consent or an explicit consent can",
			casework.Readable(condition))}
	}
	switch {
	case personID == "":
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "is required: a consent is a person's own; name the person withdrawing it"}
	case c.Person(personID) == nil:
		return Event{}, &casework.ValidationError{Field: "person_id", Detail: "is not a person on this investigation"}
	}
	covers := []string{condition}
	if condition == "consent" {
		covers = PersonalConditions
	}
	recorded, withdrawn := false, []string{}
	for i := range c.Conditions {
		k := &c.Conditions[i]
		if k.Recipient != recipient || k.PersonID != personID || !slices.Contains(covers, k.Condition) {
			continue
		}
		recorded = true
		if k.Standing() {
			at := now
			k.WithdrawnAt, k.WithdrawnBy = &at, officer
			if !slices.Contains(withdrawn, k.Condition) {
				withdrawn = append(withdrawn, k.Condition)
			}
		}
	}
	what := fmt.Sprintf("%s of person %s to share with %s", casework.Readable(condition), personID, recipient)
	switch {
	case !recorded:
		return Event{}, notFound(what)
	case len(withdrawn) == 0:
		return Event{}, &casework.RuleError{Rule: "no_consent", Detail: "no " + what + " stands: it is already withdrawn"}
	}
	return Event{Type: "condition.withdrawn", Recipient: recipient, Detail: map[string]any{"recipient": recipient, "condition": condition,
		"person_id": personID, "withdrawn": withdrawn}}, nil
}

// Assign adds an officer to the case.
func (c *Investigation) Assign(officer string) (Event, error) {
	if err := officerFault("officer", officer); err != nil {
		return Event{}, err
	}
	if slices.Contains(c.Assigned, officer) {
		return Event{}, &casework.RuleError{Rule: "already_assigned", Detail: "the officer is already assigned"}
	}
	c.Assigned = append(c.Assigned, officer)
	return Event{Type: "assigned", Detail: map[string]any{"officer": officer}}, nil
}

// officerFault refuses an officer's id that is empty or white space only, or that begins
// or ends with white space: it is matched against a token's subject as sent.
func officerFault(field, officer string) error {
	switch {
	case Blank(officer):
		return &casework.ValidationError{Field: field, Detail: "is empty"}
	case EdgeSpace(officer):
		return &casework.ValidationError{Field: field, Detail: EdgeSpaceDetail}
	}
	return nil
}

// ReferralSubject resolves the person a referral to the person investigated goes to: the
// one named, in the subject role, or the case's only subject. Each person investigated hears
// only about themselves (the notice's only_about), never about another subject, so with
// more than one the referral names its addressee.
func (c *Investigation) ReferralSubject(personID string) (string, error) {
	if personID == "" {
		switch subjects := c.withRoles(RoleSubject); len(subjects) {
		case 1:
			return subjects[0], nil
		case 0:
			return "", &casework.ValidationError{Field: "person_id", Detail: "is required: a referral to the person investigated goes to " +
				"a person in the subject role, and the case has none; add them first"}
		default:
			return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf("is required: the case has %d people in the subject role, "+
				"and each hears only about themselves; name the one the referral goes to", len(subjects))}
		}
	}
	switch p := c.Person(personID); {
	case p == nil:
		return "", &casework.ValidationError{Field: "person_id", Detail: "is not a person on this investigation"}
	case p.Role != RoleSubject:
		return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
			"must name a person in the subject role, the person investigated the referral goes to: person %s is in the %s role", p.ID, p.Role)}
	}
	return personID, nil
}

// Disclosed is the event of a referral; it names the recipient, never the data.
func (c *Investigation) Disclosed(recipient, purpose string, categories []string) Event {
	return Event{Type: "referral.disclosed", Recipient: recipient,
		Detail: map[string]any{"recipient": recipient, "purpose": purpose, "categories": categories}}
}
