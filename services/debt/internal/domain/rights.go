package domain

import (
	"fmt"
	"slices"

	"casework.dev/pkg/casework"
)

// Data subject rights on a case (UK GDPR Art 16 and 17), asked by the council's rights
// service. A case may name up to four jointly liable debtors: each is a data subject of
// their own, so a request names one of them by their position in the case's names (from 0).

// ErasureRefusal is why the case's personal data may not be erased on request now, or nil:
// a legal hold, or a debt still being enforced. Both are the notice's legal_claims: an open
// case is the council's claim to the debt itself, not a public task.
func (c *Case) ErasureRefusal() error {
	if c.LegalHold == nil && !c.Closed() {
		return &casework.ErasureRefusedError{Ground: casework.GroundLegalClaims,
			Fact: fmt.Sprintf("%s is still being enforced (%s stage)", c.Reference, c.Stage)}
	}
	return casework.ErasureRefusal(c.Reference, c.LegalHold != nil, "")
}

// EraseDebtor erases debtor n's personal data at their request, unless the notice's ground
// to refuse applies. When no other debtor's name remains, all the case's personal data goes,
// as retention erases it; one of joint debtors loses their name only (blanked, so the others
// keep their positions), as the address and contact details are the others' too. Already
// erased reports false: a repeated request changes nothing.
func (c *Case) EraseDebtor(n int, a Actor) (Event, bool, error) {
	if c.Erased() || n < 0 || n >= len(c.Debtor.Names) || c.Debtor.Names[n] == "" {
		return Event{}, false, nil
	}
	if err := c.ErasureRefusal(); err != nil {
		return Event{}, false, err
	}
	others := slices.Delete(slices.Clone(c.Debtor.Names), n, n+1)
	if slices.ContainsFunc(others, func(name string) bool { return name != "" }) {
		c.Debtor.Names = slices.Clone(c.Debtor.Names)
		c.Debtor.Names[n] = ""
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
	changed, err := casework.Rectify(details, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	c.Debtor.Names = names
	return Event{Type: "rights.rectified", Detail: map[string]any{"field": field}}, true, nil
}
