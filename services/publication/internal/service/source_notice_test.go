package service_test

import (
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// What the source the publication notice rests on (Tonbridge and Malling's "Use of personal
// data in connection with enforcement action - publication of sentencing outcomes",
// shared/notices-source/tmbc-how-we-use-your-information.txt) and the controller's own notices
// (Maidstone's corporate privacy notice and service notices) say that the notice once left
// out, restated here from the sources rather than from the YAML.

const (
	// "the council will consider publishing details of successful prosecutions, including the
	// offender's name and location, in all cases" and "It is important in maintaining
	// transparency that the general public are kept informed of action which the council takes."
	sourceNameAndLocation = "we consider publishing every successful prosecution, including the offender's name and location (the town they live in)."
	sourceTransparency    = "Keeping the public informed of the action we take also maintains transparency."
	// Maidstone's DPO by name, and how to ask for her by phone (corporate notice).
	sourceDPOName  = "Angela Woodhouse, Data Protection Officer"
	sourceDPOPhone = "01622 602000 (ask to speak to the Data Protection Officer)"
	// The Information Commissioner's numbers (service notices; corporate: "Fax: 01625 524 510")
	// and email (corporate: "Email: casework@ico.org.uk").
	sourceICOPhone = "0303 123 1113 (local rate) or 01625 545 745 (national rate); fax 01625 524 510"
	sourceICOEmail = "casework@ico.org.uk"
)

// TestPublicationNoticeStatesWhatTheSourcesSay: the notice the service enforces and serves
// says why the council publishes (deterrence and transparency), what (name and location), and
// gives the controller's data protection officer and the Information Commissioner as the
// controller's notices do.
func TestPublicationNoticeStatesWhatTheSourcesSay(t *testing.T) {
	raw, err := contracts.Notice(service.Name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if n.Version != "2026.11.3" {
		t.Errorf("version %s: a changed notice needs a new version", n.Version)
	}
	p, ok := n.Purpose("publication_decision")
	if !ok || !strings.HasPrefix(p.Words, "Deterrence is an important part of our regulatory and enforcement work, so "+sourceNameAndLocation+" "+sourceTransparency+" ") {
		t.Errorf("publication_decision words %q", p.Words)
	}
	if dpo := n.Controller.DPO; dpo.Name != sourceDPOName || dpo.Phone != sourceDPOPhone || dpo.Email != "dataprotectionofficer@maidstone.gov.uk" {
		t.Errorf("DPO %+v", dpo)
	}
	if ico := n.SupervisoryAuthority; ico.Phone != sourceICOPhone || ico.Email != sourceICOEmail || ico.Website != "https://ico.org.uk" {
		t.Errorf("ICO %+v", ico)
	}

	e := newEnv(t)
	rendered := string(testkit.Call(t, e.Server.URL, "GET", "/notice", "", nil).Body)
	for _, w := range []string{"Version 2026.11.3.", sourceNameAndLocation + " " + sourceTransparency,
		"## Contacting the Data Protection Officer\n\n- " + sourceDPOName + "\n", "- Phone: " + sourceDPOPhone + "\n",
		"- Phone: " + sourceICOPhone + "\n- Email: " + sourceICOEmail + "\n"} {
		if !strings.Contains(rendered, w) {
			t.Errorf("GET /notice lacks %q", w)
		}
	}
}
