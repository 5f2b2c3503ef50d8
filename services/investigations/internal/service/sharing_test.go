package service_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// cond is a condition recorded before a referral; who names the person who gave a consent
// ("subject", "witness" or "reporter").
type cond struct{ recipient, condition, who string }

// referralCase is one referral through the HTTP API and what the partner must receive.
type referralCase struct {
	name       string
	area       string
	scope      string
	record     []cond
	recipient  string
	purpose    string
	categories []string
	// For an allowed referral: the decision and the exact data on the partner's subject.
	wantCategories []string
	wantWithheld   []string
	wantData       func(f fixture) map[string]any
	// For a refusal: the status and the exact words.
	wantStatus int
	wantDetail string
}

func statementItem(f fixture) map[string]any {
	return map[string]any{"id": f.statementID, "kind": "witness_statement", "description": "Statement of Wendy Witness",
		"captured_at": "2026-02-21T10:00:00Z", "used_as_evidence": false, "person_id": f.witnessID}
}
func photoItem(f fixture) map[string]any {
	return map[string]any{"id": f.photoID, "kind": "photo", "description": "Photo of the speakers",
		"captured_at": "2026-02-22T11:00:00Z", "used_as_evidence": false}
}
func cctvItem(f fixture) map[string]any {
	return map[string]any{"id": f.cctvID, "kind": "cctv", "description": "CCTV from No. 5",
		"captured_at": "2026-02-25T22:00:00Z", "used_as_evidence": false}
}

// contractorData is what a contractor receives: names, addresses and phones of everyone,
// the reporter included, and the matter.
func contractorData(f fixture) map[string]any {
	return map[string]any{"people": []any{
		pick(reporter, f.reporterID, "name", "address", "phone"),
		pick(subject, f.subjectID, "name", "address", "phone"),
		pick(witness, f.witnessID, "name", "address", "phone"),
	}, "matter": matter}
}

func policeData(f fixture) map[string]any {
	return map[string]any{
		"people": []any{
			pick(reporter, f.reporterID, "name", "address", "phone", "email", "date_of_birth"),
			pick(subject, f.subjectID, "name", "address", "phone", "email", "proof_of_identity", "vehicle_registration", "date_of_birth"),
			pick(witness, f.witnessID, "name", "address", "phone"),
		},
		"matter":              matter,
		"witness_statements":  []any{statementItem(f)},
		"evidential_material": []any{photoItem(f)},
		"cctv_footage":        []any{cctvItem(f)},
	}
}

var policeOrdinary = []string{"address", "age_or_date_of_birth", "cctv_footage", "email", "evidential_material", "name",
	"nature_of_matter", "phone", "proof_of_identity", "reporter_identity", "vehicle_registration", "witness_statements"}
var policeSpecial = []string{"health", "previous_convictions", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation"}

var referralCases = []referralCase{
	{name: "goodwin for vermin", area: "vermin_and_pest_control", recipient: "goodwin-pest-management", purpose: "contracted_services",
		wantCategories: []string{"address", "name", "nature_of_matter", "phone", "reporter_identity"}, wantData: contractorData},
	{name: "goodwin for noise is refused", area: "noise", recipient: "goodwin-pest-management", purpose: "contracted_services",
		wantStatus: 403, wantDetail: "Goodwin Pest Management receives only vermin and pest control cases, not noise cases."},
	{name: "viking oak for a stray dog", area: "dangerous_and_nuisance_dogs", scope: "stray_dog", recipient: "viking-oak", purpose: "contracted_services",
		wantCategories: []string{"address", "name", "nature_of_matter", "phone", "reporter_identity"}, wantData: contractorData},
	{name: "viking oak for a dangerous dog is refused", area: "dangerous_and_nuisance_dogs", scope: "dangerous_dog", recipient: "viking-oak", purpose: "contracted_services",
		wantStatus: 403, wantDetail: "Viking Oak receives only stray dog data for having a contractor carry out work for us in a particular area, not dangerous dog data."},
	{name: "viking oak for vermin is refused", area: "vermin_and_pest_control", recipient: "viking-oak", purpose: "contracted_services",
		wantStatus: 403, wantDetail: "Viking Oak receives only dangerous and nuisance dogs cases, not vermin and pest control cases."},
	{name: "police without a recorded request is refused", area: "noise", recipient: "kent-police", purpose: "prevention_and_detection_of_crime",
		wantStatus: 403, wantDetail: "Noise case data is shared with Kent Police only with a recorded request from the recipient for the prevention or detection of crime; none is recorded."},
	{name: "police on a request get no special category data", area: "noise", record: []cond{{"kent-police", "crime_prevention", ""}},
		recipient: "kent-police", purpose: "prevention_and_detection_of_crime",
		wantCategories: policeOrdinary, wantWithheld: policeSpecial, wantData: policeData},
	{name: "police with recorded necessity get special category data", area: "noise",
		record:    []cond{{"kent-police", "crime_prevention", ""}, {"kent-police", "recorded_necessity", ""}},
		recipient: "kent-police", purpose: "prevention_and_detection_of_crime",
		wantCategories: sortedUnion(policeOrdinary, policeSpecial), wantWithheld: []string{},
		wantData: func(f fixture) map[string]any {
			d := policeData(f)
			d["health"] = []any{map[string]any{"id": f.healthID, "details": "Asthma; GP Dr Patel, Mill Surgery", "person_id": f.reporterID}}
			d["previous_convictions"] = []any{map[string]any{"id": f.convictionsID, "details": "2019 noise offence", "person_id": f.subjectID}}
			return d
		}},
	{name: "police as task force partner: no reporter", area: "anti_social_behaviour", record: []cond{{"kent-police", "recorded_necessity", ""}},
		recipient: "kent-police", purpose: "interagency_partnership", wantCategories: []string{"address", "name", "nature_of_matter"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address"), pick(witness, f.witnessID, "name", "address")}, "matter": matter}
		}},
	{name: "hmrc only for crime", area: "noise", record: []cond{{"hmrc", "crime_prevention", ""}}, recipient: "hmrc", purpose: "investigation",
		wantStatus: 403, wantDetail: "The investigations notice names HM Revenue and Customs only for the prevention and detection of crime, not for providing community protection services and supporting investigations."},
	{name: "hmrc on a request", area: "unauthorised_encampments", record: []cond{{"hmrc", "crime_prevention", ""}}, recipient: "hmrc", purpose: "prevention_and_detection_of_crime",
		wantCategories: []string{"address", "age_or_date_of_birth", "name", "nature_of_matter", "proof_of_identity"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "proof_of_identity", "date_of_birth"),
				pick(witness, f.witnessID, "name", "address")}, "matter": matter}
		}},
	{name: "immigration on a request", area: "unauthorised_encampments", record: []cond{{"immigration-and-border-force", "crime_prevention", ""}},
		recipient: "immigration-and-border-force", purpose: "prevention_and_detection_of_crime",
		wantCategories: []string{"address", "age_or_date_of_birth", "name", "nature_of_matter", "proof_of_identity"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "proof_of_identity", "date_of_birth"),
				pick(witness, f.witnessID, "name", "address")}, "matter": matter}
		}},
	{name: "the subject is not told who reported", area: "noise", recipient: "subject-of-investigation", purpose: "investigation",
		wantCategories: []string{"evidential_material", "name", "nature_of_matter"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name")},
				"matter": matter, "evidential_material": []any{photoItem(f)}}
		}},
	{name: "asking for the reporter's identity without necessity is refused", area: "noise", recipient: "subject-of-investigation", purpose: "investigation",
		categories: []string{"reporter_identity"}, wantStatus: 403,
		wantDetail: "Nothing may be shared with the person whose conduct is being investigated: the identity of the person who reported the matter goes only with an officer's recorded finding that sharing it with this recipient is necessary and lawful, which is not recorded."},
	{name: "the subject is told who reported when necessity is recorded", area: "noise", record: []cond{{"subject-of-investigation", "recorded_necessity", ""}},
		recipient: "subject-of-investigation", purpose: "investigation",
		wantCategories: []string{"evidential_material", "name", "nature_of_matter", "reporter_identity"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(reporter, f.reporterID, "name"), pick(subject, f.subjectID, "name")},
				"matter": matter, "evidential_material": []any{photoItem(f)}}
		}},
	{name: "support services with consent but not explicit consent: no health", area: "domestic_abuse",
		record: []cond{{"commissioned-support-services", "consent", "subject"}}, recipient: "commissioned-support-services", purpose: "support_referral",
		wantCategories: []string{"address", "age_or_date_of_birth", "email", "name", "nature_of_matter", "phone"},
		wantWithheld:   []string{"health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation"},
		wantData: func(f fixture) map[string]any {
			// One person's consent carries their data only: not the witness's, who gave none.
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "phone", "email", "date_of_birth")}, "matter": matter}
		}},
	{name: "explicit consent alone is consent too, for that person only", area: "domestic_abuse",
		record: []cond{{"commissioned-support-services", "explicit_consent", "subject"}}, recipient: "commissioned-support-services", purpose: "support_referral",
		wantCategories: []string{"address", "age_or_date_of_birth", "email", "health", "name", "nature_of_matter", "phone",
			"racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "phone", "email", "date_of_birth")}, "matter": matter}
		}},
	{name: "support services with explicit consent get health, never convictions", area: "domestic_abuse",
		record: []cond{{"commissioned-support-services", "consent", "subject"}, {"commissioned-support-services", "consent", "witness"},
			{"commissioned-support-services", "explicit_consent", "subject"}},
		recipient: "commissioned-support-services", purpose: "support_referral",
		wantCategories: []string{"address", "age_or_date_of_birth", "email", "health", "name", "nature_of_matter", "phone",
			"racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation"},
		wantData: func(f fixture) map[string]any {
			// The fixture's health item is the reporter's, and the reporter's identity is not among the categories.
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "phone", "email", "date_of_birth"),
				pick(witness, f.witnessID, "name", "address", "phone")}, "matter": matter}
		}},
	{name: "environment agency without recorded necessity is refused", area: "odour", recipient: "environment-agency", purpose: "investigation",
		wantStatus: 403, wantDetail: "Odour case data is shared with Environment Agency only with an officer's recorded finding that sharing it with this recipient is necessary and lawful; none is recorded."},
	{name: "environment agency with recorded necessity", area: "odour", record: []cond{{"environment-agency", "recorded_necessity", ""}},
		recipient: "environment-agency", purpose: "investigation", wantCategories: []string{"address", "evidential_material", "name", "nature_of_matter"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address"), pick(witness, f.witnessID, "name", "address")},
				"matter": matter, "evidential_material": []any{photoItem(f)}}
		}},
	{name: "fire and rescue for hoarding", area: "filthy_and_nuisance_properties_and_hoarding", record: []cond{{"fire-and-rescue", "recorded_necessity", ""}},
		recipient: "fire-and-rescue", purpose: "investigation", wantCategories: []string{"address", "name", "nature_of_matter", "phone"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "phone"), pick(witness, f.witnessID, "name", "address", "phone")}, "matter": matter}
		}},
	{name: "kcc without explicit consent: no health", area: "anti_social_behaviour", record: []cond{{"kent-county-council", "recorded_necessity", ""}},
		recipient: "kent-county-council", purpose: "investigation",
		wantCategories: []string{"address", "age_or_date_of_birth", "email", "name", "nature_of_matter", "phone"}, wantWithheld: []string{"health"},
		wantData: func(f fixture) map[string]any {
			return map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "phone", "email", "date_of_birth"),
				pick(witness, f.witnessID, "name", "address", "phone")}, "matter": matter}
		}},
	{name: "central government: the matter only", area: "light", recipient: "central-government", purpose: "statutory_returns",
		wantCategories: []string{"nature_of_matter"}, wantData: func(f fixture) map[string]any { return map[string]any{"matter": matter} }},
	{name: "voluntary organisations need consent", area: "anti_social_behaviour", record: nil,
		recipient: "voluntary-organisations", purpose: "interagency_partnership", wantStatus: 403,
		wantDetail: "Anti-social behaviour (including case reviews and hate crime) case data is shared with voluntary organisations in the Maidstone Task Force only with the recorded consent of the person the data is about; none is recorded."},
	{name: "a recipient the notice does not name", area: "noise", recipient: "kent-messenger", purpose: "investigation", wantStatus: 403,
		wantDetail: `"kent-messenger" is not a recipient named in the investigations notice (version 2026.11.2); nothing may be shared with it.`},
	{name: "the publication service only on a conviction", area: "noise", recipient: "publication-service", purpose: "publication_decision", wantStatus: 409,
		wantDetail: "the outcome for a publication decision goes to the publication service only when a conviction is recorded"},
}

func sortedUnion(a, b []string) []string {
	out := append(append([]string{}, a...), b...)
	slices.Sort(out)
	return out
}

// TestReferralsFollowTheNotice refers fixture cases through the HTTP API and checks what
// each partner's subscription received, field by field, or the exact refusal.
func TestReferralsFollowTheNotice(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.>")
	officer := e.officer("olive")
	sent := 0
	for _, tc := range referralCases {
		f := e.openCase(officer, tc.area, tc.scope, nil)
		for _, k := range tc.record {
			body := map[string]any{"recipient": k.recipient, "condition": k.condition, "reason": "recorded for the test"}
			if k.who != "" {
				body["person_id"] = map[string]string{"subject": f.subjectID, "witness": f.witnessID, "reporter": f.reporterID}[k.who]
			}
			e.Must(200, "POST", "/investigations/"+f.id+"/conditions", officer, body)
		}
		body := map[string]any{"recipient": tc.recipient, "purpose": tc.purpose}
		if tc.categories != nil {
			body["categories"] = tc.categories
		}
		res := e.Call("POST", "/investigations/"+f.id+"/referrals", officer, body)
		if tc.wantData == nil {
			if res.Status != tc.wantStatus {
				t.Fatalf("%s: status %d, want %d: %s", tc.name, res.Status, tc.wantStatus, res.Body)
			}
			if got := res.JSON(t)["detail"]; got != tc.wantDetail {
				t.Errorf("%s: refusal\n got %q\nwant %q", tc.name, got, tc.wantDetail)
			}
			continue
		}
		if res.Status != 201 {
			t.Fatalf("%s: status %d: %s", tc.name, res.Status, res.Body)
		}
		sent++
		got := res.JSON(t)
		if normal(t, got["categories"]) != normal(t, tc.wantCategories) {
			t.Errorf("%s: categories %v, want %v", tc.name, got["categories"], tc.wantCategories)
		}
		wantWithheld := tc.wantWithheld
		if wantWithheld == nil {
			wantWithheld = []string{}
		}
		if normal(t, got["withheld"]) != normal(t, wantWithheld) {
			t.Errorf("%s: withheld %v, want %v", tc.name, got["withheld"], wantWithheld)
		}
		subject := fmt.Sprintf("share.%s.investigations.%s", tc.recipient, tc.purpose)
		msg := waitForDisclosure(t, share, got["id"].(string))
		if msg.subject != subject {
			t.Errorf("%s: published on %s, want %s", tc.name, msg.subject, subject)
		}
		if msg.body["recipient"] != tc.recipient || msg.body["purpose"] != tc.purpose || msg.body["area"] != tc.area {
			t.Errorf("%s: envelope %v", tc.name, msg.body)
		}
		if g, w := normal(t, msg.body["data"]), normal(t, tc.wantData(f)); g != w {
			t.Errorf("%s: partner received\n %s\nwant\n %s", tc.name, g, w)
		}
	}
	// Refusals sent nothing: the stream holds exactly the allowed referrals.
	got := share.WaitFor(t, sent)
	if len(got) != sent {
		t.Errorf("share stream holds %d messages, want %d", len(got), sent)
	}
}

type disclosureMsg struct {
	subject string
	body    map[string]any
}

func waitForDisclosure(t *testing.T, c *testkit.Collector, id string) disclosureMsg {
	t.Helper()
	var found disclosureMsg
	testkit.Eventually(t, 10*time.Second, "disclosure "+id, func() (bool, string) {
		for _, m := range c.All() {
			var body map[string]any
			if err := json.Unmarshal(m.Data(), &body); err != nil {
				t.Fatal(err)
			}
			if body["disclosure_id"] == id {
				found = disclosureMsg{subject: m.Subject(), body: body}
				return true, ""
			}
		}
		return false, testkit.Subjects(c.All())
	})
	return found
}

// A referral to the person investigated goes to one person, who hears only about themselves
// (and, on a finding of necessity, the reporter): with two subjects it names which, and
// carries nothing of the other subject, nor the photo linked to him. Left out, or naming
// someone not investigated, it is refused with a 400 at /person_id and nothing is sent or
// logged; no other recipient takes a person_id.
func TestAReferralToThePersonInvestigatedIsAboutThemAlone(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.subject-of-investigation.>")
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	sidID := e.addPerson(p, olive, second)
	v := e.Must(200, "POST", p+"/evidence", olive, map[string]any{"kind": "photo", "description": "Photo of Sid Second at his window",
		"person_id": sidID, "captured_at": "2026-02-27T10:00:00Z"})
	evidence := v["evidence"].([]any)
	sidsPhoto := map[string]any{"id": evidence[len(evidence)-1].(map[string]any)["id"], "kind": "photo", "description": "Photo of Sid Second at his window",
		"person_id": sidID, "captured_at": "2026-02-27T10:00:00Z", "used_as_evidence": false}
	e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "request 42"})

	refer := func(body map[string]any) testkit.Response {
		t.Helper()
		if body["recipient"] == nil {
			body["recipient"], body["purpose"] = "subject-of-investigation", "investigation"
		}
		return e.Call("POST", p+"/referrals", olive, body)
	}
	for _, c := range []struct {
		name   string
		body   map[string]any
		detail string
	}{
		{"no one named of two subjects", map[string]any{},
			"is required: the case has 2 people in the subject role, and each hears only about themselves; name the one the referral goes to"},
		{"a witness named", map[string]any{"person_id": f.witnessID},
			"must name a person in the subject role, the person investigated the referral goes to: person " + f.witnessID + " is in the witness role"},
		{"no one on the case named", map[string]any{"person_id": "nobody"}, "is not a person on this investigation"},
		{"a person named to the police", map[string]any{"recipient": "kent-police", "person_id": f.subjectID, "purpose": "prevention_and_detection_of_crime"},
			"is only for a referral to subject-of-investigation, the person investigated, to name the one it goes to; a referral to kent-police goes to the recipient"},
	} {
		before := e.rowCounts()
		r := refer(c.body)
		testkit.ProblemOf(t, r, 400, httpserver.TypeValidation)
		if want := []any{map[string]any{"pointer": "/person_id", "detail": c.detail}}; !reflect.DeepEqual(r.JSON(t)["errors"], want) {
			t.Errorf("%s: %s", c.name, r.Body)
		}
		if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
			t.Errorf("%s: the refusal wrote rows: %v, before %v", c.name, after, before)
		}
	}

	unlinked := photoItem(f) // linked to no one: the matter's, not another person's
	for _, c := range []struct {
		name, to string
		want     map[string]any
	}{
		{"to Sid", sidID, map[string]any{"people": []any{map[string]any{"id": sidID, "role": "subject", "name": "Sid Second"}},
			"matter": matter, "evidential_material": []any{unlinked, sidsPhoto}}},
		{"to Sam", f.subjectID, map[string]any{"people": []any{pick(subject, f.subjectID, "name")},
			"matter": matter, "evidential_material": []any{unlinked}}},
	} {
		r := refer(map[string]any{"person_id": c.to})
		if r.Status != 201 {
			t.Fatalf("%s: %d %s", c.name, r.Status, r.Body)
		}
		got := r.JSON(t)
		if got["person_id"] != c.to || normal(t, got["data"]) != normal(t, c.want) {
			t.Errorf("%s: person %v data\n %s\nwant\n %s", c.name, got["person_id"], normal(t, got["data"]), normal(t, c.want))
		}
		if msg := waitForDisclosure(t, share, got["id"].(string)); normal(t, msg.body["data"]) != normal(t, c.want) {
			t.Errorf("%s: the message carried\n %s", c.name, normal(t, msg.body["data"]))
		}
		if n := e.Count(`SELECT count(*) FROM investigation_disclosure_people WHERE disclosure_id = $1 AND person_id <> $2`, got["id"], c.to); n != 0 {
			t.Errorf("%s: the disclosure is recorded as carrying %d other people", c.name, n)
		}
		if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'investigation.referral.disclosed' AND detail->>'person_id' = $1`, c.to); n != 1 {
			t.Errorf("%s: %d audited referrals name the person it went to, want 1", c.name, n)
		}
	}
	// Each subject's access answer lists the referral made to them alone.
	for _, who := range []string{sidID, f.subjectID} {
		if d := e.exportOf(f.id, who).Disclosures; len(d) != 1 || d[0].Recipient != "subject-of-investigation" {
			t.Errorf("person %s is told of disclosures %+v, want the one to them", who, d)
		}
	}

	// With the finding that it is necessary, the reporter comes too, as the notice allows.
	e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "subject-of-investigation", "condition": "recorded_necessity", "reason": "to answer it"})
	r := refer(map[string]any{"person_id": sidID, "categories": []string{"name", "reporter_identity"}})
	want := map[string]any{"people": []any{pick(reporter, f.reporterID, "name"), map[string]any{"id": sidID, "role": "subject", "name": "Sid Second"}}}
	if r.Status != 201 || normal(t, r.JSON(t)["data"]) != normal(t, want) {
		t.Errorf("to Sid with the reporter's identity: %d %s", r.Status, r.Body)
	}
}
