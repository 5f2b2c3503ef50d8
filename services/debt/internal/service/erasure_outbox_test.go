package service_test

import (
	"maps"
	"testing"
	"time"

	"casework.dev/contracts/rights"
)

// outboxHolding counts the outbox rows whose message carries text.
func (e *env) outboxHolding(text string) int {
	e.T.Helper()
	return e.Count(`SELECT count(*) FROM watermill_outbox WHERE payload::text LIKE '%' || $1 || '%'`, text)
}

// A case's personal data erased, at the debtor's request or by the retention sweep, its
// disclosures leave the outbox with it: one not yet relayed never goes, and one relayed is
// not kept for a replay to send again. The disclosure log keeps the record of each.
func TestErasureTakesTheDisclosuresOutOfTheOutbox(t *testing.T) {
	e := newEnv(t)
	single, _, other := e.referRightsCases() // "Dora Debtor" and "Eve Other"
	for _, id := range []string{single, other} {
		e.Must(201, "POST", "/cases/"+id+"/disclosures", e.officer(), map[string]any{"recipient": "courts", "purpose": "court_proceedings"})
		e.Must(201, "POST", "/cases/"+id+"/disclosures", e.officer(), map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"})
	}
	e.Must(200, "POST", "/cases/"+single+"/payments", e.officer(), map[string]any{"amount_pence": 132500})
	e.Must(200, "POST", "/cases/"+other+"/return", e.officer(), map[string]any{"reason": "trace_failed"})
	e.WaitRelayed(t)
	for _, name := range []string{"Dora Debtor", "Eve Other"} {
		if e.outboxHolding(name) != 2 {
			t.Fatalf("the disclosures of %q are not in the outbox to begin with", name)
		}
	}

	e.Clock.Set(time.Date(2033, 1, 1, 9, 0, 0, 0, time.UTC))
	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{single}}).Outcomes
	if len(got) != 1 || !got[0].Done {
		t.Fatalf("erase: %+v", got)
	}
	if n := e.outboxHolding("Dora Debtor"); n != 0 {
		t.Errorf("%d outbox rows still hold the name of the debtor erased at their request", n)
	}
	if n := e.outboxHolding("Eve Other"); n != 2 {
		t.Errorf("another case's disclosures left the outbox: %d of 2 held", n)
	}
	if swept := e.sweep(t); swept["retention"] != 1 { // the joint case left open is returned too
		t.Fatalf("swept %v, want the one case due erased", swept)
	}
	if n := e.outboxHolding("Eve Other"); n != 0 {
		t.Errorf("%d outbox rows still hold the name of the debtor the retention sweep erased", n)
	}
	for _, id := range []string{single, other} {
		if n := e.Count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1`, id); n != 2 {
			t.Errorf("the disclosure log lost its record of %s: %d rows of 2", id, n)
		}
	}
}

// One joint debtor erased at their request takes their consents and the case's
// disclosures that may carry their data out of the outbox: those of the case's debtors and
// those on their own consent. Another debtor's own (on that debtor's consent alone) carry
// nothing erased and stay, as does that debtor's consent. The disclosure log keeps all.
func TestErasingOneJointDebtorTakesTheirConsentsAndDisclosures(t *testing.T) {
	e := newEnv(t)
	_, joint, _ := e.referRightsCases()
	c := "/cases/" + joint
	e.Must(200, "POST", c+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 1})
	e.Must(200, "POST", c+"/consents", e.officer(), map[string]any{"recipient": "council-communications", "debtor": 2})
	toClient := e.Must(201, "POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"})
	advice := e.Must(201, "POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "debt-advice-agency", "purpose": "debt_advice"})
	marketing := e.Must(201, "POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "council-communications", "purpose": "marketing"})
	e.Must(200, "POST", c+"/payments", e.officer(), map[string]any{"amount_pence": 57500})
	e.WaitRelayed(t)
	if e.outboxHolding(jointSecond) != 2 || e.outboxHolding(jointFirst) != 2 {
		t.Fatalf("the disclosures are not in the outbox to begin with: %d, %d", e.outboxHolding(jointSecond), e.outboxHolding(jointFirst))
	}

	e.Clock.Set(time.Date(2033, 1, 1, 9, 0, 0, 0, time.UTC))
	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-j", RecordIDs: []string{joint + "/debtor-2"}}).Outcomes
	if len(got) != 1 || !got[0].Done {
		t.Fatalf("erase of the second debtor: %+v", got)
	}
	if n := e.outboxHolding(jointSecond); n != 0 {
		t.Errorf("%d outbox rows still hold the erased debtor's name", n)
	}
	held := map[string]int{}
	for what, d := range map[string]map[string]any{"to the client": toClient, "on the first's consent": advice, "on the second's consent": marketing} {
		held[what] = e.Count(`SELECT count(*) FROM watermill_outbox WHERE uuid = $1`, d["id"])
	}
	if want := map[string]int{"to the client": 0, "on the first's consent": 1, "on the second's consent": 0}; !maps.Equal(held, want) {
		t.Errorf("disclosures in the outbox %v, want %v", held, want)
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1`, joint); n != 3 {
		t.Errorf("the disclosure log lost its record: %d rows of 3", n)
	}
	var consents []string
	if err := e.DB.Select(&consents, `SELECT debtor || ' ' || recipient FROM debt_consents WHERE case_id = $1 ORDER BY 1`, joint); err != nil {
		t.Fatal(err)
	}
	if len(consents) != 1 || consents[0] != "1 debt-advice-agency" {
		t.Errorf("consents after the second debtor's erasure: %v, want the first debtor's alone", consents)
	}

	// The last debtor erased, the case's personal data goes, and every disclosure with it.
	got = ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-j", RecordIDs: []string{joint + "/debtor-1"}}).Outcomes
	if len(got) != 1 || !got[0].Done {
		t.Fatalf("erase of the first debtor: %+v", got)
	}
	if n := e.outboxHolding(jointFirst); n != 0 {
		t.Errorf("%d outbox rows still hold the name of the case erased", n)
	}
	if n := e.Count(`SELECT count(*) FROM debt_consents WHERE case_id = $1`, joint); n != 0 {
		t.Errorf("%d consents left on the erased case", n)
	}
}
