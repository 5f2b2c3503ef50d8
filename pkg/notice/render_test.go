package notice

import (
	"strings"
	"testing"
)

func TestRenderSample(t *testing.T) {
	n := loadSample(t)
	out := n.Render()
	for _, want := range []string{
		"# Privacy notice: Community protection investigations",
		"Version 7.",
		"Example Borough Council is the data controller",
		"Z1234567",
		"- health information (special category data, given extra protection)",
		"- previous convictions (criminal offence data, given extra protection)",
		"Lawful basis: contract (UK GDPR Article 6(1)(b)).",
		"### Goodwin Pest Management",
		"- For carrying out pest control (only vermin and pest control cases), only with a contract with the data controller: name; address; phone number.",
		"### Kent Police",
		"Health information; previous convictions only with an officer's recorded finding that sharing it is necessary as well.",
		"### The Ombudsman",
		"### County Council",
		"- CCTV footage: kept for 30 days from the date it was recorded; if used as evidence, 6 years from the date it was recorded.",
		"- Address: kept for 7 years from the date we receive it.",
		"- Investigation records are kept for 7 years after the service ends. (7 years from the end of the service provided)",
		"the length of the sentence or 7 years, whichever is longer, from the end of the service provided",
		"- Nature of the matter: kept for 72 hours from the date we receive it.",
		"We do not publish any count smaller than 5.",
		"- it is needed for legal claims",
		"- Email: dpo@example.gov.uk",
		"## Complaining to the Information Commissioner",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered notice lacks %q", want)
		}
	}
	for _, r := range n.Recipients {
		if !strings.Contains(out, "### "+upperFirst(r.Name)+"\n") {
			t.Errorf("rendered notice lacks recipient %s", r.ID)
		}
	}
	for _, r := range n.Retention {
		words := r.Period.Words()
		if !strings.Contains(out, words) {
			t.Errorf("rendered notice lacks period %s of rule %s", words, r.ID)
		}
	}
}
