package notice

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Each refusal the engine makes is one count under the service, the recipient the notice
// names (or "unlisted": what was asked for may be anyone's name) and the reason's code;
// an allowed disclosure counts nothing here (the relay counts it as published).
func TestRefusalsAreCountedByServiceRecipientAndReasonCode(t *testing.T) {
	reg := prometheus.NewRegistry()
	n, err := LoadFile("testdata/sample.yaml", WithRegisterer(reg))
	if err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		req  Request
		want RefusalReason
	}{
		{Request{Recipient: "Ada Lovelace", Purpose: "investigation"}, RefusedNotARecipient},
		{Request{Recipient: "kent-police", Purpose: "marketing"}, RefusedUnknownPurpose},
		{Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "rats"}, RefusedUnknownCaseType},
		{Request{Recipient: "goodwin-pest-management", Purpose: "crime", CaseType: "vermin_and_pest_control"}, RefusedNotForPurpose},
		{Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "noise"}, RefusedOutsideCaseTypes},
		{Request{Recipient: "ombudsman", Purpose: "investigation", Scope: "stage_1", Recorded: []string{"complainant_request"}}, RefusedOutsideScope},
		{Request{Recipient: "kent-police", Purpose: "crime"}, RefusedConditionNotRecorded},
		{Request{Recipient: "kent-police", Purpose: "crime"}, RefusedConditionNotRecorded},
		{Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"crime_prevention"}, Categories: []string{"health"}}, RefusedCategoriesNotAllowed},
	}
	for _, r := range refusals {
		if d := n.Decide(r.req); d.Allowed || d.Refusal != r.want {
			t.Errorf("%+v: allowed %v, refusal %q; want refused as %q", r.req, d.Allowed, d.Refusal, r.want)
		}
	}
	if d := n.Decide(Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"crime_prevention"}}); !d.Allowed || d.Refusal != "" {
		t.Fatalf("allowed disclosure: %+v", d)
	}

	want := `
# HELP casework_disclosures_refused_total Disclosures a service's privacy notice refused, by service, recipient ("unlisted" when the notice names none such) and reason code.
# TYPE casework_disclosures_refused_total counter
casework_disclosures_refused_total{reason="categories_not_allowed",recipient="kent-police",service="investigations"} 1
casework_disclosures_refused_total{reason="condition_not_recorded",recipient="kent-police",service="investigations"} 2
casework_disclosures_refused_total{reason="not_a_recipient",recipient="unlisted",service="investigations"} 1
casework_disclosures_refused_total{reason="not_for_purpose",recipient="goodwin-pest-management",service="investigations"} 1
casework_disclosures_refused_total{reason="outside_case_types",recipient="goodwin-pest-management",service="investigations"} 1
casework_disclosures_refused_total{reason="outside_scope",recipient="ombudsman",service="investigations"} 1
casework_disclosures_refused_total{reason="unknown_case_type",recipient="goodwin-pest-management",service="investigations"} 1
casework_disclosures_refused_total{reason="unknown_purpose",recipient="kent-police",service="investigations"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "casework_disclosures_refused_total"); err != nil {
		t.Fatal(err)
	}
}

// The refusals the sample notice cannot show: a fact that holds back all that would go, a
// rule limited to another occasion, and a scope or occasion the notice does not know.
func TestRefusalReasonsOfWithholdingAndOccasions(t *testing.T) {
	n, err := LoadFile("testdata/sharing.yaml", WithRegisterer(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		req  Request
		want RefusalReason
	}{
		{Request{Recipient: "subject", Purpose: "investigation", Recorded: []string{"recorded_necessity"}, Facts: []string{"anonymity_requested"},
			Categories: []string{"reporter_identity"}}, RefusedWithheld},
		{Request{Recipient: "ombudsman", Purpose: "ombudsman", Categories: []string{"name"}}, RefusedOtherOccasion},
		{Request{Recipient: "dog-warden", Purpose: "investigation", CaseType: "dogs", Scope: "lost"}, RefusedUnknownScope},
		{Request{Recipient: "ombudsman", Purpose: "ombudsman", Occasion: "birthday"}, RefusedUnknownOccasion},
	} {
		if d := n.Decide(r.req); d.Allowed || d.Refusal != r.want {
			t.Errorf("%+v: allowed %v, refusal %q; want refused as %q", r.req, d.Allowed, d.Refusal, r.want)
		}
	}
}
