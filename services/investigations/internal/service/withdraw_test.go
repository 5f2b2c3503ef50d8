package service_test

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

const support = "commissioned-support-services"

// withdrawPath is the route that withdraws person's condition to recipient.
func withdrawPath(caseID, recipient, condition, person string) string {
	q := url.Values{"condition": {condition}}
	if person != "" {
		q.Set("person_id", person)
	}
	return "/investigations/" + caseID + "/conditions/" + recipient + "?" + q.Encode()
}

// unchanged fails when a refusal wrote anything: the case, its audit, outbox or disclosure log.
func (e *env) unchanged(what string, before map[string]int) {
	e.T.Helper()
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		e.T.Errorf("%s wrote rows: %v, before %v", what, after, before)
	}
}

// UK GDPR Art 7(3): a person may withdraw their consent at any time. The subject's consent
// to the support services carried their data; once withdrawn, the next referral is refused
// as the notice refuses one with no consent, and sends nothing. The view shows when and by
// whom, the audit and the events record it by ids only, and the referral made before stays
// in the disclosure log. Withdrawing again, or a consent never given, or a condition that is
// no consent, is refused and changes nothing; the person may consent again.
func TestAWithdrawnConsentServesNoLaterReferral(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share."+support+".>")
	domainEvents := e.Collect("INVESTIGATIONS_EVENTS", "investigations.events.condition.withdrawn")
	statusEvents := e.Collect("INVESTIGATIONS_STATUS", "status.investigations.noise")
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": support, "condition": "consent", "person_id": f.subjectID, "reason": "agreed on the phone"})
	refer := map[string]any{"recipient": support, "purpose": "support_referral"}

	first := e.Must(201, "POST", p+"/referrals", olive, refer)
	want := map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address", "phone", "email", "date_of_birth")}, "matter": matter}
	if normal(t, first["data"]) != normal(t, want) {
		t.Fatalf("on consent the support services received\n %s\nwant\n %s", normal(t, first["data"]), normal(t, want))
	}
	waitForDisclosure(t, share, first["id"].(string))

	e.Clock.Advance(time.Minute)
	v := e.Must(200, "DELETE", withdrawPath(f.id, support, "consent", f.subjectID), e.officer("oscar"), nil)
	wantCondition := []any{map[string]any{"recipient": support, "condition": "consent", "reason": "agreed on the phone", "at": "2026-03-02T10:00:00Z",
		"by": "olive", "person_id": f.subjectID, "withdrawn_at": "2026-03-02T10:01:00Z", "withdrawn_by": "oscar"}}
	if !reflect.DeepEqual(v["conditions"], wantCondition) {
		t.Errorf("conditions after the withdrawal\n %v\nwant\n %v", v["conditions"], wantCondition)
	}
	if got := e.Must(200, "GET", p, olive, nil)["conditions"]; !reflect.DeepEqual(got, wantCondition) {
		t.Errorf("conditions read back\n %v\nwant\n %v", got, wantCondition)
	}
	var audited []string
	if err := e.DB.Select(&audited, `SELECT actor || ' ' || detail::text FROM audit_log WHERE action = 'investigation.condition.withdrawn' AND subject = $1`, f.id); err != nil {
		t.Fatal(err)
	}
	wantAudit := `oscar {"condition": "consent", "person_id": "` + f.subjectID + `", "recipient": "` + support + `", "withdrawn": ["consent"]}`
	if len(audited) != 1 || audited[0] != wantAudit {
		t.Errorf("audited %q, want %q", audited, wantAudit)
	}
	event := testkit.Decode(t, domainEvents.WaitFor(t, 1)[0])
	if event["type"] != "condition.withdrawn" || event["recipient"] != support || event["investigation_id"] != f.id {
		t.Errorf("domain event %v", event)
	}
	testkit.Eventually(t, 10*time.Second, "status event", func() (bool, string) {
		for _, m := range statusEvents.All() {
			if testkit.Decode(t, m)["change"] == "condition.withdrawn" {
				return true, ""
			}
		}
		return false, testkit.Subjects(statusEvents.All())
	})
	testkit.NoPersonalData(t, "the withdrawal's events", append(domainEvents.All(), statusEvents.All()...), "Sam Subject", "agreed on the phone")

	// The next referral is refused as the notice refuses one with no consent, and writes nothing.
	before := e.rowCounts()
	r := e.Call("POST", p+"/referrals", olive, refer)
	problem := testkit.ProblemOf(t, r, 403, httpserver.TypeDisclosureRefused)
	if want := "Noise case data is shared with commissioned services and support services, including charities only with the recorded consent of the person the data is about; none is recorded."; problem["detail"] != want {
		t.Errorf("refusal %q, want %q", problem["detail"], want)
	}
	e.unchanged("the referral after the withdrawal", before)
	var logged []string
	if err := e.DB.Select(&logged, `SELECT id::text FROM disclosure_log WHERE case_id = $1`, f.id); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(logged, []string{first["id"].(string)}) {
		t.Errorf("disclosure log %v, want the referral made before the withdrawal, %v", logged, first["id"])
	}

	// Refusals, each changing nothing.
	e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "request 42"})
	before = e.rowCounts()
	for _, c := range []struct {
		name, path string
		status     int
		rule       string
		detail     string
	}{
		{"a second withdrawal", withdrawPath(f.id, support, "consent", f.subjectID), 409, "no_consent",
			"no consent of person " + f.subjectID + " to share with " + support + " stands: it is already withdrawn"},
		{"a consent the witness never gave", withdrawPath(f.id, support, "consent", f.witnessID), 404, "",
			"no consent of person " + f.witnessID + " to share with " + support + " on this investigation"},
		{"an explicit consent never given", withdrawPath(f.id, support, "explicit_consent", f.subjectID), 404, "",
			"no explicit consent of person " + f.subjectID + " to share with " + support + " on this investigation"},
		{"a police request", withdrawPath(f.id, "kent-police", "crime_prevention", ""), 409, "condition_not_consent",
			"crime prevention is not a consent: it holds for the case, by no one's consent, so it cannot be withdrawn; only a consent or an explicit consent can"},
		{"a public task", withdrawPath(f.id, "publication-service", "public_task", ""), 409, "condition_not_consent",
			"public task is not a consent: it holds for the case, by no one's consent, so it cannot be withdrawn; only a consent or an explicit consent can"},
		{"a legal obligation", withdrawPath(f.id, "central-government", "legal_obligation", ""), 409, "condition_not_consent",
			"legal obligation is not a consent: it holds for the case, by no one's consent, so it cannot be withdrawn; only a consent or an explicit consent can"},
	} {
		r := e.Call("DELETE", c.path, olive, nil)
		typ := httpserver.TypeConflict
		if c.status == 404 {
			typ = httpserver.TypeNotFound
		}
		problem := testkit.ProblemOf(t, r, c.status, typ)
		if problem["detail"] != c.detail || c.rule != "" && problem["rule"] != c.rule {
			t.Errorf("%s: %s\nwant detail %q rule %q", c.name, r.Body, c.detail, c.rule)
		}
		e.unchanged(c.name, before)
	}
	for _, c := range []struct{ name, path, parameter, detail string }{
		{"no person named", withdrawPath(f.id, support, "consent", ""), "person_id", "is required: a consent is a person's own; name the person withdrawing it"},
		{"no one on the case named", withdrawPath(f.id, support, "consent", "nobody"), "person_id", "is not a person on this investigation"},
	} {
		r := e.Call("DELETE", c.path, olive, nil)
		problem := testkit.ProblemOf(t, r, 400, httpserver.TypeValidation)
		if want := []any{map[string]any{"parameter": c.parameter, "detail": c.detail}}; !reflect.DeepEqual(problem["errors"], want) {
			t.Errorf("%s: %s\nwant errors %v", c.name, r.Body, want)
		}
		e.unchanged(c.name, before)
	}
	r = e.Call("DELETE", withdrawPath(f.id, support, "whim", f.subjectID), olive, nil)
	if problem := testkit.ProblemOf(t, r, 400, httpserver.TypeValidation); len(problem["errors"].([]any)) != 1 ||
		problem["errors"].([]any)[0].(map[string]any)["parameter"] != "condition" {
		t.Errorf("an unknown condition: %s", r.Body)
	}
	e.unchanged("an unknown condition", before)
	police := e.Must(200, "GET", p, olive, nil)["conditions"].([]any)[1].(map[string]any)
	if _, withdrawn := police["withdrawn_at"]; withdrawn {
		t.Errorf("the police request was withdrawn: %v", police)
	}

	// Consent given again is recorded anew, the withdrawn one kept, and serves a referral again.
	e.Clock.Advance(time.Minute)
	v = e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": support, "condition": "consent", "person_id": f.subjectID, "reason": "asked again"})
	if conditions := v["conditions"].([]any); len(conditions) != 3 || conditions[0].(map[string]any)["withdrawn_at"] != "2026-03-02T10:01:00Z" ||
		conditions[2].(map[string]any)["withdrawn_at"] != nil {
		t.Errorf("conditions after consent given again: %v", conditions)
	}
	second := e.Must(201, "POST", p+"/referrals", olive, refer)
	if normal(t, second["data"]) != normal(t, want) {
		t.Errorf("on consent given again the support services received\n %s", normal(t, second["data"]))
	}
}

// Withdrawing consent withdraws the person's explicit consent too, as that is consent as well:
// nothing goes on either. Withdrawing only the explicit consent keeps plain consent, so the
// ordinary data goes again and the special category data is withheld.
func TestWithdrawingConsentWithdrawsTheExplicitConsentToo(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "domestic_abuse", "", map[string]any{"assigned_officers": []any{"olive"}})
	p := "/investigations/" + f.id
	special := e.Must(200, "POST", p+"/special-category-data", olive, map[string]any{"category": "health", "details": "Diabetes", "person_id": f.subjectID})["special"].([]any)
	healthID := special[len(special)-1].(map[string]any)["id"]
	record := func(condition string) {
		e.Must(200, "POST", p+"/conditions", olive, map[string]any{"recipient": support, "condition": condition, "person_id": f.subjectID, "reason": "signed the form"})
	}
	refer := map[string]any{"recipient": support, "purpose": "support_referral"}
	people := []any{pick(subject, f.subjectID, "name", "address", "phone", "email", "date_of_birth")}

	record("consent")
	record("explicit_consent")
	got := e.Must(201, "POST", p+"/referrals", olive, refer)
	want := map[string]any{"people": people, "matter": matter, "health": []any{map[string]any{"id": healthID, "details": "Diabetes", "person_id": f.subjectID}}}
	if normal(t, got["data"]) != normal(t, want) {
		t.Fatalf("on explicit consent\n %s\nwant\n %s", normal(t, got["data"]), normal(t, want))
	}
	v := e.Must(200, "DELETE", withdrawPath(f.id, support, "consent", f.subjectID), olive, nil)
	for i, k := range v["conditions"].([]any) {
		if k.(map[string]any)["withdrawn_at"] != "2026-03-02T10:00:00Z" {
			t.Errorf("condition %d stands after the consent was withdrawn: %v", i, k)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'investigation.condition.withdrawn' AND detail->'withdrawn' = '["consent", "explicit_consent"]'`); n != 1 {
		t.Errorf("%d audited withdrawals name both conditions, want 1", n)
	}
	before := e.rowCounts()
	testkit.ProblemOf(t, e.Call("POST", p+"/referrals", olive, refer), 403, httpserver.TypeDisclosureRefused)
	r := e.Call("DELETE", withdrawPath(f.id, support, "explicit_consent", f.subjectID), olive, nil)
	if testkit.ProblemOf(t, r, 409, httpserver.TypeConflict)["rule"] != "no_consent" {
		t.Errorf("explicit consent withdrawn with the consent, withdrawn again: %s", r.Body)
	}
	e.unchanged("the refusals after the consent was withdrawn", before)

	record("consent")
	record("explicit_consent")
	e.Must(200, "DELETE", withdrawPath(f.id, support, "explicit_consent", f.subjectID), olive, nil)
	got = e.Must(201, "POST", p+"/referrals", olive, refer)
	withheld := []any{"health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation"}
	if !reflect.DeepEqual(got["withheld"], withheld) {
		t.Errorf("withheld %v, want the special categories %v: the explicit consent was withdrawn", got["withheld"], withheld)
	}
	if want := map[string]any{"people": people, "matter": matter}; normal(t, got["data"]) != normal(t, want) {
		t.Errorf("on the consent left standing\n %s\nwant\n %s", normal(t, got["data"]), normal(t, want))
	}
}
