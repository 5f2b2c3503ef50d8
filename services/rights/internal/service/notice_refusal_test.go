package service_test

import (
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/service"
)

// A breach report the notice in force does not allow (here one that names the ICO only for
// Article 19 notices) is refused as every disclosure the notice refuses: 403 naming the
// recipient, the purpose and the notice's version, and nothing is reported or logged. It
// was a 500.
func TestBreachReportTheNoticeDoesNotAllowIsRefused(t *testing.T) {
	raw, err := contracts.Notice(service.Name)
	if err != nil {
		t.Fatal(err)
	}
	noReport := testkit.EditedFile(t, "rights.yaml", raw,
		"      - purposes: [breach_report]\n        case_types: [data_breach]\n        condition: legal_obligation\n        categories: [breach_facts, breach_contact]\n", "")
	e := newEnvWithRightsNotice(t, noReport)
	id := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
	e.Must(200, "POST", "/breaches/"+id+"/assessment", e.dpo(), map[string]any{"reportable": true,
		"reason": "Her account of the noise reached the neighbour.", "high_risk": false, "tell_people": false})
	before := e.fingerprint("rights_breaches", "rights_breach_personal_data", "breach_id", id)
	e.RefusesBadInput(t, e.dpo(), []testkit.BadInput{{Name: "a report the notice does not allow", Method: "POST", Path: "/breaches/" + id + "/report",
		Body: map[string]any{"consequences": "c", "measures": "m"}, Status: 403, Problem: "disclosure-refused",
		Check: func(t *testing.T, _ testkit.Response, p map[string]any) {
			if p["recipient"] != "ico" || p["purpose"] != "breach_report" || p["notice_version"] == nil {
				t.Errorf("problem %v", p)
			}
		}}})
	if after := e.fingerprint("rights_breaches", "rights_breach_personal_data", "breach_id", id); after != before {
		t.Errorf("a refused report changed the breach:\n%s\n%s", before, after)
	}
	if n := e.count(`SELECT count(*) FROM disclosure_log`); n != 0 {
		t.Errorf("%d disclosures logged", n)
	}
}
