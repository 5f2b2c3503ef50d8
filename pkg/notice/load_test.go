package notice

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func sampleText(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func loadSample(t *testing.T) *Notice {
	t.Helper()
	n, err := LoadFile("testdata/sample.yaml")
	if err != nil {
		t.Fatalf("sample notice should load: %v", err)
	}
	return n
}

func TestLoadSample(t *testing.T) {
	n := loadSample(t)
	if n.Service != "investigations" || n.Version != "7" {
		t.Fatalf("service/version = %q/%q", n.Service, n.Version)
	}
	var ids []string
	for _, r := range n.Recipients {
		ids = append(ids, r.ID)
	}
	if got, want := strings.Join(ids, ","), "goodwin-pest-management,kent-police,ombudsman,county-council"; got != want {
		t.Fatalf("recipients in file order = %s, want %s", got, want)
	}
	if c, ok := n.CategoryOfField("postcode"); !ok || c != "address" {
		t.Fatalf("CategoryOfField(postcode) = %q, %v", c, ok)
	}
	if got := strings.Join(n.FieldsFor([]string{"address", "name"}), ","); got != "person_address,person_name,postcode" {
		t.Fatalf("FieldsFor = %s", got)
	}
	if n.Statistics == nil || !n.Statistics.Suppressed(4) || n.Statistics.Suppressed(5) {
		t.Fatalf("statistics rule = %+v", n.Statistics)
	}
}

// malformed is one edit to a valid notice and the problem Load must report.
type malformed struct {
	name     string
	old, new string
	path     string // key path the message must name
	message  string // words the message must contain
}

func TestLoadRejectsMalformedNotices(t *testing.T) {
	checkRejects(t, sampleText(t), []malformed{
		{"missing version", `version: "7"` + "\n", "", "version", "is missing"},
		{"misspelt key", "        condition: contract\n", "        conditon: contract\n",
			"recipients.goodwin-pest-management.rules[0].conditon (line 55)", `unknown key "conditon"`},
		{"unknown category in recipient", "categories: [name, address, phone]", "categories: [name, address, telephone]",
			"recipients.goodwin-pest-management.rules[0].categories[2]", `unknown category "telephone"`},
		{"unknown category in retention", "applies_to: cctv_footage", "applies_to: cctv",
			"retention[0].applies_to", `unknown category, scope or case type "cctv"`},
		{"unknown condition", "condition: crime_prevention", "condition: police_request",
			"recipients.kent-police.rules[0].condition", `unknown condition "police_request"`},
		{"unknown purpose", "purposes: [crime]", "purposes: [crimes]",
			"recipients.kent-police.rules[0].purposes[0]", `unknown purpose "crimes"`},
		{"special category without special condition", "        special_condition: recorded_necessity\n", "",
			"recipients.kent-police.rules[0].special_condition", "is missing; the rule grants special category"},
		{"special condition without special category", "        categories: [name, address, phone]\n",
			"        categories: [name, address, phone]\n        special_condition: explicit_consent\n",
			"recipients.goodwin-pest-management.rules[0].special_condition", "grants no special category"},
		{"unknown special condition", "special_condition: recorded_necessity", "special_condition: because",
			"recipients.kent-police.rules[0].special_condition", `unknown condition "because"`},
		// Health and convictions need an Article 9(2) or 10 condition: never plain consent,
		// and official authority only for criminal offence data.
		{"plain consent as the special condition", "special_condition: recorded_necessity", "special_condition: consent",
			"recipients.kent-police.rules[0].special_condition", `"consent" is no condition for special category or criminal offence data`},
		{"public task for health", "special_condition: recorded_necessity", "special_condition: public_task",
			"recipients.kent-police.rules[0].special_condition", "the official authority (public_task) is a condition for criminal offence data alone"},
		{"malformed period", "keep: 30d", "keep: 30 days", "retention[0].keep", `period "30 days" has unknown unit`},
		{"unknown period unit", "keep: 7y\n    from: receipt", "keep: 7x\n    from: receipt", "retention[1].keep", `period "7x" has unknown unit "x"`},
		{"zero period", "keep: 7y\n    from: receipt", "keep: 0y\n    from: receipt", "retention[1].keep", `period "0y" is zero`},
		{"malformed then", "then: 6y", "then: six years", "retention[0].then", `period "six years" is malformed`},
		{"malformed max", `keep: "max(sentence, 7y)"`, `keep: "max(fine, 7y)"`, "retention[3].keep", "the only max form is max(sentence, 7y)"},
		{"unknown trigger", "from: capture", "from: recording", "retention[0].from", `unknown trigger "recording"`},
		{"missing trigger", "    from: capture\n", "", "retention[0].from", "is missing; say what the period runs from"},
		{"duplicate retention id", "id: email", "id: cctv", "retention[1].id", `duplicate id "cctv"`},
		{"two default rules for one thing", "applies_to: nature\n    keep: 72h", "applies_to: address\n    keep: 72h",
			"retention[4]", `rule "breach" keeps address by default as rule "email" already does`},
		{"undeclared when fact", "when: conviction", "when: convicted", "retention[3].when", `unknown fact "convicted"`},
		{"unless without then", "    then: 6y\n", "", "retention[0].then", "unless needs a then period"},
		{"duplicate case type", "{id: noise, label: noise nuisance}", "{id: stray_dogs, label: noise nuisance}",
			"case_types[2].id", `duplicate id "stray_dogs"`},
		{"duplicate recipient", "  ombudsman:\n", "  kent-police:\n", "recipients.kent-police (line 64)", `mapping key "kent-police" already defined at line 57`},
		{"unknown case type in grant", "case_types: [vermin_and_pest_control]", "case_types: [rats]",
			"recipients.goodwin-pest-management.rules[0].case_types[0]", `unknown case type "rats"`},
		{"unknown scope in grant", "scopes: [stage_3]", "scopes: [stage_9]",
			"recipients.ombudsman.rules[0].scopes[0]", `unknown scope "stage_9"`},
		{"bad ICO registration", "ico_registration: Z1234567", "ico_registration: 1234567",
			"controller.ico_registration", `"1234567" is not an ICO registration number`},
		{"missing ICO registration", "  ico_registration: Z1234567\n", "", "controller.ico_registration", "is missing"},
		{"no DPO contact", "    email: dpo@example.gov.uk\n", "", "controller.dpo", "no way to contact the data protection officer"},
		{"unknown category kind", "{kind: evidence, label: CCTV footage", "{kind: video, label: CCTV footage",
			"categories.cctv_footage.kind", `unknown kind "video"`},
		{"field in two categories", "fields: [person_phone]", "fields: [person_name]",
			"categories.phone.fields[0]", `field "person_name" is already covered by category "name"`},
		{"unknown lawful basis", "basis: contract", "basis: agreement", "purposes.pest_contract.basis", `unknown lawful basis "agreement"`},
		{"unknown condition override", "  consent: the person's recorded consent", "  agreement: the person's agreement",
			"conditions.agreement", `unknown condition "agreement"`},
		{"unknown right", "{id: access, words", "{id: acess, words", "rights[0].id", `unknown right "acess"`},
		{"duplicate erasure reason", "{id: legal_claims, words", "{id: legal_obligation, words",
			"erasure_may_be_refused_for[1].id", `duplicate reason "legal_obligation"`},
		{"negative suppression", "suppress_below: 5", "suppress_below: -1", "statistics.suppress_below", "must be zero or more"},
		{"bad id spelling", "  goodwin-pest-management:\n", "  Goodwin:\n", "recipients.Goodwin", `id "Goodwin" must start with a lower-case letter`},
		{"recipient without rules", "  ombudsman:\n    name: The Ombudsman\n    rules:\n      - purposes: [investigation]\n        scopes: [stage_3]\n        condition: complainant_request\n        categories: [name, nature]\n",
			"  ombudsman:\n    name: The Ombudsman\n", "recipients.ombudsman.rules", "a recipient needs at least one rule"},
		{"wrong type", "suppress_below: 5", "suppress_below: five", "statistics.suppress_below (line 117)", "cannot unmarshal !!str `five` into int"},
		{"not YAML", "service: investigations", "service: [investigations", "line", "did not find expected"},
	})
}

// checkRejects applies each edit to text and checks Load refuses the result,
// naming the key path and the problem.
func checkRejects(t *testing.T, text string, tests []malformed) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := strings.Replace(text, tt.old, tt.new, 1)
			if edited == text {
				t.Fatalf("test edit %q did not apply to the notice", tt.old)
			}
			_, err := Load([]byte(edited))
			if err == nil {
				t.Fatal("Load accepted a malformed notice")
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *ValidationError: %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "invalid notice notice: ") {
				t.Errorf("message %q does not start with the file name", msg)
			}
			if !strings.Contains(msg, tt.path) || !strings.Contains(msg, tt.message) {
				t.Errorf("message\n  %s\nshould name %q and say %q", msg, tt.path, tt.message)
			}
		})
	}
}

func TestLoadFileNamesTheFileAndEveryProblem(t *testing.T) {
	text := strings.Replace(sampleText(t), "condition: crime_prevention", "condition: nope", 1)
	text = strings.Replace(text, "keep: 30d", "keep: 30", 1)
	path := t.TempDir() + "/broken.yaml"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	if ve.File != "broken.yaml" || len(ve.Problems) != 2 {
		t.Fatalf("file %q, problems %+v", ve.File, ve.Problems)
	}
	want := `invalid notice broken.yaml: 2 problems: recipients.kent-police.rules[0].condition (line 61): unknown condition "nope"`
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error\n  %s\nwant prefix\n  %s", err, want)
	}
	if ve.Problems[1].Path != "retention[0].keep" || ve.Problems[1].Line != 87 {
		t.Fatalf("second problem = %+v", ve.Problems[1])
	}
}

func TestLoadEmpty(t *testing.T) {
	_, err := Load([]byte("  \n"))
	if err == nil || err.Error() != "invalid notice notice: the notice is empty" {
		t.Fatalf("err = %v", err)
	}
	if _, err := LoadFile("testdata/missing.yaml"); err == nil || !strings.Contains(err.Error(), "read notice") {
		t.Fatalf("err = %v", err)
	}
}

// A right the law ties to lawful bases loads only when a purpose rests on one of them:
// portability (UK GDPR Art 20(1)) on consent or contract, objection (Art 21(1)) on public
// task or legitimate interests.
func TestLoadRefusesRightsTheBasesExclude(t *testing.T) {
	const rights = "  - {id: erasure, words: You may ask us to erase it.}\n"
	offered := strings.Replace(sampleText(t), rights, rights+
		"  - {id: portability, words: You may take what you gave us under the pest control contract elsewhere.}\n"+
		"  - {id: objection, words: You may object to our investigation.}\n", 1)
	n, err := Load([]byte(offered))
	if err != nil {
		t.Fatalf("a contract purpose supports portability and a public task purpose objection: %v", err)
	}
	if !n.Offers("portability") || !n.Offers("objection") || !n.Offers("access") || n.Offers("restriction") {
		t.Fatalf("Offers does not follow the rights listed: %+v", n.Rights)
	}
	checkRejects(t, offered, []malformed{
		{"portability without consent or contract", "basis: contract", "basis: legal_obligation", "rights[2].id (line 112)",
			`right "portability" cannot be offered: UK GDPR Article 20(1) applies only to processing on consent (UK GDPR Article 6(1)(a)) or contract (UK GDPR Article 6(1)(b)), and no purpose of this notice rests on consent or contract (its bases: public_task, legal_obligation)`},
		{"objection without public task or legitimate interests", "basis: public_task", "basis: consent", "rights[3].id (line 113)",
			`right "objection" cannot be offered: UK GDPR Article 21(1) applies only to processing on official authority / public task (UK GDPR Article 6(1)(e)) or legitimate interests (UK GDPR Article 6(1)(f)), and no purpose of this notice rests on public_task or legitimate_interests or is direct marketing (UK GDPR Article 21(2)) (its bases: consent, contract, legal_obligation)`},
	})
	if n.ObjectionToMarketingOnly() || len(n.MarketingRecipients()) != 0 {
		t.Errorf("a notice with no direct marketing: objection to marketing only %v, marketing recipients %v", n.ObjectionToMarketingOnly(), n.MarketingRecipients())
	}
	// Anyone may object to direct marketing whatever its basis (Art 21(2)): a notice whose
	// only such purpose rests on consent offers objection, which then reaches the marketing
	// alone, and the recipients that receive data for nothing else.
	marketing := strings.Replace(strings.Replace(offered, "basis: public_task", "basis: consent", 1),
		"    basis: contract\n", "    basis: contract\n    direct_marketing: true\n", 1)
	m, err := Load([]byte(marketing))
	if err != nil {
		t.Fatalf("a direct marketing purpose supports objection: %v", err)
	}
	if p, _ := m.Purpose("pest_contract"); !p.DirectMarketing || !m.Offers("objection") || !m.ObjectionToMarketingOnly() {
		t.Errorf("direct marketing %v, offers objection %v, to marketing only %v", p.DirectMarketing, m.Offers("objection"), m.ObjectionToMarketingOnly())
	}
	if got := m.MarketingRecipients(); !slices.Equal(got, []string{"goodwin-pest-management"}) {
		t.Errorf("marketing recipients %v, want the one whose every rule is for direct marketing", got)
	}
	// A legitimate interests purpose supports objection as a public task one does.
	li := strings.Replace(offered, "basis: public_task", "basis: legitimate_interests", 1)
	if _, err := Load([]byte(li)); err != nil {
		t.Fatalf("legitimate interests supports objection: %v", err)
	}
}

// Every notice in the contracts loads, so none offers a right its purposes' bases exclude.
func TestContractNoticesOfferOnlyRightsTheirBasesAllow(t *testing.T) {
	files, err := filepath.Glob("../../contracts/notices/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no notices: %v", err)
	}
	offers := map[string]string{}
	for _, f := range files {
		n, err := LoadFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, right := range []string{"portability", "objection"} {
			if n.Offers(right) {
				offers[n.Service] += right + " "
			}
		}
	}
	want := map[string]string{"complaints": "objection ", "debt": "portability objection ", "investigations": "objection ",
		"publication": "objection ", "rights": "objection "}
	for s, w := range want {
		if offers[s] != w {
			t.Errorf("%s offers %q of portability and objection, want %q", s, offers[s], w)
		}
	}
}

// A purpose may say how long each use of the data lasts at most (an entry on a website):
// loaded as a period, stated in the rendered notice, and optional, so a notice without it
// loads as before.
func TestPurposeLasts(t *testing.T) {
	if p, ok := loadSample(t).Purpose("pest_contract"); !ok || !p.Lasts.IsZero() {
		t.Fatalf("a purpose that sets no limit: %+v", p)
	}
	text := strings.Replace(sampleText(t), "    words: Our contractor treats the pests.\n",
		"    words: Our contractor treats the pests.\n    lasts: 1m\n", 1)
	n, err := Load([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := n.Purpose("pest_contract"); p.Lasts != (Period{Months: 1}) {
		t.Errorf("lasts = %+v, want 1 month", p.Lasts)
	}
	if out := n.Render(); !strings.Contains(out, "Our contractor treats the pests. This lasts no longer than 1 month.") {
		t.Errorf("rendered notice does not state the limit:\n%s", out)
	}
	checkRejects(t, text, []malformed{
		{"malformed lasts", "lasts: 1m", "lasts: a month", "purposes.pest_contract.lasts", `period "a month" is malformed`},
		{"zero lasts", "lasts: 1m", "lasts: 0m", "purposes.pest_contract.lasts", "is zero"},
	})
}
