package service_test

import (
	"reflect"
	"strings"
	"testing"
)

// An officer's finding that the welfare team needs the debtor's data, health data included,
// is the notice's recorded_necessity condition: it must say why (a few words at least), it
// needs a vulnerability recorded on the case, and it is kept with the case (who, when, why),
// shown to staff on the case and in the disclosure log, never to the client, never on an
// event, the audit trail or a log.
func TestWelfareNecessityIsRecordedWithTheCase(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-N1", 100000)
	officer := e.officer()
	reason := "Debtor told the agent they cannot cope and have no food; welfare team to call within two days."
	body := map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": reason}

	// No vulnerability recorded: refused with the rule, nothing changed.
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/disclosures", officer, body), 409, "conflict")
	ref := e.reference(id)
	if p["rule"] != "no_vulnerability_recorded" ||
		p["detail"] != ref+" records no vulnerability: flag it before the welfare team is given health data on a finding of necessity" {
		t.Fatalf("without a vulnerability: %v", p)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("the refused disclosure changed the database")
	}

	e.Must(200, "POST", "/cases/"+id+"/vulnerability", officer, map[string]any{"nature": nature})
	// A finding of no substance is refused at /necessity and changes nothing.
	before = e.snapshot()
	for _, thin := range []string{"x", "at risk", "needs help now please", strings.Repeat("word ", 401)} {
		p := problemOf(t, e.Call("POST", "/cases/"+id+"/disclosures", officer,
			map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": thin}), 400, "validation")
		if got := pointersOf(p); !reflect.DeepEqual(got, []string{"/necessity"}) {
			t.Fatalf("necessity %.20q: pointers %v", thin, got)
		}
	}
	// A finding is for the welfare team only.
	p = problemOf(t, e.Call("POST", "/cases/"+id+"/disclosures", officer,
		map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client", "necessity": reason}), 400, "validation")
	if got := pointersOf(p); !reflect.DeepEqual(got, []string{"/necessity"}) {
		t.Fatalf("necessity for a client council: pointers %v", got)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused finding changed the database")
	}

	d := e.Must(201, "POST", "/cases/"+id+"/disclosures", officer, body)
	if d["condition"] != "recorded_necessity" {
		t.Fatalf("disclosure %v", d)
	}
	wantFinding := map[string]any{"disclosure_id": d["id"], "recipient": "welfare-team", "found_by": "olive",
		"found_at": "2026-03-02T10:00:00Z", "reason": reason}
	c := e.Must(200, "GET", "/cases/"+id, e.manager(), nil)
	if got := c["necessity_findings"]; !reflect.DeepEqual(got, []any{wantFinding}) {
		t.Fatalf("findings on the case:\n got %v\nwant %v", got, []any{wantFinding})
	}
	log := e.Must(200, "GET", "/cases/"+id+"/disclosures", e.manager(), nil)["items"].([]any)
	wantNecessity := map[string]any{"found_by": "olive", "found_at": "2026-03-02T10:00:00Z", "reason": reason}
	if len(log) != 1 || !reflect.DeepEqual(log[0].(map[string]any)["necessity"], wantNecessity) {
		t.Fatalf("disclosure log %v", log)
	}
	if n := e.Count(`SELECT count(*) FROM debt_necessity_findings WHERE case_id = $1 AND disclosure_id = $2 AND found_by = 'olive'`, id, d["id"]); n != 1 {
		t.Fatalf("%d findings stored", n)
	}
	// The client never sees it.
	client := e.Call("GET", "/cases/"+id, e.client("maidstone-council-tax"), nil)
	if client.Status != 200 || strings.Contains(string(client.Body), "necessity") || strings.Contains(string(client.Body), "cannot cope") {
		t.Fatalf("the client's view: %d %s", client.Status, client.Body)
	}
	// Its words stay out of the audit trail, the outbox (but the welfare team's own message) and the log.
	e.noPersonalValueOutsideTheCase(t, nil, "cannot cope", "no food", "within two days")
}
