package service_test

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"casework.dev/migrations"
	"casework.dev/pkg/testkit"
)

// migration reads one of the debt migrations' Up and Down sections.
func migration(t *testing.T, name string) (up, down string) {
	t.Helper()
	raw, err := fs.ReadFile(migrations.Debt(), name)
	if err != nil {
		t.Fatal(err)
	}
	up, down, ok := strings.Cut(string(raw), "-- +goose Down")
	if !ok {
		t.Fatal("no Down section")
	}
	return up, down
}

// Migration 00010: consents recorded before named no debtor. On a case of one debtor they
// become that debtor's. On a joint case nothing says whose one was, so it is kept without a
// debtor and releases nothing, until the officer records it again for the debtor who gave
// it; any debtor of the case withdrawing ends it, as it may be theirs. Its Down refuses,
// changing nothing, while a joint case holds one debtor's consent: the table before would
// read it as every debtor's.
func TestTheConsentMigrationAttributesOnlyWhatItCan(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.debt-advice-agency.debt.>")
	single, joint, _ := e.referRightsCases()
	advice := map[string]any{"recipient": "debt-advice-agency", "purpose": "debt_advice"}
	e.Must(200, "POST", "/cases/"+single+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency"})
	e.Must(200, "POST", "/cases/"+joint+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 1})
	up, down := migration(t, "00010_consent_per_debtor.sql")

	e.unchanged("the refused down migration", func() {
		if _, err := e.DB.Exec(down); err == nil || !strings.Contains(err.Error(), "a joint case holds one debtor's consent") {
			t.Fatalf("down with a joint debtor's consent: %v", err)
		}
	})
	// Without it, the table goes back to one consent a case and recipient, and a consent is
	// recorded on the joint case as it was before a consent named its debtor.
	if _, err := e.DB.Exec(`DELETE FROM debt_consents WHERE case_id = $1`, joint); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(down); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(`INSERT INTO debt_consents (case_id, recipient, given_at, recorded_by) VALUES ($1, 'debt-advice-agency', $2, 'olive')`,
		joint, start); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(up); err != nil {
		t.Fatal(err)
	}
	var attributed []string
	if err := e.DB.Select(&attributed, `SELECT CASE case_id WHEN $1 THEN 'single' ELSE 'joint' END || ' ' || coalesce(debtor::text, 'not known')
		FROM debt_consents ORDER BY 1`, single); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(attributed, []string{"joint not known", "single 1"}) {
		t.Fatalf("consents after the migration: %v", attributed)
	}

	// The joint case's consent is no one's: staff see it without a debtor, nothing is
	// shared on it and neither debtor's answer gives it; the single debtor's is theirs.
	c := e.Must(200, "GET", "/cases/"+joint, e.officer(), nil)
	if !reflect.DeepEqual(c["consents"], []any{}) || !reflect.DeepEqual(c["debtor_consents"],
		[]any{map[string]any{"recipient": "debt-advice-agency", "given_at": "2026-03-02T10:00:00Z"}}) {
		t.Fatalf("the joint case's consents: %v %v", c["consents"], c["debtor_consents"])
	}
	e.unchanged("a disclosure on a consent whose debtor is not known", func() {
		problemOf(t, e.Call("POST", "/cases/"+joint+"/disclosures", e.officer(), advice), 403, "disclosure-refused")
	})
	for _, record := range []string{joint + "/debtor-1", joint + "/debtor-2"} {
		if p := e.exportOf(record).Provided; !reflect.DeepEqual(p, map[string]any{"consents": []any{}}) {
			t.Errorf("%s's consents: %v", record, p)
		}
	}
	e.Must(201, "POST", "/cases/"+single+"/disclosures", e.officer(), advice)

	// Recorded again for the debtor who gave it, it is theirs; the second debtor withdrawing
	// ends the one whose debtor is not known, as it may be theirs, and the first's stands.
	e.Must(200, "POST", "/cases/"+joint+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency", "debtor": 1})
	e.Must(201, "POST", "/cases/"+joint+"/disclosures", e.officer(), advice)
	if data := testkit.Decode(t, share.WaitFor(t, 2)[1])["data"].(map[string]any); !reflect.DeepEqual(data["debtor_names"], []any{jointFirst}) {
		t.Fatalf("shared on the consent recorded again: %v", data["debtor_names"])
	}
	c = e.Must(200, "DELETE", "/cases/"+joint+"/consents/debt-advice-agency?debtor=2", e.officer(), nil)
	if !reflect.DeepEqual(c["debtor_consents"], []any{map[string]any{"debtor": float64(1), "recipient": "debt-advice-agency",
		"given_at": "2026-03-02T10:00:00Z"}}) {
		t.Fatalf("after the second debtor withdrew: %v", c["debtor_consents"])
	}
	if n := e.Count(`SELECT count(*) FROM debt_consents WHERE case_id = $1 AND debtor IS NULL AND withdrawn_at IS NOT NULL`, joint); n != 1 {
		t.Errorf("the consent whose debtor is not known was not withdrawn (%d)", n)
	}
}

// Migration 00011 moves the retention_due of each case not yet erased to the 1 January after
// the sixth year after the year it closed in, where that is earlier than the day it had
// (seven years from the day of closure), never later; a closed case without one is given
// it. An erased case and an open one are left as they are.
func TestTheRetentionMigrationNeverKeepsACaseLonger(t *testing.T) {
	e := newEnv(t)
	sevenYears, earlier, open := e.referRightsCases()
	none := e.referOne("maidstone-council-tax", "CT-M1", 50000)
	erased := e.referOne("maidstone-council-tax", "CT-M2", 50000)
	for _, id := range []string{sevenYears, earlier, none, erased} {
		e.Must(200, "POST", "/cases/"+id+"/return", e.officer(), map[string]any{"reason": "trace_failed"})
	}
	// As the service before kept them: seven years from the day of closure.
	for id, due := range map[string]any{sevenYears: "2033-03-02", earlier: "2031-06-01", none: nil, erased: "2033-03-02"} {
		if _, err := e.DB.Exec(`UPDATE debt_cases SET retention_due = $2 WHERE id = $1`, id, due); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.DB.Exec(`UPDATE debt_cases SET erased_at = now() WHERE id = $1`, erased); err != nil {
		t.Fatal(err)
	}
	up, _ := migration(t, "00011_retention_end_of_year.sql")
	if _, err := e.DB.Exec(up); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for what, id := range map[string]string{"seven years": sevenYears, "earlier": earlier, "open": open, "none": none, "erased": erased} {
		var due *string
		if err := e.DB.Get(&due, `SELECT retention_due::text FROM debt_cases WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		got[what] = "NULL"
		if due != nil {
			got[what] = *due
		}
	}
	want := map[string]string{"seven years": "2033-01-01", "earlier": "2031-06-01", "open": "NULL", "none": "2033-01-01", "erased": "2033-03-02"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("retention_due after the migration\n got %v\nwant %v", got, want)
	}
}
