package service_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// The joint case of referRightsCases: its debtors, and the address they share.
const (
	jointFirst   = "Sam Spouse"
	jointSecond  = "dora  debtor"
	jointAddress = "1 High Street, Maidstone ME14 1AA"
)

// unchanged runs a request that must be refused and fails the test if it wrote anything.
func (e *env) unchanged(what string, request func()) {
	e.T.Helper()
	before := e.snapshot()
	request()
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		e.T.Errorf("%s changed the database:\nbefore %v\nafter  %v", what, before, after)
	}
}

// disclosedIDs are the ids of the disclosures a debtor's subject access answer lists.
func (e *env) disclosedIDs(record string) []string {
	e.T.Helper()
	ids := []string{}
	for _, d := range e.exportOf(record).Disclosures {
		ids = append(ids, d.DisclosureID)
	}
	return ids
}

// The reviewer's scenario: one joint debtor consents to the debt advice agency, and the
// agency is given their name, never the other debtor's. A consent covers only the person
// who gave it (UK GDPR Art 6(1)(a), 7): on a joint case it names its debtor (400 at /debtor
// when it names none, or one the case does not name), a disclosure resting on consent
// carries the consenting debtors' names alone (with the address they share), the log names
// them so that only their subject access answers list it, and a withdrawal ends the
// withdrawing debtor's consent alone. Every refusal changes nothing.
func TestOneJointDebtorsConsentDoesNotShareTheOthersName(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.debt-advice-agency.debt.>")
	_, joint, _ := e.referRightsCases()
	c := "/cases/" + joint
	advice := map[string]any{"recipient": "debt-advice-agency", "purpose": "debt_advice"}

	e.unchanged("a joint case's consent naming no debtor", func() {
		validationAt(t, e.Call("POST", c+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency"}),
			"/debtor", "name the debtor who gives the consent: their position in the case's names, 1 to 2")
	})
	e.unchanged("a consent of a debtor the case does not name", func() {
		validationAt(t, e.Call("POST", c+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 3}),
			"/debtor", "the case names no debtor 3")
	})
	e.unchanged("a disclosure on no consent", func() {
		problemOf(t, e.Call("POST", c+"/disclosures", e.officer(), advice), 403, "disclosure-refused")
	})

	got := e.Must(200, "POST", c+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 1})
	if !reflect.DeepEqual(got["consents"], []any{"debt-advice-agency"}) || !reflect.DeepEqual(got["debtor_consents"],
		[]any{map[string]any{"debtor": float64(1), "recipient": "debt-advice-agency", "given_at": "2026-03-02T10:00:00Z"}}) {
		t.Fatalf("after the first debtor's consent: %v %v", got["consents"], got["debtor_consents"])
	}
	e.unchanged("the same debtor's consent again", func() {
		p := problemOf(t, e.Call("POST", c+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 1}), 409, "conflict")
		if p["rule"] != "consent_exists" {
			t.Errorf("consent again: %v", p)
		}
	})

	// On the first debtor's consent the agency is given their name and the address they
	// share, and not a word of the second debtor.
	first := e.Must(201, "POST", c+"/disclosures", e.officer(), advice)
	msg := share.WaitFor(t, 1)[0]
	data := testkit.Decode(t, msg)["data"].(map[string]any)
	if !reflect.DeepEqual(data["debtor_names"], []any{jointFirst}) || data["address"] != jointAddress {
		t.Fatalf("shared on the first debtor's consent: names %v address %v", data["debtor_names"], data["address"])
	}
	if strings.Contains(strings.ToLower(string(msg.Data())), "dora") {
		t.Fatalf("the second debtor's name went on the first's consent: %s", msg.Data())
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log WHERE id = $1 AND data_subject = $2 AND condition = 'consent'`,
		first["id"], "debtor:"+joint+"/debtor-1"); n != 1 {
		t.Errorf("the disclosure is not logged as the first debtor's")
	}
	if ids := e.disclosedIDs(joint + "/debtor-1"); !slices.Contains(ids, first["id"].(string)) {
		t.Errorf("the first debtor's answer does not list the disclosure on their consent: %v", ids)
	}
	if ids := e.disclosedIDs(joint + "/debtor-2"); slices.Contains(ids, first["id"].(string)) {
		t.Errorf("the second debtor's answer lists the first debtor's disclosure: %v", ids)
	}
	// Each debtor's consents are what they gave: the first's theirs, the second's none.
	if p := e.exportOf(joint + "/debtor-1").Provided; !reflect.DeepEqual(p, map[string]any{"consents": []any{
		map[string]any{"recipient": "debt-advice-agency", "given_on": "2026-03-02"}}}) {
		t.Errorf("the first debtor's consents: %v", p)
	}
	if p := e.exportOf(joint + "/debtor-2").Provided; !reflect.DeepEqual(p, map[string]any{"consents": []any{}}) {
		t.Errorf("the second debtor's consents: %v", p)
	}

	// Both consenting, both names go, logged as the case's debtors'.
	e.Clock.Set(start.Add(time.Hour))
	e.Must(200, "POST", c+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 2})
	both := e.Must(201, "POST", c+"/disclosures", e.officer(), advice)
	if data := testkit.Decode(t, share.WaitFor(t, 2)[1])["data"].(map[string]any); !reflect.DeepEqual(data["debtor_names"], []any{jointFirst, jointSecond}) {
		t.Fatalf("shared on both debtors' consents: %v", data["debtor_names"])
	}
	for _, record := range []string{joint + "/debtor-1", joint + "/debtor-2"} {
		if ids := e.disclosedIDs(record); !slices.Contains(ids, both["id"].(string)) {
			t.Errorf("%s's answer does not list the disclosure on both consents: %v", record, ids)
		}
	}

	// A withdrawal names its debtor too, and ends theirs alone.
	e.unchanged("a joint case's withdrawal naming no debtor", func() {
		p := problemOf(t, e.Call("DELETE", c+"/consents/debt-advice-agency", e.officer(), nil), 400, "validation")
		if want := []any{map[string]any{"parameter": "debtor",
			"detail": "name the debtor who withdraws the consent: their position in the case's names, 1 to 2"}}; !reflect.DeepEqual(p["errors"], want) {
			t.Errorf("errors %v, want %v", p["errors"], want)
		}
	})
	got = e.Must(200, "DELETE", c+"/consents/debt-advice-agency?debtor=1", e.officer(), nil)
	if !reflect.DeepEqual(got["debtor_consents"], []any{map[string]any{"debtor": float64(2), "recipient": "debt-advice-agency",
		"given_at": "2026-03-02T11:00:00Z"}}) {
		t.Fatalf("after the first debtor's withdrawal: %v", got["debtor_consents"])
	}
	e.unchanged("a withdrawal of a consent already withdrawn", func() {
		if p := problemOf(t, e.Call("DELETE", c+"/consents/debt-advice-agency?debtor=1", e.officer(), nil), 409, "conflict"); p["rule"] != "no_consent" {
			t.Errorf("withdrawal again: %v", p)
		}
	})
	e.Must(201, "POST", c+"/disclosures", e.officer(), advice)
	if data := testkit.Decode(t, share.WaitFor(t, 3)[2])["data"].(map[string]any); !reflect.DeepEqual(data["debtor_names"], []any{jointSecond}) {
		t.Fatalf("shared after the first debtor withdrew: %v", data["debtor_names"])
	}
}

// An objection to marketing ends the objecting debtor's consent to the communications team
// alone: the other joint debtor's stands, and the team is given their name only.
func TestAJointDebtorsObjectionEndsTheirOwnMarketingOnly(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.council-communications.debt.>")
	_, joint, _ := e.referRightsCases()
	for _, debtor := range []int{1, 2} {
		e.Must(200, "POST", "/cases/"+joint+"/consents", e.officer(), map[string]any{"recipient": "council-communications", "debtor": debtor})
	}
	for range 2 { // a repeated objection changes nothing
		got := ask[rights.ActionReply](e, rights.Object, rights.RecordsRequest{RequestID: "req-o", RecordIDs: []string{joint + "/debtor-2"}})
		if len(got.Outcomes) != 1 || !got.Outcomes[0].Done || got.Outcomes[0].Effect != rights.EffectMarketingEnded {
			t.Fatalf("object: %+v", got.Outcomes)
		}
	}
	c := e.Must(200, "GET", "/cases/"+joint, e.officer(), nil)
	if !reflect.DeepEqual(c["debtor_consents"], []any{map[string]any{"debtor": float64(1), "recipient": "council-communications",
		"given_at": "2026-03-02T10:00:00Z"}}) {
		t.Fatalf("consents after the second debtor's objection: %v", c["debtor_consents"])
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.marketing.objected'`); n != 1 {
		t.Errorf("%d objections audited, want 1", n)
	}
	e.Must(201, "POST", "/cases/"+joint+"/disclosures", e.officer(), map[string]any{"recipient": "council-communications", "purpose": "marketing"})
	if data := testkit.Decode(t, share.WaitFor(t, 1)[0])["data"].(map[string]any); !reflect.DeepEqual(data["debtor_names"], []any{jointFirst}) {
		t.Fatalf("marketing after the second debtor objected: %v", data["debtor_names"])
	}
}
