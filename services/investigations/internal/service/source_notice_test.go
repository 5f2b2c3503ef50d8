package service_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// What the community protection notice (shared/notices-source/maidstone-community-protection.txt),
// and the corporate privacy notice it defers to for rights and sources, state that the
// notice file once left out, restated here from the sources rather than from the YAML.

// sourceCollectedFrom: "A majority of the information the Council collects is provided by
// you as the data subject, however we may receive information about you from third
// parties, or collect it via CCTV" (corporate), as it reaches this service: the evidence
// others supply and officers' body worn camera footage (community protection).
var sourceCollectedFrom = []string{
	"you, when you report a matter to us or contact us about one",
	"other people involved in the matter, such as the person who reported it and witnesses, and the evidence they supply",
	"partner organisations and other third parties",
	"CCTV and our officers' body worn cameras",
}

// sourceRightsNotes: "Your rights", "How to complain" and "Your obligations".
var sourceRightsNotes = []string{
	"There is no charge for exercising your rights. We normally have to comply when you tell us you want to exercise them; there are some legal exemptions, and we will explain one if it applies to your request. We may refuse a request, or make a reasonable charge, if it is manifestly unfounded or excessive.",
	"Before we deal with a request about your rights we may ask you for proof of your identity. Once we have it we deal with the request as soon as possible, and respond within one calendar month in most cases.",
	"If you are not happy with how we are processing your personal data, you can complain to us using the contact details in this notice. If you are still unhappy after contacting us, you can contact the Information Commissioner's Office.",
	"Please tell us if your personal data changes while you are using our services, so that the data we hold about you is kept up to date and accurate.",
}

const (
	websiteLabel = "a better experience on our website and more relevant online advertising"
	websiteWords = "We also use cookies and other analytic technologies to give you a better experience on our website and to improve " +
		"the relevance of online advertising you see. For more information, please see our cookie notice."
	automatedWords = "Automated decision making and profiling - if you believe we have made an automated decision about you, you may ask us to review that decision."
)

// TestNoticeStatesTheSourcesItOnceLeftOut: where the data comes from (an access answer says
// it), the website cookies use with its basis, the corporate notice's right about automated
// decisions, and how rights requests are handled: free, proof of identity, one calendar
// month, complaints to the council then the ICO, and the person's duty to tell us of changes.
func TestNoticeStatesTheSourcesItOnceLeftOut(t *testing.T) {
	n, _, err := serviceNotice()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(n.CollectedFrom, sourceCollectedFrom) {
		t.Errorf("collected from\n got %q\nwant %q", n.CollectedFrom, sourceCollectedFrom)
	}
	p, ok := n.Purpose("website_experience")
	if !ok || p.Label != websiteLabel || p.Basis != "consent" || p.Words != websiteWords {
		t.Errorf("website purpose %+v (found %v)", p, ok)
	}
	var rights []string
	for _, r := range n.Rights {
		rights = append(rights, r.ID)
		if r.ID == "automated_decisions" && r.Words != automatedWords {
			t.Errorf("automated decisions: %q", r.Words)
		}
	}
	// Portability is not offered: nothing about a case rests on consent or a contract (Art 20(1)).
	if want := []string{"informed", "access", "rectification", "erasure", "restriction", "objection", "automated_decisions"}; !slices.Equal(rights, want) {
		t.Errorf("rights %v, want %v", rights, want)
	}
	for _, note := range sourceRightsNotes {
		if !slices.Contains(n.Notes, note) {
			t.Errorf("notes lack %q", note)
		}
	}

	// The notice the service serves says all of it.
	e := newEnv(t)
	rendered := string(testkit.Call(t, e.Server.URL, "GET", "/notice", "", nil).Body)
	want := []string{
		"Version 2026.11.2.",
		"We collect it when you:\n\n- " + strings.Join(sourceCollectedFrom, "\n- ") + "\n\nWe hold:\n",
		"### A better experience on our website and more relevant online advertising\n\n" + websiteWords +
			"\n\nLawful basis: consent (UK GDPR Article 6(1)(a)).\n",
		"- " + automatedWords + "\n",
	}
	for _, note := range sourceRightsNotes {
		want = append(want, "- "+note+"\n")
	}
	for _, w := range want {
		if !strings.Contains(rendered, w) {
			t.Errorf("GET /notice lacks %q", w)
		}
	}

	// Nothing goes to anyone for the website: every recipient is refused, in the notice's
	// words for the purpose, and nothing is published.
	share := e.Collect("INVESTIGATIONS_SHARE", "share.>")
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	for _, tc := range []struct{ recipient, detail string }{
		{"kent-police", "The investigations notice names Kent Police only for the prevention and detection of crime and interagency initiatives and the Maidstone Task Force, not for " + websiteLabel + "."},
		{"central-government", "The investigations notice names our parent department(s) in central government only for our parent departments' statutory functions in central government, not for " + websiteLabel + "."},
		{"goodwin-pest-management", "The investigations notice names Goodwin Pest Management only for having a contractor carry out work for us in a particular area, not for " + websiteLabel + "."},
	} {
		res := e.Call("POST", "/investigations/"+f.id+"/referrals", officer, map[string]any{"recipient": tc.recipient, "purpose": "website_experience"})
		if res.Status != 403 || res.JSON(t)["detail"] != tc.detail {
			t.Errorf("%s for the website: %d %s\nwant 403 %s", tc.recipient, res.Status, res.Body, tc.detail)
		}
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log`); n != 0 {
		t.Errorf("%d disclosures logged for the website purpose", n)
	}
	e.WaitRelayed(t)
	if got := share.All(); len(got) != 0 {
		t.Errorf("published %s", testkit.Subjects(got))
	}
}
