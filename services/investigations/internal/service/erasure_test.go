package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/audit"
)

// personalValues are every value of the fixture and of the steps below that identifies
// or describes someone.
var personalValues = []string{
	"Rita Reporter", "1 Mill Lane", "01622 111111", "rita@example.org", "1970-01-02",
	"Sam Subject", "3 Mill Lane", "07700 900003", "sam@example.org", "passport 123456789", "AB12 CDE", "1985-05-06",
	"Wendy Witness", "5 Mill Lane", "01622 555555",
	"Loud music every night", "Mill Lane, Maidstone", "23:00-02:00",
	"Statement of Wendy Witness", "Photo of the speakers", "CCTV from No. 5",
	"Asthma; GP Dr Patel", "2019 noise offence",
	"neighbour@example.org", "Music again at No. 3", "The bass shook my windows",
	"abatement notice handed to the subject", "Breach of a noise abatement notice", "Suspended for 12 months",
	"police asked about the subject", "the subject moved away",
}

// caseRows are every row the case has, in every table of the service.
var caseRows = `SELECT row_to_json(t)::text FROM investigations t WHERE id = $1` +
	rowsOf("investigation_case_file", "investigation_people", "investigation_person_data", "investigation_items",
		"investigation_item_content", "investigation_actions", "investigation_conditions")

func rowsOf(tables ...string) string {
	var q strings.Builder
	for _, table := range tables {
		q.WriteString(" UNION ALL SELECT row_to_json(t)::text FROM " + table + " t WHERE investigation_id = $1")
	}
	return q.String()
}

// holding lists, for each place personal data could stay after erasure, the values found
// there.
func (e *env) holding(caseID string) map[string][]string {
	e.T.Helper()
	places := map[string]string{
		"case rows":      caseRows,
		"audit detail":   `SELECT detail::text FROM audit_log WHERE chain = 'investigation:' || $1`,
		"outbox":         `SELECT coalesce(payload::text, '') || coalesce(metadata::text, '') FROM watermill_outbox WHERE $1 <> ''`,
		"disclosure log": `SELECT row_to_json(d)::text FROM disclosure_log d WHERE case_id = $1`,
	}
	found := map[string][]string{}
	for place, query := range places {
		var texts []string
		if err := e.DB.Select(&texts, query, caseID); err != nil {
			e.T.Fatalf("%s: %v", place, err)
		}
		all := strings.Join(texts, "\n")
		for _, v := range personalValues {
			if strings.Contains(all, v) {
				found[place] = append(found[place], v)
			}
		}
	}
	return found
}

// TestErasureLeavesNoPersonalValueBehind takes a case through e-mail, a police referral,
// a conviction (with its publication disclosure) and closure, sweeps after every clock
// has run out, and looks for each personal value in the case row, its audit trail, the
// outbox (where share messages are kept for replay) and the disclosure log.
func TestErasureLeavesNoPersonalValueBehind(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(200, "POST", p+"/emails", officer, map[string]any{"from": "neighbour@example.org", "subject": "Music again at No. 3",
		"body": "The bass shook my windows", "received_at": "2026-03-01T20:00:00Z"})
	e.Must(200, "POST", p+"/conditions", officer, map[string]any{"recipient": "kent-police", "condition": "crime_prevention",
		"reason": "police asked about the subject"})
	e.Must(201, "POST", p+"/referrals", officer, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})
	e.Must(200, "POST", p+"/triage", officer, nil)
	e.Must(200, "POST", p+"/investigate", officer, nil)
	e.Must(200, "POST", p+"/actions", officer, map[string]any{"kind": "abatement_notice", "notes": "abatement notice handed to the subject"})
	e.Must(200, "POST", p+"/prosecute", officer, nil)
	e.Must(200, "POST", p+"/outcome", officer, map[string]any{"outcome": "conviction", "offence": "Breach of a noise abatement notice",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "6 months' imprisonment. Suspended for 12 months",
		"sentence_length": "6m"})
	e.Must(200, "POST", p+"/close", officer, map[string]any{"reason": "the subject moved away"})

	before := e.holding(f.id)
	for _, place := range []string{"case rows", "outbox"} {
		if !strings.Contains(strings.Join(before[place], ","), "Sam Subject") {
			t.Fatalf("before erasure the %s should hold the subject's name; holds %v", place, before[place])
		}
	}
	var logged int
	if err := e.DB.Get(&logged, `SELECT count(*) FROM disclosure_log WHERE case_id = $1`, f.id); err != nil || logged != 2 {
		t.Fatalf("%d disclosures logged (%v), want 2: police and publication", logged, err)
	}

	// Closed 2 March 2026: the conviction's 7 years (longer than 6 months) end 2 March 2033.
	e.sweepAt(time.Date(2033, 3, 3, 12, 0, 0, 0, time.UTC))
	v := e.Must(200, "GET", p, e.manager("mina"), nil) // a token of the new day
	if v["erased_at"] == nil {
		t.Fatalf("case file not erased: retention %v", v["retention"])
	}
	if left := e.holding(f.id); len(left) != 0 {
		t.Errorf("personal data left after erasure: %v", left)
	}
	// Erasure deleted the rows that held personal data; the facts of the case stay.
	for table, want := range map[string]int{"investigation_case_file": 0, "investigation_person_data": 0,
		"investigation_item_content": 0, "investigation_people": 3, "investigation_items": 6, "investigation_actions": 1} {
		var n int
		if err := e.DB.Get(&n, `SELECT count(*) FROM `+table+` WHERE investigation_id = $1`, f.id); err != nil || n != want {
			t.Errorf("%s: %d rows after erasure (%v), want %d", table, n, err, want)
		}
	}
	// What stays identifies no one: the disclosure log keeps recipients and categories.
	var recipients []string
	if err := e.DB.Select(&recipients, `SELECT recipient || ':' || array_to_string(categories, ',') FROM disclosure_log
		WHERE case_id = $1 ORDER BY recipient`, f.id); err != nil || len(recipients) != 2 ||
		!strings.HasPrefix(recipients[0], "kent-police:") || recipients[1] != "publication-service:conviction_outcome,name,town" {
		t.Errorf("disclosure log after erasure: %v (%v)", recipients, err)
	}
	if err := audit.Verify(context.Background(), e.DB, "investigation:"+f.id); err != nil {
		t.Errorf("audit chain after erasure: %v", err)
	}
}
