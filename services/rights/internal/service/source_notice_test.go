package service_test

import (
	"context"
	"encoding/json"
	"html/template"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/rightsreply"
	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/domain"
	"casework.dev/services/rights/internal/service"
)

// What the corporate privacy notice (shared/notices-source/maidstone-corporate-privacy-notice.txt)
// and Tonbridge and Malling's "How we use your information" (tmbc-how-we-use-your-information.txt)
// say about rights, breaches and FOI that the rights notice once left out, restated here from
// the sources rather than from the YAML.

// sourceICOPhone: "Tel: 0303 123 1113", "Fax: 01625 524 510" (corporate), and the service
// notices' national rate number.
const sourceICOPhone = "0303 123 1113 (local rate) or 01625 545 745 (national rate); fax 01625 524 510"

// sourceRightsNotes: "To exercise your rights please contact us by email, telephone or from
// the Council's Website. The council will respond; Free of charge; Within a month" (and the
// extension the service makes, UK GDPR Art 12(3), which the person must be told of within the
// month); "These rights are not absolute but are assessed on a case by case basis, applying
// relevant exemptions"; "you have the right to amend or withdraw your consent at any time ...
// tell us which service you're using"; "How to make a complaint about how your information is
// being used" and "to request a review of the Council's response to your information rights
// requests, you can contact the Information Commissioner's Office".
var sourceRightsNotes = []string{
	"You can exercise your rights by email, by telephone or through the council's website. We answer free of charge and within one month; for a complex request, or a number of requests, we may extend that by up to two further months, and we tell you so, and why, within the first month.",
	"These rights are not absolute; each request is assessed on its own facts, applying the exemptions the law provides, and we tell you which one applies when we rely on it.",
	"Where we use your information on your consent, you may amend or withdraw that consent at any time; tell the Data Protection Officer which service you are using.",
	"If you want to complain about how we use your personal information, contact the Data Protection Officer with as much information as you can. If you are unhappy with how we dealt with your complaint, or want our answer to a request about your information rights reviewed, you can contact the Information Commissioner's Office.",
}

const (
	// "Rights in relation to automated decision making and profiling. If you believe we have
	// made an automated decision about you have the right to ask us to review that decision."
	sourceAutomated = "Automated decisions - if you believe we have made an automated decision about you, you may ask us to review it; there are no automated decisions in these processes."
	// TMBC "Security breach management": investigated without delay, whether the ICO must be
	// told decided, a summary of the incident, its effects and the action taken recorded.
	sourceBreach = "Every breach is investigated without delay: the data protection officer decides whether it must be reported to the Information Commissioner, and we record a summary of what happened, its effects and the action we took."
	// TMBC "Freedom of Information (FOI) and Environmental Information Regulations (EIR)".
	sourceFOI = "When what is asked for includes someone else's personal data, we weigh openness against that person's right to privacy before we release any of it."
	// Corporate "Wherever information is needed solely for general or statistical purposes ...
	// all personal identifiers are removed"; the service notices' "Research & Statistics".
	sourceStatistics = "We may use anonymised or pseudonymised data for research and statistics that fit the reason we collected it. Wherever information is needed only for statistics, we remove every personal identifier, so that it no longer identifies anyone."
)

// TestRightsNoticeStatesWhatTheSourcesSay: the notice the service enforces and serves
// carries the corporate notice's and TMBC's facts about rights, complaints to the ICO,
// breaches, FOI and statistics.
func TestRightsNoticeStatesWhatTheSourcesSay(t *testing.T) {
	raw, err := contracts.Notice(service.Name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if n.Version != "2026.12.1" {
		t.Errorf("version %s: a changed notice needs a new version", n.Version)
	}
	dpo := n.Controller.DPO
	if dpo.Name != "Angela Woodhouse, Data Protection Officer" || dpo.Email != "dataprotectionofficer@maidstone.gov.uk" ||
		dpo.Phone != "01622 602000 (ask to speak to the Data Protection Officer)" {
		t.Errorf("DPO %+v", dpo)
	}
	ico := n.SupervisoryAuthority
	if ico.Address != "Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF" || ico.Phone != sourceICOPhone || ico.Email != "casework@ico.org.uk" {
		t.Errorf("ICO %+v", ico)
	}
	for _, note := range sourceRightsNotes {
		if !slices.Contains(n.Notes, note) {
			t.Errorf("notes lack %q", note)
		}
	}
	var rights []string
	for _, r := range n.Rights {
		rights = append(rights, r.ID)
		if r.ID == "automated_decisions" && r.Words != sourceAutomated {
			t.Errorf("automated decisions: %q", r.Words)
		}
	}
	if want := []string{"informed", "access", "rectification", "erasure", "objection", "restriction", "automated_decisions"}; !slices.Equal(rights, want) {
		t.Errorf("rights %v, want %v", rights, want)
	}
	for id, want := range map[string]string{"breach_handling": sourceBreach, "foi_request": sourceFOI, "statistics": sourceStatistics} {
		if p, ok := n.Purpose(id); !ok || !strings.Contains(p.Words, want) || p.Basis != "public_task" {
			t.Errorf("purpose %s %+v (found %v), want words with %q", id, p, ok, want)
		}
	}
	// Statistics go to no one.
	for _, r := range n.Recipients {
		d := n.Decide(notice.Request{Recipient: r.ID, Purpose: "statistics", CaseType: "rights_request", Recorded: []string{"legal_obligation"}})
		if d.Allowed {
			t.Errorf("%s may receive data for statistics", r.ID)
		}
	}

	e := newEnv(t)
	rendered := string(testkit.Call(t, e.Server.URL, "GET", "/notice", "", nil).Body)
	want := []string{"Version 2026.12.1.", "- Phone: " + sourceICOPhone + "\n", "- " + sourceAutomated + "\n", sourceBreach, sourceFOI,
		"### Research and statistics\n\n" + sourceStatistics + "\n\nLawful basis: official authority / public task"}
	for _, note := range sourceRightsNotes {
		want = append(want, "- "+note+"\n")
	}
	for _, w := range want {
		if !strings.Contains(rendered, w) {
			t.Errorf("GET /notice lacks %q", w)
		}
	}
}

// TestAccessAnswerStatesTheRightsAndWhomToComplainTo: the readable answer to a subject
// access request says, for each service, the rights its notice gives over that data (UK GDPR
// Art 15(1)(e), (h)), and whom to complain to about the answer: the Data Protection Officer,
// then the Information Commissioner's Office, which may review the council's response (Art
// 15(1)(f); the corporate notice). The JSON answer keeps to its contract.
func TestAccessAnswerStatesTheRightsAndWhomToComplainTo(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}}})
	e.waitFor(id, "the export", phaseIs("ready"))

	html := e.Call("GET", "/requests/"+id+"/response.html", e.officer(), nil)
	if html.Status != 200 {
		t.Fatalf("html: %d %s", html.Status, html.Body)
	}
	page := string(html.Body)
	li := func(s string) string { return "<li>" + template.HTMLEscapeString(s) + "</li>" }
	// The complaints notice's rights, as it words them.
	complaintsRights := []string{
		"To be informed - you may know what information we process about you and why; this notice is part of that.",
		"Access - you may ask for a copy of the personal information we hold about you. The right to data portability does not apply to complaints, because we handle them as part of our public task, not on your consent or under a contract; ask for access instead.",
		"Rectification - you may ask us to correct information that is wrong.",
		"Erasure - you may ask us to delete your personal information; we may refuse where we have a lawful reason to keep it, and we will tell you the reason.",
		"Restriction - you may ask us to limit how we use your information.",
		"Objection - you may object to how we use your information now and in future.",
		"Automated decisions - you may challenge a decision made about you without human involvement; no decision in the complaints process is made that way.",
	}
	var section strings.Builder
	section.WriteString("<h4>Your rights over this data</h4><ul>")
	for _, r := range complaintsRights {
		section.WriteString(li(r))
	}
	section.WriteString("</ul>")
	if !strings.Contains(page, section.String()) {
		t.Errorf("the readable answer lacks the complaints notice's rights %q:\n%s", section.String(), page)
	}
	// And the investigations notice's, whatever its engineers word them.
	inv, err := contracts.Notice("investigations")
	if err != nil {
		t.Fatal(err)
	}
	invNotice, err := notice.Load(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range invNotice.Rights {
		if !strings.Contains(page, li(r.Words)) {
			t.Errorf("the readable answer lacks the investigations right %q", r.Words)
		}
	}
	complain := "<h2>If you are unhappy with our answer</h2>\n" +
		"<p>Please tell our Data Protection Officer first:</p><ul>" + li("Angela Woodhouse, Data Protection Officer") +
		li("Address: The Data Protection Officer, Maidstone Borough Council, Maidstone House, King Street, Maidstone, Kent, ME15 6JQ") +
		li("Phone: 01622 602000 (ask to speak to the Data Protection Officer)") + li("Email: dataprotectionofficer@maidstone.gov.uk") + "</ul>\n" +
		"<p>If you are unhappy with how we have dealt with your request, you can ask the " + template.HTMLEscapeString("Information Commissioner's Office") +
		" to review our response:</p><ul>" + li("Information Commissioner's Office") + li("Address: Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF") +
		li("Phone: "+sourceICOPhone) + li("Email: casework@ico.org.uk") + li("Website: https://ico.org.uk") + "</ul>"
	if !strings.Contains(page, complain) {
		t.Errorf("the readable answer lacks whom to complain to:\nwant %s\npage %s", complain, page)
	}

	// The JSON answer is as its contract says: no rights or contacts in it.
	res := e.Must(200, "GET", "/requests/"+id+"/response", e.officer(), nil)
	for _, key := range []string{"dpo", "supervisor", "DPO", "Supervisor"} {
		if _, ok := res[key]; ok {
			t.Errorf("the JSON answer carries %q", key)
		}
	}
	body, _ := json.Marshal(res["services"])
	if strings.Contains(string(body), "Rectification - ") {
		t.Errorf("the JSON answer's services carry the rights: %s", body)
	}
}

// TestBreachReviewFollowsTheNoticesPeriod: a closed breach's record is reviewed after the
// rest of the year plus the years the notice keeps data breach records (10, the Data breach
// notice's "10 years (plus the current year)"); a notice that kept them 7 years would have
// them reviewed three years sooner. The period is the notice's, not the code's.
func TestBreachReviewFollowsTheNoticesPeriod(t *testing.T) {
	raw, err := contracts.Notice(service.Name)
	if err != nil {
		t.Fatal(err)
	}
	seven := testkit.EditedFile(t, "rights.yaml", raw, "  - id: data_breach\n    applies_to: data_breach\n    keep: 10y\n",
		"  - id: data_breach\n    applies_to: data_breach\n    keep: 7y\n")
	for _, tc := range []struct {
		notice, reviewDue string
	}{{"", "2037-01-01"}, {seven, "2034-01-01"}} {
		e := newEnvWithRightsNotice(t, tc.notice)
		id := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
		e.Must(200, "POST", "/breaches/"+id+"/assessment", e.dpo(), map[string]any{"reportable": false,
			"reason": "The letter was returned unopened.", "high_risk": false, "tell_people": false})
		b := e.Must(200, "POST", "/breaches/"+id+"/close", e.dpo(), nil)
		if b["status"] != "closed" || b["review_due"] != tc.reviewDue {
			t.Errorf("notice %q: closed %v, review due %v, want %s", tc.notice, b["status"], b["review_due"], tc.reviewDue)
		}
	}
}

// newEnvWithRightsNotice starts a rights service enforcing the notice file given ("": the
// contract's), asking the usual services.
func newEnvWithRightsNotice(t *testing.T, noticeFile string) *env {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), Clock: calendar.NewManualClock(start), NoticeFile: noticeFile,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			svc, err := service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes), Calendar: cal,
				Services: services, Ask: rightsreply.CallConfig{Timeout: 300 * time.Millisecond, Attempts: 1},
				Retry: domain.Retry{First: time.Minute, Max: 10 * time.Minute}, FanOutInterval: 20 * time.Millisecond})
			if err != nil {
				return nil, err
			}
			e.svc = svc
			return svc, nil
		}})
	return e
}
