package service_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/service"
)

// A case written as one document before the case rows reads back the same through the API,
// and its Idempotency-Key still replays it for the officer who opened it.
func TestCasesWrittenAsDocumentsMoveToRows(t *testing.T) {
	ctx := context.Background()
	first := fstest.MapFS{}
	raw, err := fs.ReadFile(migrations.Investigations(), "00001_investigations.sql")
	if err != nil {
		t.Fatal(err)
	}
	first["00001_investigations.sql"] = &fstest.MapFile{Data: raw}
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"},
		postgres.Migration{FS: first, VersionTable: "goose_investigations"})
	const id = "0193a4b2-0000-7000-8000-000000000001"
	// Item ids are UUIDs, as the service always gave them.
	doc := `{"id": "` + id + `", "reference": "INV-2026-000001", "area": "noise", "scope": "", "hate_crime": false,
		"status": "investigating", "channel": "web", "received_at": "2026-03-01T09:00:00Z", "created_by": "olive",
		"assigned": ["olive"],
		"people": [{"id": "0193a4b2-0000-7000-8000-0000000000a1", "role": "reporter", "name": "Rita Reporter", "phone": "01622 111111"},
			{"id": "0193a4b2-0000-7000-8000-0000000000a2", "role": "subject", "name": "Sam Subject", "town": "Maidstone"}],
		"matter": {"summary": "Loud music every night", "locations": ["Mill Lane"], "dates": ["2026-02-20"], "times": []},
		"evidence": [{"id": "0193a4b2-0000-7000-8000-0000000000e1", "kind": "photo", "description": "Photo of the speakers", "captured_at": "2026-02-22T11:00:00Z",
			"used_as_evidence": true, "added_at": "2026-03-01T09:00:00Z", "retention": {"rule": "case", "computation": "7y from end of service"}}],
		"special": [{"id": "0193a4b2-0000-7000-8000-0000000000c1", "category": "health", "person_id": "0193a4b2-0000-7000-8000-0000000000a1", "details": "Asthma", "recorded_at": "2026-03-01T09:00:00Z"}],
		"emails": [{"id": "0193a4b2-0000-7000-8000-0000000000d1", "from": "neighbour@example.org", "subject": "Music", "body": "Again", "received_at": "2026-02-28T20:00:00Z",
			"retention": {"due": "2033-02-28", "rule": "email", "computation": "7y from receipt"}}],
		"actions": [{"kind": "warning", "notes": "spoke to the subject", "at": "2026-03-01T10:00:00Z", "by": "olive"},
			{"kind": "community_protection_warning", "notes": "letter", "at": "2026-03-01T11:00:00Z", "by": "olive"}],
		"conditions": [{"recipient": "kent-police", "condition": "crime_prevention", "reason": "police asked", "at": "2026-03-01T10:00:00Z", "by": "olive"}],
		"retention": {"rule": "case", "computation": "7y from end of service; the service has not ended yet"}}`
	if _, err := db.Exec(`INSERT INTO investigations (id, reference, idempotency_key, area, scope, status, need_to_know, assigned,
		received_at, legal_hold, asb_location_key, doc, created_at, updated_at, version)
		VALUES ($1, 'INV-2026-000001', 'k-1', 'noise', '', 'investigating', false, '{olive}', '2026-03-01T09:00:00Z', false, NULL, $2,
		'2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z', 4)`, id, doc); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, db, service.Migrations()...); err != nil {
		t.Fatal(err)
	}

	e := &env{}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{DB: db,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			svc, err := service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes), ASBReview: asbReview})
			e.svc = svc
			return svc, err
		}})
	got := e.Must(200, "GET", "/investigations/"+id, e.officer("olive"), nil)
	want := map[string]string{
		"reference": "INV-2026-000001", "status": "investigating", "created_by": "olive", "received_at": "2026-03-01T09:00:00Z",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	checks := []struct {
		what string
		got  any
		want any
	}{
		{"people", len(got["people"].([]any)), 2},
		{"reporter", got["people"].([]any)[0].(map[string]any)["name"], "Rita Reporter"},
		{"subject's town", got["people"].([]any)[1].(map[string]any)["town"], "Maidstone"},
		{"matter", got["matter"].(map[string]any)["summary"], "Loud music every night"},
		{"evidence", got["evidence"].([]any)[0].(map[string]any)["description"], "Photo of the speakers"},
		{"used as evidence", got["evidence"].([]any)[0].(map[string]any)["used_as_evidence"], true},
		{"special", got["special"].([]any)[0].(map[string]any)["details"], "Asthma"},
		{"e-mail", got["emails"].([]any)[0].(map[string]any)["from"], "neighbour@example.org"},
		{"e-mail due", got["emails"].([]any)[0].(map[string]any)["retention"].(map[string]any)["due"], "2033-02-28"},
		{"action notes", got["actions"].([]any)[0].(map[string]any)["notes"], "spoke to the subject"},
		{"condition reason", got["conditions"].([]any)[0].(map[string]any)["reason"], "police asked"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	replay := e.Must(200, "POST", "/investigations", e.officer("olive"),
		map[string]any{"area": "noise", "matter": map[string]any{"summary": "anything"}}, "Idempotency-Key", "k-1")
	if replay["id"] != id {
		t.Errorf("the key given before the move replays %v, want %s", replay["id"], id)
	}
	// The next change writes the rows at the version the document had. The warning recorded
	// before warnings named a person and a date counts as one to the subject with its time
	// given: the notice is not blocked.
	v := e.Must(200, "POST", "/investigations/"+id+"/actions", e.officer("olive"), map[string]any{"kind": "community_protection_notice"})
	actions := v["actions"].([]any)
	if len(actions) != 3 {
		t.Fatalf("after a change: %d actions, want 3", len(actions))
	}
	old, notice := actions[1].(map[string]any), actions[2].(map[string]any)
	if old["kind"] != "community_protection_warning" || old["person_id"] != nil || old["comply_by"] != nil || old["notes"] != "letter" {
		t.Errorf("the warning written before: %v", old)
	}
	if notice["kind"] != "community_protection_notice" || notice["person_id"] != "0193a4b2-0000-7000-8000-0000000000a2" {
		t.Errorf("the notice: %v, want one to the subject", notice)
	}
}
