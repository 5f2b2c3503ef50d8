package domain

import (
	"fmt"
	"slices"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Data subject rights on a case (UK GDPR Art 16 and 17), asked by the council's rights
// service. A case may name up to four jointly liable debtors: each is a data subject of
// their own, so a request names one of them by their position in the case's names (from 0).

// Erasure grounds of the notice's erasure_may_be_refused_for this service refuses on
// beyond the platform's: the retention schedule is a legal obligation.
const GroundLegalObligation = "legal_obligation"

// ErasureRefusal is why the case's personal data may not be erased on request on today, or
// nil. While the debt is the council's claim the ground is the notice's legal_claims: a
// legal hold, a debt still being enforced, or a closed case with debt or fees unpaid (the
// client's claim to it stands). A closed case with nothing owed is kept until its
// retention_due under the retention schedule (6+1 years): legal_obligation. From that day
// nothing but a legal hold keeps it, as the retention sweep erases it then anyway (and the
// six-year limitation period for the debt has run).
func (c *Case) ErasureRefusal(today calendar.Date) error {
	if c.LegalHold != nil {
		return casework.ErasureRefusal(c.Reference, true, "")
	}
	if !c.Closed() {
		return &casework.ErasureRefusedError{Ground: casework.GroundLegalClaims,
			Fact: fmt.Sprintf("%s is still being enforced (%s stage)", c.Reference, c.Stage)}
	}
	if !c.RetentionDue.IsZero() && !today.Before(c.RetentionDue) {
		return nil
	}
	if c.DebtOutstanding()+c.FeesOutstanding() > 0 {
		return &casework.ErasureRefusedError{Ground: casework.GroundLegalClaims,
			Fact: fmt.Sprintf("%s was returned to the client with debt or fees unpaid", c.Reference)}
	}
	if c.RetentionDue.IsZero() {
		return &casework.ErasureRefusedError{Ground: GroundLegalObligation,
			Fact: fmt.Sprintf("%s is kept for 6+1 years: the year it closed in and six more", c.Reference)}
	}
	return &casework.ErasureRefusedError{Ground: GroundLegalObligation,
		Fact: fmt.Sprintf("%s is kept until %s under the retention schedule", c.Reference, c.RetentionDue)}
}

// EraseDebtor erases debtor n's personal data at their request, unless the notice's ground
// to refuse applies. When no other debtor's name remains, all the case's personal data goes,
// as retention erases it; one of joint debtors loses their name (blanked, so the others keep
// their positions) and what is theirs alone: their vulnerability (its flag, review and
// nature), the client's report of one as theirs, the officers' findings that the welfare
// team needed their data, and their consents. The other debtors' vulnerabilities and
// consents stay as they are (one whose debtor is not known too: it is no one's). The
// address and contact details are the others' too, and stay. Already erased reports false:
// a repeated request changes nothing.
func (c *Case) EraseDebtor(n int, a Actor) (Event, bool, error) {
	if c.Erased() || n < 0 || n >= len(c.Debtor.Names) || c.Debtor.Names[n] == "" {
		return Event{}, false, nil
	}
	if err := c.ErasureRefusal(calendar.DateOf(a.Now)); err != nil {
		return Event{}, false, err
	}
	others := slices.Delete(slices.Clone(c.Debtor.Names), n, n+1)
	if slices.ContainsFunc(others, func(name string) bool { return name != "" }) {
		c.Debtor.Names = slices.Clone(c.Debtor.Names)
		c.Debtor.Names[n] = ""
		c.Vulnerabilities = slices.DeleteFunc(slices.Clone(c.Vulnerabilities), func(v Vulnerability) bool { return v.Debtor == n+1 })
		if c.Debtor.ReportedVulnerableDebtor == n+1 {
			c.Debtor.ReportedVulnerability = ""
		}
		c.NecessityFindings = slices.DeleteFunc(slices.Clone(c.NecessityFindings), func(f NecessityFinding) bool { return f.Debtor == n+1 })
		c.Consents = slices.DeleteFunc(slices.Clone(c.Consents), func(k Consent) bool { return k.Debtor == n+1 })
		return Event{Type: "rights.debtor_erased", Detail: map[string]any{"debtor": n + 1}}, true, nil
	}
	c.erasePersonalData(a)
	return Event{Type: "rights.erased"}, true, nil
}

// Rectify corrects one detail of debtor n's data: their name, or the case's address, phone
// or email (shared by joint debtors). n < 0 names no one debtor, so no name may be
// corrected. The case is enforced at an address and against a name, so neither may be
// blanked. A corrected value passes the rules a referral's does (text, a name's length), so
// a rectification never stores what debt itself refuses; one that does not is a
// *casework.ValidationError, which the rights service is told as the record's refusal
// (invalid_value). It reports false when the value is already the one held, so a repeated
// request changes nothing.
func (c *Case) Rectify(n int, field, value string) (Event, bool, error) {
	if c.Erased() {
		return Event{}, false, ErrErased
	}
	text := func(v string) error { return CheckText(field, v) }
	required := func(v string) error {
		if v == "" {
			return &casework.ValidationError{Field: field, Detail: "is required to enforce the debt"}
		}
		return text(v)
	}
	name := func(v string) error {
		if err := required(v); err != nil {
			return err
		}
		if fault := nameLengthFault(v); fault != "" {
			return &casework.ValidationError{Field: field, Detail: fault}
		}
		return nil
	}
	names := slices.Clone(c.Debtor.Names)
	details := []casework.Detail{{Name: "address", Value: &c.Debtor.Address, Check: required},
		{Name: "phone", Value: &c.Debtor.Phone, Check: text}, {Name: "email", Value: &c.Debtor.Email, Check: text}}
	if n >= 0 && n < len(names) && names[n] != "" {
		details = append([]casework.Detail{{Name: "name", Value: &names[n], Check: name}}, details...)
	}
	// casework.Rectify trims the value it stores: one with white space at an end would be
	// stored otherwise than sent, so it is refused here instead.
	if EdgeSpace(value) && slices.ContainsFunc(details, func(d casework.Detail) bool { return d.Name == field }) {
		return Event{}, false, &casework.ValidationError{Field: field, Detail: "begins or ends with white space: send it without, as it is stored exactly as sent"}
	}
	changed, err := casework.Rectify(details, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	c.Debtor.Names = names
	return Event{Type: "rights.rectified", Detail: map[string]any{"field": field}}, true, nil
}
