package service_test

import (
	"reflect"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// TestConvictionWithheldByARestrictionGoesOnceLifted: a conviction recorded while the person
// convicted is restricted (UK GDPR Art 18) is not disclosed to the publication service;
// lifted, it goes, once, as it would have gone when recorded, with its disclosure log and
// audit rows. A second lift, or the lift redelivered, sends nothing more; nor does a lift on
// a case whose conviction went when recorded.
func TestConvictionWithheldByARestrictionGoesOnceLifted(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.publication-service.investigations.>")
	olive := e.officer("olive")
	conviction := map[string]any{"outcome": "conviction", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 1,200", "sentence_length": "none"}
	prosecuted := func() fixture {
		f := e.openCase(olive, "noise", "", nil)
		for _, step := range []string{"/triage", "/investigate", "/prosecute"} {
			e.Must(200, "POST", "/investigations/"+f.id+step, olive, nil)
		}
		return f
	}
	act := func(verb, record string) {
		t.Helper()
		got := ask[rights.ActionReply](e, verb, rights.RecordsRequest{RequestID: "req-p", RecordIDs: []string{record}})
		if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
			t.Fatalf("%s %s: %+v", verb, record, got.Outcomes)
		}
	}
	logged := func(id string) int {
		return e.Count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1 AND recipient = 'publication-service'`, id)
	}

	f := prosecuted()
	record := f.id + "/" + f.subjectID
	act(rights.Restrict, record)
	e.Must(200, "POST", "/investigations/"+f.id+"/outcome", olive, conviction)
	e.WaitRelayed(t)
	if n := len(share.All()); n != 0 || logged(f.id) != 0 {
		t.Fatalf("the restricted conviction went: %d messages, %d logged", n, logged(f.id))
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'investigation.outcome.recorded'
		AND detail->>'publication' = 'refused: restricted (UK GDPR Art 18)'`, f.id); n != 1 {
		t.Fatalf("%d conviction audit rows recording the restriction, want 1", n)
	}

	act(rights.Lift, record)
	msgs := share.WaitFor(t, 1)
	body := testkit.Decode(t, msgs[0])
	wantData := map[string]any{"name": "Sam Subject", "town": "Maidstone", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 1,200"}
	if msgs[0].Subject() != "share.publication-service.investigations.publication_decision" || !reflect.DeepEqual(body["data"], wantData) {
		t.Errorf("publication disclosure on %s: %v, want %v", msgs[0].Subject(), body["data"], wantData)
	}
	if body["recipient"] != "publication-service" || body["purpose"] != "publication_decision" || body["condition"] != "public_task" ||
		body["reference"] != f.view["reference"] || body["area"] != "noise" {
		t.Errorf("publication envelope %v", body)
	}
	var row struct {
		ID       string `db:"id"`
		Purpose  string `db:"purpose"`
		Cond     string `db:"condition"`
		Subject  string `db:"subject"`
		Disclose string `db:"disclosed_by"`
	}
	if err := e.DB.Get(&row, `SELECT id, purpose, condition, subject, disclosed_by FROM disclosure_log
		WHERE case_id = $1 AND recipient = 'publication-service'`, f.id); err != nil {
		t.Fatalf("disclosure log row: %v", err)
	}
	if row.ID != body["disclosure_id"] || row.Purpose != "publication_decision" || row.Cond != "public_task" ||
		row.Subject != "share.publication-service.investigations.publication_decision" || row.Disclose != "rights-request:req-p" {
		t.Errorf("disclosure log row %+v, message %v", row, body["disclosure_id"])
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'investigation.referral.disclosed'
		AND detail->>'recipient' = 'publication-service' AND detail->>'publication_disclosure' = $2`, f.id, row.ID); n != 1 {
		t.Errorf("%d audit rows of the released disclosure, want 1", n)
	}

	// Lifted again (a second request) and redelivered: nothing more goes.
	act(rights.Lift, record)
	act(rights.Lift, record)
	// A case whose conviction went when recorded: a restriction placed and lifted after
	// sends it no second time.
	g := prosecuted()
	e.Must(200, "POST", "/investigations/"+g.id+"/outcome", olive, conviction)
	act(rights.Restrict, g.id+"/"+g.subjectID)
	act(rights.Lift, g.id+"/"+g.subjectID)
	e.WaitRelayed(t)
	if got := share.WaitFor(t, 2); len(got) != 2 || logged(f.id) != 1 || logged(g.id) != 1 {
		t.Errorf("publication disclosures %d (%s), logged %d and %d, want 2, one a case", len(got), testkit.Subjects(got), logged(f.id), logged(g.id))
	}
}
