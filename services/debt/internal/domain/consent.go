package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/casework"
)

// Consent is one debtor's consent to share with one recipient. A consent covers only the
// person who gave it (UK GDPR Art 6(1)(a) and 7): on a joint case one debtor's consent
// releases their data, never another debtor's.
type Consent struct {
	// Debtor is who gave it: a position in the case's names from 1. 0 when not known: a
	// consent recorded on a joint case before a consent had to name its debtor (migration
	// 00010). It is no one's, so nothing is shared on it; the debtor who gave it records it
	// again.
	Debtor      int
	Recipient   string
	GivenAt     time.Time
	RecordedBy  string
	WithdrawnAt *time.Time
}

// Stands reports whether the consent was not withdrawn.
func (k Consent) Stands() bool { return k.WithdrawnAt == nil }

// HasConsent reports whether debtor's own consent (a position from 1) to recipient stands.
func (c *Case) HasConsent(debtor int, recipient string) bool {
	i := c.consentIndex(debtor, recipient)
	return debtor > 0 && i >= 0 && c.Consents[i].Stands()
}

// ConsentingDebtors are the positions (from 1, in order) of the debtors whose consent to
// recipient stands and whose data the case still holds: a disclosure resting on consent
// carries theirs alone.
func (c *Case) ConsentingDebtors(recipient string) []int {
	var out []int
	for n, name := range c.Debtor.Names {
		if name != "" && c.HasConsent(n+1, recipient) {
			out = append(out, n+1)
		}
	}
	return out
}

// ConsentsOf are debtor's consents (a position from 1), withdrawn ones too, by recipient.
func (c *Case) ConsentsOf(debtor int) []Consent {
	var out []Consent
	for _, k := range c.Consents {
		if debtor > 0 && k.Debtor == debtor {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b Consent) int { return strings.Compare(a.Recipient, b.Recipient) })
	return out
}

// StandingConsents are the consents in force, by debtor (one whose debtor is not known
// first) and recipient.
func (c *Case) StandingConsents() []Consent {
	out := slices.DeleteFunc(slices.Clone(c.Consents), func(k Consent) bool { return !k.Stands() })
	slices.SortFunc(out, func(a, b Consent) int {
		return cmp.Or(cmp.Compare(a.Debtor, b.Debtor), strings.Compare(a.Recipient, b.Recipient))
	})
	return out
}

// RecordConsent records debtor's consent (a position in the case's names from 1) to share
// with recipient. A case of one debtor may leave debtor 0: it is theirs; a joint case must
// say who gave it. A consent given again after it was withdrawn replaces the withdrawn one.
func (c *Case) RecordConsent(debtor int, recipient string, a Actor) (Event, error) {
	if c.Erased() {
		return Event{}, ErrErased
	}
	debtor, err := c.debtorNamed(debtor, "who gives the consent")
	if err != nil {
		return Event{}, err
	}
	if c.HasConsent(debtor, recipient) {
		return Event{}, &casework.RuleError{Rule: "consent_exists", Detail: fmt.Sprintf("debtor %d's consent to %s is already recorded", debtor, recipient)}
	}
	k := Consent{Debtor: debtor, Recipient: recipient, GivenAt: a.Now, RecordedBy: a.Officer}
	c.Consents = slices.Clone(c.Consents)
	if i := c.consentIndex(debtor, recipient); i >= 0 {
		c.Consents[i] = k
	} else {
		c.Consents = append(c.Consents, k)
	}
	return Event{Type: "consent.recorded", Detail: map[string]any{"recipient": recipient, "debtor": debtor}}, nil
}

// WithdrawConsent records that debtor (as RecordConsent names them) withdrew consent to
// recipient (an opt-out of marketing, or no more debt advice referrals): nothing of theirs
// goes to it on that consent again until they give it anew. Another debtor's consent stands.
func (c *Case) WithdrawConsent(debtor int, recipient string, a Actor) (Event, error) {
	if c.Erased() {
		return Event{}, ErrErased
	}
	debtor, err := c.debtorNamed(debtor, "who withdraws the consent")
	if err != nil {
		return Event{}, err
	}
	if !c.endConsents(debtor, recipient, a.Now) {
		return Event{}, &casework.RuleError{Rule: "no_consent", Detail: fmt.Sprintf("no consent of debtor %d to %s is recorded", debtor, recipient)}
	}
	return Event{Type: "consent.withdrawn", Detail: map[string]any{"recipient": recipient, "debtor": debtor}}, nil
}

// ObjectToMarketing ends, at debtor n's objection (n from 0, as Debtor.Names; -1 for the
// case's debtors as a whole), every consent of theirs in force to a recipient that receives
// data only for direct marketing (UK GDPR Art 21(2)-(3)); another debtor's consent stands,
// and the debt's recovery, which the law requires, goes on. changed is false when no such
// consent was in force (nothing of theirs is used for marketing), as for an erased case.
func (c *Case) ObjectToMarketing(n int, marketingRecipients []string, a Actor) (e Event, changed bool, err error) {
	var ended []string
	for _, recipient := range marketingRecipients {
		if c.endConsents(max(n+1, 0), recipient, a.Now) {
			ended = append(ended, recipient)
		}
	}
	if len(ended) == 0 {
		return Event{}, false, nil
	}
	return Event{Type: "marketing.objected", Detail: map[string]any{"recipients": ended}}, true, nil
}

// endConsents withdraws at at the consents to recipient in force that debtor (from 1; 0 for
// every debtor) may have given: their own, and one whose debtor is not known, as it may be
// theirs (it releases nothing, and a withdrawal can only stop processing). It reports
// whether any was in force.
func (c *Case) endConsents(debtor int, recipient string, at time.Time) bool {
	ended := false
	c.Consents = slices.Clone(c.Consents)
	for i, k := range c.Consents {
		if k.Recipient == recipient && k.Stands() && (debtor == 0 || k.Debtor == debtor || k.Debtor == 0) {
			c.Consents[i].WithdrawnAt = &at
			ended = true
		}
	}
	return ended
}

// consentIndex is the index of debtor's consent to recipient (debtor 0: the one whose
// debtor is not known), -1 when there is none.
func (c *Case) consentIndex(debtor int, recipient string) int {
	return slices.IndexFunc(c.Consents, func(k Consent) bool { return k.Debtor == debtor && k.Recipient == recipient })
}

// debtorNamed checks the debtor a request names (their position in the case's names from
// 1; 0 for none named) and returns it: the only debtor of a case of one when none is named.
// whom says what the debtor is named as, for the refusal.
func (c *Case) debtorNamed(n int, whom string) (int, error) {
	names := len(c.Debtor.Names)
	switch {
	case n == 0 && names == 1:
		return 1, nil
	case n == 0:
		return 0, &casework.ValidationError{Field: "debtor", Detail: fmt.Sprintf(
			"name the debtor %s: their position in the case's names, 1 to %d", whom, names)}
	case n < 0 || n > names || c.Debtor.Names[n-1] == "":
		return 0, &casework.ValidationError{Field: "debtor", Detail: fmt.Sprintf("the case names no debtor %d", n)}
	}
	return n, nil
}
