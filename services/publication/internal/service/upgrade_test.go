package service_test

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// migrationsBefore is the publication's migration set as it was up to (and without) the
// file named first.
func migrationsBefore(t *testing.T, first string) postgres.Migration {
	t.Helper()
	own := migrations.Publication()
	names, err := fs.Glob(own, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	old := fstest.MapFS{}
	for _, name := range names {
		if name >= first {
			continue
		}
		body, err := fs.ReadFile(own, name)
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: body}
	}
	return postgres.Migration{FS: old, VersionTable: "goose_" + service.Name}
}

// TestUpgradeLogsWhatTheRegisterShowedAndDatesUndecidedConvictions: an entry published
// before the register's disclosures were logged gets its disclosure, as it happened (who
// approved it, when, under the notice version then in force), and keeps showing the six
// fields; a conviction not yet decided gets the notice's erasure date, a year from receipt.
func TestUpgradeLogsWhatTheRegisterShowedAndDatesUndecidedConvictions(t *testing.T) {
	sets := service.Migrations()
	db, _ := testkit.NewDatabase(t, sets[0], migrationsBefore(t, "00004"))
	const published, undecided = "0195f3a0-0000-7000-8000-00000000aa01", "0195f3a0-0000-7000-8000-00000000aa02"
	approvedAt := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	takedown := `{"on":"2026-04-02","reason":"publication_period","publication_period":{"rule":"months","amount":1,"due_date":"2026-04-02"},
		"rehabilitation":{"never_spent":false,"spent_on":"2027-02-20","rule":"fine"}}`
	draft := `{"factors":{},"offender":{"age_at_conviction":41},"sentence":{"type":"fine"},"proportionality":{"proportionate":true,
		"conclusion":"c"},"outcome":"publish_website","reasons":"r"}`
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO publication_decisions (id, reference, source, source_ref, source_team, conviction_date, status, outcome, drafted_by,
			approved_by, approved_at, published_on, takedown_on, takedown, received_at, created_at, updated_at, version)
			VALUES ($1::uuid, 'PUB-2026-000001', 'manual', $1::text, 'licensing', '2026-02-20', 'published', 'publish_website', 'olive', 'maria', $2,
			'2026-03-02', '2026-04-02', $3, $2, $2, $2, 3)`, []any{published, approvedAt, takedown}},
		{`INSERT INTO publication_personal_data (decision_id, name, town, offence, court, sentence, draft)
			VALUES ($1, 'Sam Subject', 'Maidstone', 'Breach', 'Maidstone Magistrates'' Court', 'Fine of GBP 1,200', $2)`, []any{published, draft}},
		{`INSERT INTO publication_decisions (id, reference, source, source_ref, source_team, conviction_date, status, received_at,
			created_at, updated_at, version)
			VALUES ($1::uuid, 'PUB-2026-000002', 'manual', $1::text, 'licensing', '2026-01-20', 'to_decide', '2026-02-01 10:00Z', $2, $2, 1)`,
			[]any{undecided, approvedAt}},
		{`INSERT INTO publication_personal_data (decision_id, name, town, offence, court, sentence)
			VALUES ($1, 'Pat Other', 'Aylesford', 'Breach', 'Maidstone Magistrates'' Court', 'Fine')`, []any{undecided}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}

	if err := postgres.Migrate(t.Context(), db, sets...); err != nil {
		t.Fatal(err)
	}
	n := testkit.NewNATS(t)
	provisionInvestigations(t, n)
	e := newEnvOn(t, db, n, calendar.NewManualClock(start))
	var registerID string
	if err := db.Get(&registerID, `SELECT register_disclosure_id::text FROM publication_decisions WHERE id = $1`, published); err != nil {
		t.Fatal(err)
	}
	exported := ask[rights.ExportReply](e, rights.Export, records(published))
	want := []rights.Disclosure{{DisclosureID: registerID, Recipient: "public-register", Purpose: "publication",
		Categories: []string{"conviction_outcome", "name", "town"}, DisclosedAt: approvedAt, NoticeVersion: "2026.11.1", InPlace: true}}
	if len(exported.Records) != 1 || !reflect.DeepEqual(exported.Records[0].Disclosures, want) {
		t.Fatalf("the disclosure logged for the register: %+v", exported.Records)
	}
	var by string
	if err := db.Get(&by, `SELECT disclosed_by || ' ' || subject FROM disclosure_log WHERE id = $1`, registerID); err != nil || by != "maria /public/prosecutions" {
		t.Errorf("logged by %q (%v)", by, err)
	}
	if entries := e.registerJSON(); len(entries) != 1 || !equalEntry(entries[0], map[string]any{"name": "Sam Subject", "town": "Maidstone",
		"offence": "Breach", "court": "Maidstone Magistrates' Court", "date": "2026-02-20", "sentence": "Fine of GBP 1,200"}) {
		t.Errorf("register after the upgrade: %v", entries)
	}
	d := e.Must(200, "GET", "/decisions/"+undecided, e.officer("olive"), nil)
	if d["retention_due"] != "2027-02-01" || !strings.HasPrefix(d["reference"].(string), "PUB-") {
		t.Errorf("an undecided conviction after the upgrade: kept until %v", d["retention_due"])
	}
}
