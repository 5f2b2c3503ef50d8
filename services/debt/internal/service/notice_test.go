package service_test

import (
	"reflect"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
)

// A purpose the notice says is done only with the debtor's consent (every recipient's rule
// for it is on the condition consent) rests on consent as its lawful basis (UK GDPR Art
// 6(1)(a)), not on a legal obligation: passing details to a debt advice agency is one. The
// rendered notice says so.
func TestConsentOnlyPurposesRestOnConsent(t *testing.T) {
	data, err := contracts.Notice("debt")
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	conditions := map[string]map[string]bool{} // purpose -> the conditions it is shared on
	for _, r := range n.Recipients {
		for _, g := range r.Rules {
			for _, p := range g.Purposes {
				if conditions[p] == nil {
					conditions[p] = map[string]bool{}
				}
				conditions[p][g.Condition] = true
			}
		}
	}
	for _, p := range n.Purposes {
		if c := conditions[p.ID]; len(c) == 1 && c["consent"] && p.Basis != "consent" {
			t.Errorf("purpose %s is shared only on consent but its basis is %s", p.ID, p.Basis)
		}
	}
	if p, _ := n.Purpose("debt_advice"); p.Basis != "consent" {
		t.Errorf("debt_advice: basis %s", p.Basis)
	}

	e := newEnv(t)
	rendered := string(testkit.Call(t, e.Server.URL, "GET", "/notice", "", nil).Body)
	want := "### Putting you in touch with free debt advice\n\nWith your consent we pass your details to a debt advice agency so they can help you.\n\n" +
		"Lawful basis: consent (UK GDPR Article 6(1)(a)).\n"
	if !strings.Contains(rendered, want) {
		t.Fatalf("GET /notice does not state debt advice's basis as consent:\n%s", rendered)
	}
}

// TestNoticeCarriesTheMidKentSource restates the Mid Kent Enforcement "Recovery of debt"
// notice (shared/notices-source/mid-kent-enforcement-debt-recovery.txt) and checks the
// notice file says the same: the ten kinds of information collected (health/disability the
// only special category), the legal obligation the enforcement rests on and each use the
// notice lists, a retention of 6+1 years (six whole years from closure, which the service
// counts from the end of the year of closure: a single rule), the rights it
// lists with deletion refusable for a lawful reason, and no automated decisions. Objection
// (Art 21(1)) is not offered because no purpose rests on public task or legitimate
// interests; the restriction right says so in words.
func TestNoticeCarriesTheMidKentSource(t *testing.T) {
	data, err := contracts.Notice("debt")
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	source := []struct{ id, label string }{{"debtor_name", "name"}, {"debtor_address", "address"}, {"debtor_phone", "phone number"},
		{"debtor_email", "email address"}, {"gender", "gender"}, {"health_disability", "health or disability"},
		{"financial_information", "financial information"}, {"court_proceedings", "court proceedings"}, {"employment", "employment"},
		{"vehicle_registration", "vehicle registration"}}
	for i, c := range n.Categories[:len(source)] {
		if c.ID != source[i].id || !strings.HasPrefix(c.Label, source[i].label) || c.Special() != (c.ID == "health_disability") {
			t.Errorf("category %d: %s %q special %v, want %s %q", i, c.ID, c.Label, c.Special(), source[i].id, source[i].label)
		}
	}
	if len(n.Categories) != len(source)+1 || n.Categories[len(source)].ID != "case_record" || n.Categories[len(source)].Special() {
		t.Errorf("categories beyond the source's ten: %+v", n.Categories[len(source):])
	}
	for id, basis := range map[string]string{"debt_recovery": "legal_obligation", "audit_and_quality": "legal_obligation",
		"satisfaction_surveys": "legal_obligation", "service_planning": "legal_obligation", "premises_security": "legal_obligation",
		"website_experience": "consent", "marketing": "consent"} {
		if p, ok := n.Purpose(id); !ok || p.Basis != basis {
			t.Errorf("purpose %s: found %v basis %q, want %s", id, ok, p.Basis, basis)
		}
	}
	if len(n.Retention) != 1 || n.Retention[0].AppliesTo != "case" || n.Retention[0].Keep != "6y" || n.Retention[0].From != "closure" ||
		n.Retention[0].When != "" || n.Retention[0].Unless != "" {
		t.Errorf("retention %+v", n.Retention)
	}
	var rights []string
	for _, r := range n.Rights {
		rights = append(rights, r.ID)
	}
	if want := []string{"informed", "access", "rectification", "erasure", "portability", "restriction", "objection", "automated_decisions"}; !reflect.DeepEqual(rights, want) {
		t.Errorf("rights %v, want %v", rights, want)
	}
	// The source lists the right to object; the law gives it here for keeping in touch,
	// direct marketing (UK GDPR Art 21(2)), which the notice says, and no further.
	if p, _ := n.Purpose("marketing"); !p.DirectMarketing || !n.Offers("objection") || !n.ObjectionToMarketingOnly() ||
		!strings.HasPrefix(n.Rights[6].Words, "Right to object - you can object to how your information is used.") ||
		!strings.Contains(n.Rights[6].Words, "our keeping in touch with you about our services, and we stop at once") ||
		n.Rights[7].Words != "Automated decisions - there are no automated decisions in this process." {
		t.Errorf("marketing %+v; objection offered %v; objection %q; automated %q", p, n.Offers("objection"), n.Rights[6].Words, n.Rights[7].Words)
	}
	if got := n.MarketingRecipients(); !reflect.DeepEqual(got, []string{"council-communications"}) {
		t.Errorf("marketing recipients %v", got)
	}
	var grounds []string
	for _, g := range n.ErasureMayBeRefusedFor {
		grounds = append(grounds, g.ID)
	}
	if !reflect.DeepEqual(grounds, []string{"legal_obligation", "legal_claims"}) {
		t.Errorf("erasure grounds %v", grounds)
	}
	if c := n.Controller; c.Phone != "01622 602000" || c.ICORegistration != "Z4752882" || c.DPO.Email != "dataprotectionofficer@maidstone.gov.uk" ||
		!strings.HasSuffix(c.Address, "ME15 6JQ") || n.SupervisoryAuthority.Website != "https://ico.org.uk" {
		t.Errorf("controller %+v, authority %+v", c, n.SupervisoryAuthority)
	}
}
