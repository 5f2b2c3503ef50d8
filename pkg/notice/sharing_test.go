package notice

import (
	"os"
	"reflect"
	"slices"
	"testing"
)

// testdata/sharing.yaml exercises occasions, facts, people, only_about,
// identifies and withhold.
func loadSharing(t *testing.T) *Notice {
	t.Helper()
	n, err := LoadFile("testdata/sharing.yaml")
	if err != nil {
		t.Fatalf("sharing notice should load: %v", err)
	}
	return n
}

func TestLoadRejectsMalformedSharingRules(t *testing.T) {
	data, err := os.ReadFile("testdata/sharing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checkRejects(t, string(data), []malformed{
		{"unknown occasion of a purpose", "    only_on: conviction\n", "    only_on: sentencing\n",
			"purposes.publication.only_on", `unknown occasion "sentencing"`},
		{"unknown occasion of a rule", "only_on: enquiry_response", "only_on: enquiry",
			"recipients.ombudsman.rules[0].only_on", `unknown occasion "enquiry"`},
		{"occasion without refusal", "    refusal: A publication decision is made only when a conviction is recorded.\n", "",
			"occasions.conviction.refusal", "is missing"},
		{"occasion without label", "    label: with our response to an enquiry from the Ombudsman\n", "",
			"occasions.enquiry_response.label", "is missing"},
		{"rule on another occasion than its purpose", "      - purposes: [publication]\n", "      - purposes: [publication]\n        only_on: enquiry_response\n",
			"recipients.publisher.rules[0].only_on", `the rule's purposes go only on "conviction", so it could never apply on "enquiry_response"`},
		{"rule mixing purposes of different occasions", "      - purposes: [publication]\n", "      - purposes: [publication, investigation]\n",
			"recipients.publisher.rules[0].purposes[1]", `purpose "investigation" is not limited to the same occasion as "publication"`},
		{"fact without words", "  anonymity_requested: the reporter asked not to be identified to the person investigated\n", "  anonymity_requested: \"\"\n",
			"facts.anonymity_requested", "is missing"},
		{"withholding on an unknown fact", "when: anonymity_requested", "when: anonymous",
			"recipients.subject.withhold[0].when", `unknown fact "anonymous"`},
		{"withholding an unknown category", "        categories: [reporter_identity]\n        refusal:", "        categories: [reporter]\n        refusal:",
			"recipients.subject.withhold[0].categories[0]", `unknown category "reporter"`},
		{"withholding without words", "        words: The reporter asked not to be identified, so who reported is withheld.\n", "",
			"recipients.subject.withhold[0].words", "is missing"},
		{"withholding without refusal", "        refusal: the reporter asked not to be identified to them\n", "",
			"recipients.subject.withhold[0].refusal", "is missing"},
		{"recipient about an unknown person", "only_about: [subject, reporter]", "only_about: [subject, complainant]",
			"recipients.subject.only_about[1]", `unknown person "complainant"`},
		{"category identifying an unknown person", "identifies: [reporter]", "identifies: [informant]",
			"categories.reporter_identity.identifies[0]", `unknown person "informant"`},
		{"person identified by two categories", "fields: [person_name]}", "fields: [person_name], identifies: [reporter]}",
			"categories.reporter_identity.identifies[0]", `"reporter" is already identified by category "name"`},
		{"duplicate person", "{id: witness, label: witnesses}", "{id: reporter, label: witnesses}",
			"people[2].id", `duplicate id "reporter"`},
	})
}

func TestDecideSharingRules(t *testing.T) {
	n := loadSharing(t)
	tests := []struct {
		name                 string
		req                  Request
		allowed              bool
		categories, withheld []string
		people               []string
		rule, reason         string
	}{
		{name: "contractor limited by case type and scope: both hold",
			req:     Request{Recipient: "dog-warden", Purpose: "investigation", CaseType: "dogs", Scope: "stray"},
			allowed: true, categories: []string{"name", "nature", "phone", "reporter_identity"}, people: []string{"reporter", "subject", "witness"},
			reason: "Stray dog data may be shared with Dog Warden Ltd for investigating the matter reported on the basis of a contract with the data controller: name, who reported the matter, phone number, nature of the matter."},
		{name: "contractor limited by case type and scope: the case type alone is not enough",
			req:    Request{Recipient: "dog-warden", Purpose: "investigation", CaseType: "dogs", Scope: "dangerous"},
			reason: "Dog Warden Ltd receives only stray dog data for investigating the matter reported, not dangerous dog data."},
		{name: "contractor limited by case type and scope: the scope alone is not enough",
			req:    Request{Recipient: "dog-warden", Purpose: "investigation", CaseType: "noise", Scope: "stray"},
			reason: "Dog Warden Ltd receives only dog cases, not noise cases."},
		{name: "the person investigated hears only about themselves",
			req:     Request{Recipient: "subject", Purpose: "investigation"},
			allowed: true, categories: []string{"name", "nature"}, people: []string{"subject"},
			reason: "Data for investigating the matter reported may be shared with the person investigated on the basis of the data controller's public task: name, nature of the matter."},
		{name: "and about the reporter once the necessity is recorded",
			req:     Request{Recipient: "subject", Purpose: "investigation", Recorded: []string{"recorded_necessity"}},
			allowed: true, categories: []string{"name", "nature", "reporter_identity"}, people: []string{"reporter", "subject"},
			reason: "Data for investigating the matter reported may be shared with the person investigated on the basis of the data controller's public task and an officer's recorded finding that sharing it is necessary: name, nature of the matter, who reported the matter."},
		{name: "a recorded fact holds the reporter back whatever else is recorded",
			req:     Request{Recipient: "subject", Purpose: "investigation", Recorded: []string{"recorded_necessity"}, Facts: []string{"anonymity_requested", "unknown_fact"}},
			allowed: true, categories: []string{"name", "nature"}, withheld: []string{"reporter_identity"}, people: []string{"subject"},
			reason: "Data for investigating the matter reported may be shared with the person investigated on the basis of the data controller's public task: name, nature of the matter. " +
				"The reporter asked not to be identified, so who reported is withheld."},
		{name: "asking only for what the fact holds back sends nothing",
			req:      Request{Recipient: "subject", Purpose: "investigation", Recorded: []string{"recorded_necessity"}, Facts: []string{"anonymity_requested"}, Categories: []string{"reporter_identity"}},
			withheld: []string{"reporter_identity"},
			reason:   "Nothing may be shared with the person investigated: the reporter asked not to be identified to them."},
		{name: "a fact other recipients' rules do not name changes nothing for them",
			req:     Request{Recipient: "dog-warden", Purpose: "investigation", CaseType: "dogs", Scope: "stray", Facts: []string{"anonymity_requested"}, Categories: []string{"reporter_identity"}},
			allowed: true, categories: []string{"reporter_identity"}, people: []string{"reporter", "subject", "witness"},
			reason: "Stray dog data may be shared with Dog Warden Ltd for investigating the matter reported on the basis of a contract with the data controller: who reported the matter."},
		{name: "a rule limited to an occasion refuses an officer's request",
			req:      Request{Recipient: "ombudsman", Purpose: "ombudsman", Categories: []string{"name"}},
			withheld: []string{"name"}, rule: "ombudsman_via_enquiry_response",
			reason: "The Ombudsman receives the file only with our response to its enquiry."},
		{name: "and answers on its occasion",
			req:     Request{Recipient: "ombudsman", Purpose: "ombudsman", Occasion: "enquiry_response"},
			allowed: true, categories: []string{"name", "nature"}, withheld: []string{"health"}, people: []string{"subject", "witness"},
			reason: "Data for answering the Ombudsman may be shared with The Ombudsman on the basis of the data controller's public task: name, nature of the matter. " +
				"Withheld: health information is special category data and goes only with an officer's recorded finding that sharing it is necessary as well, which is not recorded."},
		{name: "an occasion the notice does not name",
			req:    Request{Recipient: "ombudsman", Purpose: "ombudsman", Occasion: "court_order"},
			reason: `"court_order" is not an occasion of the enforcement notice; nothing may be shared with The Ombudsman on it.`},
		{name: "a purpose limited to an occasion refuses every recipient outside it",
			req:  Request{Recipient: "dog-warden", Purpose: "publication", CaseType: "dogs", Scope: "stray"},
			rule: "publication_via_conviction", reason: "A publication decision is made only when a conviction is recorded."},
		{name: "on its occasion the recipients' own rules apply",
			req:    Request{Recipient: "dog-warden", Purpose: "publication", Occasion: "conviction"},
			reason: "The enforcement notice names Dog Warden Ltd only for investigating the matter reported, not for deciding whether to publish a conviction."},
		{name: "the publication on a conviction",
			req:     Request{Recipient: "publisher", Purpose: "publication", Occasion: "conviction", Recorded: []string{"public_task"}},
			allowed: true, categories: []string{"name", "outcome"}, people: []string{"subject", "witness"},
			reason: "Data for deciding whether to publish a conviction may be shared with the publication service on the basis of the data controller's public task: name, the conviction."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := n.Decide(tt.req)
			if d.Allowed != tt.allowed || d.Rule != tt.rule || d.Reason != tt.reason {
				t.Errorf("allowed %v rule %q reason\n  %s\nwant %v %q\n  %s", d.Allowed, d.Rule, d.Reason, tt.allowed, tt.rule, tt.reason)
			}
			if !reflect.DeepEqual(d.Categories, tt.categories) || !reflect.DeepEqual(nilIfEmpty(d.Withheld), tt.withheld) || !reflect.DeepEqual(d.People, tt.people) {
				t.Errorf("categories %v withheld %v people %v; want %v, %v, %v", d.Categories, d.Withheld, d.People, tt.categories, tt.withheld, tt.people)
			}
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// PeopleFor answers as Decide does for a logged disclosure: the person investigated hears
// about themselves and, only with the reporter's identity, the reporter.
func TestPeopleFor(t *testing.T) {
	n := loadSharing(t)
	if got := n.PeopleFor("subject", []string{"name"}); !slices.Equal(got, []string{"subject"}) {
		t.Errorf("subject without reporter identity: %v", got)
	}
	if got := n.PeopleFor("subject", []string{"name", "reporter_identity"}); !slices.Equal(got, []string{"reporter", "subject"}) {
		t.Errorf("subject with reporter identity: %v", got)
	}
	if got := n.PeopleFor("nobody", []string{"name"}); got != nil {
		t.Errorf("an unknown recipient: %v", got)
	}
}
