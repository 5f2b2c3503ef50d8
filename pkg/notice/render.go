package notice

import (
	"fmt"
	"strings"
)

// Render writes the notice as a human-readable privacy notice in Markdown,
// from the same data the service enforces.
func (n *Notice) Render() string {
	var b strings.Builder
	title := n.Title
	if title == "" {
		title = n.Service
	}
	fmt.Fprintf(&b, "# Privacy notice: %s\n\nVersion %s.\n\n", title, n.Version)
	n.renderWhoWeAre(&b)
	n.renderCollected(&b)
	n.renderPurposes(&b)
	n.renderRecipients(&b)
	n.renderRetention(&b)
	n.renderRights(&b)
	if len(n.Notes) > 0 {
		b.WriteString("## Other things you should know\n\n")
		for _, note := range n.Notes {
			fmt.Fprintf(&b, "- %s\n", note)
		}
		b.WriteString("\n")
	}
	n.renderContacts(&b)
	return b.String()
}

func (n *Notice) renderWhoWeAre(b *strings.Builder) {
	c := n.Controller
	b.WriteString("## Who we are\n\n")
	fmt.Fprintf(b, "%s is the data controller for this information", c.Name)
	if c.Address != "" {
		fmt.Fprintf(b, " (%s)", c.Address)
	}
	fmt.Fprintf(b, ". Our registration number with the Information Commissioner is %s.\n\n", c.ICORegistration)
}

func (n *Notice) renderCollected(b *strings.Builder) {
	b.WriteString("## What we collect\n\n")
	if len(n.CollectedFrom) > 0 {
		b.WriteString("We collect it when you:\n\n")
		for _, w := range n.CollectedFrom {
			fmt.Fprintf(b, "- %s\n", w)
		}
		b.WriteString("\nWe hold:\n\n")
	}
	for _, c := range n.Categories {
		switch c.Kind {
		case KindSpecial:
			fmt.Fprintf(b, "- %s (special category data, given extra protection)\n", c.Label)
		case KindCriminalOffence:
			fmt.Fprintf(b, "- %s (criminal offence data, given extra protection)\n", c.Label)
		default:
			fmt.Fprintf(b, "- %s\n", c.Label)
		}
	}
	b.WriteString("\n")
}

func (n *Notice) renderPurposes(b *strings.Builder) {
	b.WriteString("## Why we use it and our lawful basis\n\n")
	for _, p := range n.Purposes {
		fmt.Fprintf(b, "### %s\n\n%s", upperFirst(p.Label), p.Words)
		if p.OnlyOn != "" {
			fmt.Fprintf(b, " We use it for this only %s.", n.occasions[p.OnlyOn].Label)
		}
		if !p.Lasts.IsZero() {
			fmt.Fprintf(b, " This lasts no longer than %s.", p.Lasts.Words())
		}
		fmt.Fprintf(b, "\n\nLawful basis: %s.", lawfulBases[p.Basis])
		if len(p.Legislation) > 0 {
			fmt.Fprintf(b, " Legislation: %s.", strings.Join(p.Legislation, "; "))
		}
		b.WriteString("\n\n")
	}
}

// renderRecipients states each recipient's grants, limits and withholdings in
// words built from the same fields Decide reads, one promise per line, so that
// what the notice says and what the engine allows can be compared (see
// render_promises_test.go).
func (n *Notice) renderRecipients(b *strings.Builder) {
	b.WriteString("## Who we share it with, and when\n\n")
	if len(n.Recipients) == 0 {
		b.WriteString("We do not share this information with anyone.\n\n")
		return
	}
	for _, c := range n.Categories {
		if len(c.Identifies) > 0 {
			fmt.Fprintf(b, "Information about %s, including anything they gave us, goes only to a recipient that may receive %s.\n\n",
				joinWords(labelsOf(c.Identifies, n.people), "and"), c.Label)
		}
	}
	for _, r := range n.Recipients {
		fmt.Fprintf(b, "### %s\n\n", upperFirst(r.Name))
		if r.Description != "" {
			fmt.Fprintf(b, "%s\n\n", r.Description)
		}
		for _, g := range r.Rules {
			fmt.Fprintf(b, "- %s\n", n.grantWords(g))
		}
		if len(r.OnlyAbout) > 0 {
			fmt.Fprintf(b, "- They receive information only about %s.\n", joinWords(labelsOf(r.OnlyAbout, n.people), "and"))
		}
		for _, w := range r.Withhold {
			fmt.Fprintf(b, "- Never, when %s: %s.\n", n.facts[w.When], strings.Join(n.categoryLabels(w.Categories), "; "))
		}
		b.WriteString("\n")
	}
}

// grantWords describes one grant in a sentence. Each limit the engine applies
// is stated, and limits that must all hold are joined with "and".
func (n *Notice) grantWords(g Grant) string {
	var purposes, ordinary, special []string
	for _, p := range g.Purposes {
		purposes = append(purposes, n.purposes[p].Label)
	}
	for _, c := range g.Categories {
		if n.categories[c].Special() {
			special = append(special, n.categories[c].Label)
		} else {
			ordinary = append(ordinary, n.categories[c].Label)
		}
	}
	var s strings.Builder
	fmt.Fprintf(&s, "For %s", strings.Join(purposes, " and for "))
	var limits []string
	if len(g.CaseTypes) > 0 {
		limits = append(limits, "only "+joinWords(labelsOf(g.CaseTypes, n.caseTypes), "or")+" cases")
	}
	if len(g.Scopes) > 0 {
		scope := "only " + joinWords(labelsOf(g.Scopes, n.scopes), "or") + " data"
		if len(limits) > 0 {
			scope = "and of those " + scope
		}
		limits = append(limits, scope)
	}
	if len(limits) > 0 {
		fmt.Fprintf(&s, " (%s)", strings.Join(limits, ", "))
	}
	fmt.Fprintf(&s, ", only with %s", n.ConditionWords(g.Condition))
	if g.RecordRequired {
		s.WriteString(", recorded for the case")
	}
	if o := n.occasionOf(g); o != "" {
		fmt.Fprintf(&s, ", and only %s", n.occasions[o].Label)
	}
	if len(ordinary) > 0 {
		fmt.Fprintf(&s, ": %s", strings.Join(ordinary, "; "))
	}
	s.WriteString(".")
	if len(special) > 0 {
		fmt.Fprintf(&s, " %s only with %s as well.", upperFirst(strings.Join(special, "; ")), n.ConditionWords(g.SpecialCondition))
	}
	return s.String()
}

// occasionOf is the occasion a grant goes on alone, set by the grant or by its
// purposes (the loader allows only one); empty when none.
func (n *Notice) occasionOf(g Grant) string {
	if g.OnlyOn != "" {
		return g.OnlyOn
	}
	for _, p := range g.Purposes {
		if o := n.purposes[p].OnlyOn; o != "" {
			return o
		}
	}
	return ""
}

func labelsOf(ids []string, words map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = words[id]
	}
	return out
}

func (n *Notice) categoryLabels(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = n.categories[id].Label
	}
	return out
}

func (n *Notice) renderRetention(b *strings.Builder) {
	b.WriteString("## How long we keep it\n\n")
	for _, r := range n.Retention {
		if r.Words == "" {
			fmt.Fprintf(b, "- %s\n", n.ruleWords(r))
		} else {
			fmt.Fprintf(b, "- %s (%s)\n", r.Words, r.summary())
		}
	}
	b.WriteString("\n")
	if s := n.Statistics; s != nil {
		b.WriteString("## Statistics\n\n")
		if s.Words != "" {
			fmt.Fprintf(b, "%s\n\n", s.Words)
		}
		if s.AnonymousOnly {
			b.WriteString("We publish statistics only in a form that identifies no one.")
		}
		if s.SuppressBelow > 0 {
			fmt.Fprintf(b, " We do not publish any count smaller than %d.", s.SuppressBelow)
		}
		b.WriteString("\n\n")
	}
}

func (n *Notice) renderRights(b *strings.Builder) {
	b.WriteString("## Your rights\n\n")
	for _, r := range n.Rights {
		fmt.Fprintf(b, "- %s\n", r.Words)
	}
	b.WriteString("\n")
	if len(n.ErasureMayBeRefusedFor) > 0 {
		b.WriteString("We may refuse to erase information, and will tell you why, when:\n\n")
		for _, r := range n.ErasureMayBeRefusedFor {
			fmt.Fprintf(b, "- %s\n", r.Words)
		}
		b.WriteString("\n")
	}
}

func (n *Notice) renderContacts(b *strings.Builder) {
	b.WriteString("## Contacting the Data Protection Officer\n\n")
	writeContact(b, n.Controller.DPO)
	b.WriteString("## Complaining to the Information Commissioner\n\n")
	b.WriteString("If you are unhappy with how we have used your information, you can complain to:\n\n")
	writeContact(b, n.SupervisoryAuthority)
}

func writeContact(b *strings.Builder, c Contact) {
	for _, line := range []struct{ label, value string }{
		{"", c.Name}, {"Address: ", c.Address}, {"Phone: ", c.Phone}, {"Email: ", c.Email}, {"Website: ", c.Website},
	} {
		if line.value != "" {
			fmt.Fprintf(b, "- %s%s\n", line.label, line.value)
		}
	}
	b.WriteString("\n")
}
