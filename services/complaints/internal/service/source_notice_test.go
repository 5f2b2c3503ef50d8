package service_test

import (
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
)

// What the Stage 1, Stage 2 and Stage 3 (Local Government Ombudsman) service notices
// (shared/notices-source/maidstone-service-notices.txt), and the corporate privacy notice the
// complaints notice takes the Information Commissioner's contact from, say that the notice
// once left out, restated here from the sources rather than from the YAML.

// sourceComplaintsNotes: "Keeping your data up to date" and "What security precautions in
// place to protect the loss, misuse or alteration of your information?", in each of the
// three stage notices.
var sourceComplaintsNotes = []string{
	"Please tell us promptly of any change to the information we hold about you, so that it stays accurate.",
	"We take reasonable and appropriate steps, with physical, electronic and managerial procedures, to protect your personal information from unauthorised access, loss, misuse, alteration or corruption.",
}

// sourceICOPhone: the stage notices' "0303 123 1113 (local rate) or 01625 545 745 if you
// prefer to use a national rate number", and the corporate notice's "Fax: 01625 524 510".
const sourceICOPhone = "0303 123 1113 (local rate) or 01625 545 745 (national rate); fax 01625 524 510"

// TestComplaintsNoticeStatesWhatTheSourcesSay: the notice the service enforces and serves
// carries the stage notices' duty to keep data up to date, their security statement and the
// Information Commissioner's full contact details.
func TestComplaintsNoticeStatesWhatTheSourcesSay(t *testing.T) {
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
	for _, note := range sourceComplaintsNotes {
		if !slices.Contains(n.Notes, note) {
			t.Errorf("notes lack %q", note)
		}
	}
	if ico := n.SupervisoryAuthority; ico.Phone != sourceICOPhone || ico.Email != "casework@ico.org.uk" ||
		ico.Address != "Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF" {
		t.Errorf("ICO %+v", ico)
	}

	e := newEnv(t)
	rendered := string(testkit.Call(t, e.Server.URL, "GET", "/notice", "", nil).Body)
	want := []string{"Version 2026.11.3.", "- Phone: " + sourceICOPhone + "\n"}
	for _, note := range sourceComplaintsNotes {
		want = append(want, "- "+note+"\n")
	}
	for _, w := range want {
		if !strings.Contains(rendered, w) {
			t.Errorf("GET /notice lacks %q", w)
		}
	}
}
