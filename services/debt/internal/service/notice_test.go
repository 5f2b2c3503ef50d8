package service_test

import (
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
