package service_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// grantSpec restates, independently of the YAML, one rule of the community protection
// notice as this service must apply it. The sweep below fails if the notice file or the
// engine lets more, or less, go than this.
type grantSpec struct {
	purposes   []string
	areas      []string // nil: every area
	scopes     []string // nil: every scope
	categories []string
	record     []string // conditions that must be recorded for this rule and its special categories
}

var (
	allAreas = []string{"animal_welfare_and_licensing", "anti_social_behaviour", "caravan_licensing", "dangerous_and_nuisance_dogs",
		"domestic_abuse", "drainage", "event_safety_and_road_closures", "filthy_and_nuisance_properties_and_hoarding", "light",
		"noise", "odour", "smoke", "unauthorised_encampments", "vermin_and_pest_control"}
	allPurposes = []string{"investigation", "statutory_duties", "contracted_services", "prevention_and_detection_of_crime",
		"interagency_partnership", "support_referral", "statutory_returns", "publication_decision", "quality_assurance",
		"service_planning", "safety_and_security", "satisfaction_and_consultation", "website_experience"}
	allCategories = []string{"name", "reporter_identity", "address", "town", "phone", "email", "proof_of_identity",
		"vehicle_registration", "age_or_date_of_birth", "nature_of_matter", "witness_statements", "evidential_material",
		"cctv_footage", "email_correspondence", "health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs",
		"sex_life", "sexual_orientation", "previous_convictions", "conviction_outcome"}
	special = []string{"health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation"}
	contact = []string{"name", "reporter_identity", "address", "phone", "nature_of_matter"}
)

var noticeSpec = map[string][]grantSpec{
	"goodwin-pest-management": {{purposes: []string{"contracted_services"}, areas: []string{"vermin_and_pest_control"}, categories: contact}},
	"viking-oak": {{purposes: []string{"contracted_services"}, areas: []string{"dangerous_and_nuisance_dogs"}, scopes: []string{"stray_dog"},
		categories: contact}},
	"kent-police": {
		{purposes: []string{"prevention_and_detection_of_crime"}, record: []string{"crime_prevention", "recorded_necessity"},
			categories: append([]string{"name", "reporter_identity", "address", "phone", "email", "proof_of_identity", "vehicle_registration",
				"age_or_date_of_birth", "nature_of_matter", "witness_statements", "evidential_material", "cctv_footage", "previous_convictions"}, special...)},
		{purposes: []string{"interagency_partnership"}, record: []string{"recorded_necessity"}, categories: []string{"name", "address", "nature_of_matter"}},
	},
	"law-enforcement-agencies": {{purposes: []string{"prevention_and_detection_of_crime"}, record: []string{"crime_prevention", "recorded_necessity"},
		categories: []string{"name", "address", "proof_of_identity", "vehicle_registration", "age_or_date_of_birth", "nature_of_matter",
			"evidential_material", "previous_convictions"}}},
	"fire-and-rescue":    {{purposes: []string{"investigation"}, record: []string{"recorded_necessity"}, categories: []string{"name", "address", "phone", "nature_of_matter"}}},
	"environment-agency": {{purposes: []string{"investigation"}, record: []string{"recorded_necessity"}, categories: []string{"name", "address", "nature_of_matter", "evidential_material"}}},
	"hmrc": {{purposes: []string{"prevention_and_detection_of_crime"}, record: []string{"crime_prevention"},
		categories: []string{"name", "address", "proof_of_identity", "age_or_date_of_birth", "nature_of_matter"}}},
	"immigration-and-border-force": {{purposes: []string{"prevention_and_detection_of_crime"}, record: []string{"crime_prevention"},
		categories: []string{"name", "address", "proof_of_identity", "age_or_date_of_birth", "nature_of_matter"}}},
	"housing-providers": {
		{purposes: []string{"investigation"}, record: []string{"recorded_necessity"}, categories: []string{"name", "address", "phone", "nature_of_matter"}},
		{purposes: []string{"interagency_partnership"}, record: []string{"recorded_necessity"}, categories: []string{"name", "address", "nature_of_matter"}},
	},
	"kent-county-council": {
		{purposes: []string{"investigation"}, record: []string{"recorded_necessity", "explicit_consent"},
			categories: []string{"name", "address", "phone", "email", "age_or_date_of_birth", "nature_of_matter", "health"}},
		{purposes: []string{"interagency_partnership"}, record: []string{"recorded_necessity"}, categories: []string{"name", "address", "nature_of_matter"}},
	},
	"other-local-authorities": {{purposes: []string{"investigation"}, record: []string{"recorded_necessity"},
		categories: []string{"name", "address", "phone", "email", "vehicle_registration", "nature_of_matter"}}},
	"one-maidstone":           {{purposes: []string{"interagency_partnership"}, record: []string{"recorded_necessity"}, categories: []string{"name", "nature_of_matter"}}},
	"voluntary-organisations": {{purposes: []string{"interagency_partnership"}, record: []string{"consent"}, categories: []string{"name", "phone", "nature_of_matter"}}},
	"commissioned-support-services": {{purposes: []string{"support_referral"}, record: []string{"consent", "explicit_consent"},
		categories: append([]string{"name", "address", "phone", "email", "age_or_date_of_birth", "nature_of_matter"}, special...)}},
	"central-government": {{purposes: []string{"statutory_returns"}, categories: []string{"nature_of_matter"}}},
	"subject-of-investigation": {
		{purposes: []string{"investigation"}, categories: []string{"name", "nature_of_matter", "evidential_material"}},
		{purposes: []string{"investigation"}, record: []string{"recorded_necessity"}, categories: []string{"reporter_identity"}},
	},
	"publication-service": {{purposes: []string{"publication_decision"}, categories: []string{"name", "town", "conviction_outcome"}}},
}

// expected is what the spec allows a recipient for a purpose on a case.
func expected(recipient, purpose, area, scope string) (bool, []string) {
	var cats []string
	ok := false
	for _, g := range noticeSpec[recipient] {
		if !slices.Contains(g.purposes, purpose) || g.areas != nil && !slices.Contains(g.areas, area) || g.scopes != nil && !slices.Contains(g.scopes, scope) {
			continue
		}
		ok = true
		for _, c := range g.categories {
			if !slices.Contains(cats, c) {
				cats = append(cats, c)
			}
		}
	}
	slices.Sort(cats)
	return ok, cats
}

type sweepCase struct{ area, scope string }

// TestEveryRecipientAreaPurposeAndCategory walks every recipient x area x purpose through
// the HTTP API with every condition the notice asks for recorded, then every category one
// by one, and checks each answer against the spec, and every message on the partners' subjects
// against the exact data the spec says that recipient receives.
func TestEveryRecipientAreaPurposeAndCategory(t *testing.T) {
	if testing.Short() {
		t.Skip("the full sweep makes a few thousand requests")
	}
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.>")
	officer := e.officer("olive")
	var cases []sweepCase
	for _, a := range allAreas {
		if a == "dangerous_and_nuisance_dogs" {
			cases = append(cases, sweepCase{a, "stray_dog"}, sweepCase{a, "dangerous_dog"}, sweepCase{a, "nuisance_dog"})
			continue
		}
		cases = append(cases, sweepCase{area: a})
	}
	recipients := make([]string, 0, len(noticeSpec))
	for r := range noticeSpec {
		recipients = append(recipients, r)
	}
	slices.Sort(recipients)
	sent := map[string]int{}
	wantData := map[string]string{} // disclosure id: the exact data its recipient must receive
	for _, sc := range cases {
		f := e.openCase(officer, sc.area, sc.scope, nil)
		for _, r := range recipients {
			var recorded []string
			for _, g := range noticeSpec[r] {
				for _, k := range g.record {
					if slices.Contains(recorded, k) {
						continue
					}
					recorded = append(recorded, k)
					if k != "consent" && k != "explicit_consent" {
						e.Must(200, "POST", "/investigations/"+f.id+"/conditions", officer, map[string]any{"recipient": r, "condition": k, "reason": "sweep"})
						continue
					}
					for _, person := range []string{f.reporterID, f.subjectID, f.witnessID} { // a consent is each person's own
						e.Must(200, "POST", "/investigations/"+f.id+"/conditions", officer,
							map[string]any{"recipient": r, "condition": k, "reason": "sweep", "person_id": person})
					}
				}
			}
		}
		for _, r := range recipients {
			for _, p := range allPurposes {
				what := fmt.Sprintf("%s/%s for %s %s", r, p, sc.area, sc.scope)
				res := e.Call("POST", "/investigations/"+f.id+"/referrals", officer, map[string]any{"recipient": r, "purpose": p})
				ok, cats := expected(r, p, sc.area, sc.scope)
				switch {
				case p == "publication_decision":
					if res.Status != 409 {
						t.Errorf("%s: status %d, want 409 (publication only on conviction)", what, res.Status)
					}
				case ok:
					if res.Status != 201 {
						t.Errorf("%s: status %d, want 201: %s", what, res.Status, res.Body)
						continue
					}
					sent[r]++
					got := res.JSON(t)
					wantData[got["id"].(string)] = what + "\n" + normal(t, expectedData(f, r, cats))
					if g, w := normal(t, got["categories"]), normal(t, cats); g != w {
						t.Errorf("%s: categories %s, want %s", what, g, w)
					}
				default:
					if res.Status != 403 {
						t.Errorf("%s: status %d, want 403: %s", what, res.Status, res.Body)
						continue
					}
					if d, _ := res.JSON(t)["detail"].(string); d == "" || res.JSON(t)["recipient"] != r {
						t.Errorf("%s: refusal without its rule: %s", what, res.Body)
					}
				}
			}
		}
		// Category by category, for each recipient and purpose this case may go to.
		for _, r := range recipients {
			for _, p := range allPurposes {
				ok, cats := expected(r, p, sc.area, sc.scope)
				if !ok || p == "publication_decision" || sc.scope == "nuisance_dog" || sc.scope == "dangerous_dog" {
					continue
				}
				for _, c := range allCategories {
					what := fmt.Sprintf("%s/%s/%s for %s", r, p, c, sc.area)
					res := e.Call("POST", "/investigations/"+f.id+"/referrals", officer, map[string]any{"recipient": r, "purpose": p, "categories": []string{c}})
					if slices.Contains(cats, c) {
						if res.Status != 201 || normal(t, res.JSON(t)["categories"]) != normal(t, []string{c}) {
							t.Errorf("%s: %d %s, want 201 with only %s", what, res.Status, res.Body, c)
							continue
						}
						sent[r]++
						wantData[res.JSON(t)["id"].(string)] = what + "\n" + normal(t, expectedData(f, r, []string{c}))
						continue
					}
					if d, _ := res.JSON(t)["detail"].(string); res.Status != 403 || !strings.HasPrefix(d, "Nothing may be shared with ") {
						t.Errorf("%s: %d %s, want 403 naming what is not allowed", what, res.Status, res.Body)
					}
				}
			}
		}
	}
	total := 0
	for _, n := range sent {
		total += n
	}
	msgs := share.WaitFor(t, total)
	got := map[string]int{}
	for _, m := range msgs {
		got[strings.Split(m.Subject(), ".")[1]]++
		body := testkit.Decode(t, m)
		want, ok := wantData[fmt.Sprint(body["disclosure_id"])]
		what, wantJSON, _ := strings.Cut(want, "\n")
		if !ok {
			t.Errorf("%s: disclosure %v was not made by the sweep", m.Subject(), body["disclosure_id"])
		} else if g := normal(t, body["data"]); g != wantJSON {
			t.Errorf("%s received\n %s\nwant\n %s", what, g, wantJSON)
		}
	}
	for r, n := range sent {
		if got[r] != n {
			t.Errorf("%s's subscription received %d disclosures, want %d", r, got[r], n)
		}
	}
	if len(msgs) != total {
		t.Errorf("%d disclosures published, want %d", len(msgs), total)
	}
}

// expectedData restates what a recipient allowed cats receives from a fixture case: each
// person's values for the allowed categories (the reporter, and items linked to the
// reporter, only with reporter_identity; nobody with none), the matter, the evidence items
// and the special category items. The person investigated learns nothing of the witness,
// nor gets the witness's statement.
func expectedData(f fixture, recipient string, cats []string) map[string]any {
	has := func(c string) bool { return slices.Contains(cats, c) }
	toSubject := recipient == "subject-of-investigation"
	fields := []struct{ category, key string }{{"name", "name"}, {"address", "address"}, {"town", "town"}, {"phone", "phone"},
		{"email", "email"}, {"proof_of_identity", "proof_of_identity"}, {"vehicle_registration", "vehicle_registration"},
		{"age_or_date_of_birth", "date_of_birth"}}
	out := map[string]any{}
	var people []any
	for _, p := range []struct {
		values map[string]any
		id     string
	}{{reporter, f.reporterID}, {subject, f.subjectID}, {witness, f.witnessID}} {
		if p.values["role"] == "reporter" && !has("reporter_identity") || toSubject && p.values["role"] == "witness" {
			continue
		}
		var keys []string
		for _, fl := range fields {
			if _, ok := p.values[fl.key]; ok && has(fl.category) {
				keys = append(keys, fl.key)
			}
		}
		if len(keys) > 0 {
			people = append(people, pick(p.values, p.id, keys...))
		}
	}
	if people != nil {
		out["people"] = people
	}
	items := map[string]any{"nature_of_matter": matter, "witness_statements": []any{statementItem(f)},
		"evidential_material": []any{photoItem(f)}, "cctv_footage": []any{cctvItem(f)},
		"previous_convictions": []any{map[string]any{"id": f.convictionsID, "details": "2019 noise offence", "person_id": f.subjectID}}}
	if toSubject {
		delete(items, "witness_statements") // the witness's own
	}
	if has("reporter_identity") { // the fixture's health item is the reporter's
		items["health"] = []any{map[string]any{"id": f.healthID, "details": "Asthma; GP Dr Patel, Mill Surgery", "person_id": f.reporterID}}
	}
	keys := map[string]string{"nature_of_matter": "matter"}
	for c, v := range items {
		if has(c) {
			key := c
			if k, ok := keys[c]; ok {
				key = k
			}
			out[key] = v
		}
	}
	return out
}
