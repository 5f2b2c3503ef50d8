package domain

import (
	"fmt"
	"strings"
	"time"

	"casework.dev/pkg/casework"
)

// A finding of necessity is the officer's recorded reason that the council's welfare team
// needs the debtor's data, health data included, to support them: the notice's
// recorded_necessity condition (UK GDPR Art 9(2)(g), DPA 2018 Sch 1 para 18). It is kept
// with the case, so the DPO can see who found it necessary, when and why; its words are
// personal data, erased with the debtor's, never on an event, in the audit trail or a log.
const (
	NecessityMinWords = 5
	NecessityMinChars = 20
	NecessityMaxChars = 2000
)

// NecessityFinding is one officer's recorded finding, tied to the disclosure it allowed.
type NecessityFinding struct {
	DisclosureID string
	// Debtor is whose data it found needed: the vulnerable debtor's position in the case's
	// names, from 1 (0 when not known).
	Debtor    int
	Recipient string
	FoundBy   string
	FoundAt   time.Time
	Reason    string
}

// CheckNecessity refuses a reason that is no finding: one of fewer than NecessityMinWords
// words or NecessityMinChars characters (white space only is neither), one longer than
// NecessityMaxChars, or text that is not clean. A reason it passes is kept exactly as sent,
// its spaces with it, and counted so.
func CheckNecessity(reason string) error {
	if err := CheckText("necessity", reason); err != nil {
		return err
	}
	n := Chars(reason)
	if Blank(reason) || n < NecessityMinChars || n > NecessityMaxChars || len(strings.Fields(reason)) < NecessityMinWords {
		return &casework.ValidationError{Field: "necessity", Detail: fmt.Sprintf(
			"say why the welfare team needs the data: at least %d words and %d characters, at most %d characters",
			NecessityMinWords, NecessityMinChars, NecessityMaxChars)}
	}
	return nil
}

// RecordNecessity keeps an officer's finding that recipient needs debtor's data (their
// position from 1), health data included, for the disclosure disclosureID. Health data goes
// on necessity only about a vulnerability the case records as that debtor's (flagged by an
// officer or reported by the client).
func (c *Case) RecordNecessity(disclosureID, recipient, reason string, debtor int, a Actor) error {
	if err := CheckNecessity(reason); err != nil {
		return err
	}
	if err := c.NecessityAllowed(debtor); err != nil {
		return err
	}
	c.NecessityFindings = append(c.NecessityFindings, NecessityFinding{DisclosureID: disclosureID, Debtor: debtor,
		Recipient: recipient, FoundBy: a.Officer, FoundAt: a.Now, Reason: reason})
	return nil
}

// NecessityAllowed refuses a finding of necessity about debtor (as WelfareDebtor gives it)
// on a case that records no vulnerability, or whose vulnerability does not say which debtor
// it concerns: the welfare team is given the vulnerable debtor's data only.
func (c *Case) NecessityAllowed(debtor int) error {
	switch {
	case len(c.Vulnerabilities) == 0:
		return &casework.RuleError{Rule: "no_vulnerability_recorded",
			Detail: c.Reference + " records no vulnerability: flag it before the welfare team is given health data on a finding of necessity"}
	case debtor <= 0 || c.VulnerabilityOf(debtor-1) == nil:
		return &casework.RuleError{Rule: "vulnerable_debtor_not_named",
			Detail: c.Reference + " records a vulnerability without naming the debtor it concerns: flag it again naming them before the welfare team is given their data"}
	}
	return nil
}

// WelfareDebtor is whose data the council's welfare team is given (a position from 1): the
// debtor asked for (n from 1), who must have a vulnerability recorded on the case; with none
// asked for, the only vulnerable debtor. 0 when the case records no vulnerability, or only
// one whose debtor is not known (NecessityAllowed refuses a finding on either). When more
// than one debtor's vulnerability is recorded, one must be asked for.
func (c *Case) WelfareDebtor(n int) (int, error) {
	if n != 0 {
		if c.VulnerabilityOf(n-1) == nil {
			return 0, &casework.RuleError{Rule: "no_vulnerability_recorded", Detail: fmt.Sprintf(
				"%s records no vulnerability of debtor %d: the welfare team is given a vulnerable debtor's data only", c.Reference, n)}
		}
		return n, nil
	}
	switch len(c.Vulnerabilities) {
	case 0:
		return 0, nil
	case 1:
		return c.Vulnerabilities[0].Debtor, nil
	}
	var vulnerable []int
	for _, v := range c.VulnerabilitiesByDebtor() {
		if v.Debtor > 0 {
			vulnerable = append(vulnerable, v.Debtor)
		}
	}
	return 0, &casework.ValidationError{Field: "debtor", Detail: fmt.Sprintf(
		"name the debtor whose data the welfare team is given: debtors %s have a vulnerability recorded", positions(vulnerable))}
}
