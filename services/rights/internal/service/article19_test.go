package service_test

import (
	"strconv"
	"strings"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// notARecipient is a recipient the rights notice does not name, so it may not be sent an
// Article 19 notice: the DPO must act on it.
const notARecipient = "old-contractor-ltd"

// An erased record was once disclosed to a recipient the rights notice does not name: no
// notice is sent, the request shows the notice's reason, acknowledging it is refused, and
// casework_disclosures_refused_total counts the one refusal once.
func TestArticle19RefusedByTheNoticeIsCountedOnce(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	rec := annsComplaint()
	rec.Disclosures = []rights.Disclosure{{DisclosureID: toLGO, Recipient: notARecipient, Purpose: "contract",
		Categories: []string{"complainant_name"}, DisclosedAt: disclosedAt, NoticeVersion: "2026.11.1"}}
	complaints.add("ann@example.org", rec)
	complaints.serve(t, e)
	investigations.serve(t, e)
	events := e.Collect("RIGHTS_EVENTS", "rights.events.request.article19.>")
	before := refusedArticle19(e)

	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("erasure"))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c-1"}}})
	r := e.waitFor(id, "the erasure", phaseIs("ready"))

	notices := r["article19_notices"].([]any)
	if len(notices) != 1 {
		t.Fatalf("notices %v", notices)
	}
	n := notices[0].(map[string]any)
	const reason = `"old-contractor-ltd" is not a recipient named in the rights notice (version 2026.12.1); nothing may be shared with it.`
	if n["recipient"] != notARecipient || n["sent_at"] != nil || n["refused"] != reason || n["action"] != "erased" ||
		n["original_disclosure_id"] != toLGO || n["acknowledged"] != false {
		t.Errorf("notice %v", n)
	}
	if got := testkit.Subjects(events.WaitFor(t, 1)); got != "rights.events.request.article19.refused_by_notice" {
		t.Errorf("events %s", got)
	}
	if n := e.count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1`, id); n != 0 {
		t.Errorf("%d disclosures logged for a refused notice", n)
	}
	p := testkit.ProblemOf(t, e.Call("POST", "/requests/"+id+"/article19/"+n["id"].(string)+"/acknowledge", e.officer(), nil),
		409, "https://casework.dev/problems/conflict")
	if p["rule"] != "notice_not_sent" {
		t.Errorf("acknowledging a notice not sent: %v", p)
	}
	if got := refusedArticle19(e) - before; got != 1 {
		t.Errorf("casework_disclosures_refused_total rose by %d for one refusal, want 1", got)
	}
}

// refusedArticle19 reads casework_disclosures_refused_total for a recipient the rights
// notice does not name from the service's /metrics.
func refusedArticle19(e *env) int {
	e.T.Helper()
	const series = `casework_disclosures_refused_total{reason="not_a_recipient",recipient="unlisted",service="rights"} `
	body := string(e.Call("GET", "/metrics", "", nil).Body)
	for line := range strings.Lines(body) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), series); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				e.T.Fatalf("%s%s: %v", series, v, err)
			}
			return n
		}
	}
	return 0
}
