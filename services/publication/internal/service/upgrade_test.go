package service_test

import (
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"casework.dev/migrations"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// A decision whose conviction an appeal quashed before the status conviction_quashed existed
// (left taken_down, its takedown's reason appeal) says conviction_quashed after the upgrade;
// one taken down by a manager keeps taken_down.
func TestTheUpgradeMarksConvictionsQuashedBeforeAsQuashed(t *testing.T) {
	sets := service.Migrations()
	old := fstest.MapFS{}
	for _, name := range []string{"00001_publication.sql", "00002_case_store.sql", "00003_rights.sql", "00004_register.sql",
		"00005_undecided_retention.sql", "00006_lapsed.sql", "00007_name_search_trim.sql"} {
		data, err := fs.ReadFile(migrations.Publication(), name)
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: data}
	}
	before := append(append([]postgres.Migration{}, sets[:len(sets)-1]...), postgres.Migration{FS: old, VersionTable: sets[len(sets)-1].VersionTable})
	db, _ := testkit.NewDatabase(t, before...)
	at := time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)
	for _, r := range []struct{ id, reference, reason string }{
		{"0195f3a0-0000-7000-8000-00000000a001", "PUB-2026-000001", "appeal"},
		{"0195f3a0-0000-7000-8000-00000000a002", "PUB-2026-000002", "manual"},
	} {
		if _, err := db.Exec(`INSERT INTO publication_decisions (id, reference, source, source_ref, source_team, conviction_date, status,
			taken_down_at, taken_down_by, taken_down_reason, retention_due, received_at, updated_at, created_at, version)
			VALUES ($1::uuid, $2, 'manual', $1::text, 'community_protection', '2026-02-20', 'taken_down', $3, 'maria', $4, '2032-03-12', $3, $3, $3, 3)`,
			r.id, r.reference, at, r.reason); err != nil {
			t.Fatal(err)
		}
	}
	if err := postgres.Migrate(t.Context(), db, sets...); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := db.Select(&got, `SELECT reference || ' ' || status FROM publication_decisions ORDER BY reference`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "PUB-2026-000001 conviction_quashed" || got[1] != "PUB-2026-000002 taken_down" {
		t.Fatalf("after the upgrade: %q", got)
	}
}
