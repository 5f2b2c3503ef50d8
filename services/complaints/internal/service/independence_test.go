package service_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"casework.dev/migrations"
	"casework.dev/pkg/testkit"
)

// Issue 8 item 12, the example exactly: alice logs (and so is the assigned stage 1
// handler), bob acknowledges and responds to stage 1, alice escalates naming bob as the
// stage 2 handler. Bob acted on stage 1, so the escalation is refused with the rule and
// changes nothing; with carol named it goes through, and bob still may not act on stage 2.
func TestStage2IndependenceIsAboutWhoActedOnStage1(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	alice, bob, carol := e.officer("alice"), e.officer("bob"), e.officer("carol")

	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", bob, map[string]any{"outcome": "not_upheld", "summary": "The bins were collected."})

	r := e.Call("POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "They were not.", "handler": "bob"})
	p := r.JSON(t)
	if r.Status != http.StatusConflict || r.Header.Get("Content-Type") != "application/problem+json" || p["rule"] != "stage2_handler_must_differ" ||
		p["detail"] != "officer bob handled or acted on stage 1 of CMP-2026-000001; stage 2 must be handled by an officer who did neither" {
		t.Fatalf("escalation naming bob: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	c := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice, nil)
	if c["status"] != "stage1_responded" || c["stage"] != 1.0 || c["handlers"].(map[string]any)["stage2"] != nil {
		t.Fatalf("after the refused escalation: status %v stage %v handlers %v", c["status"], c["stage"], c["handlers"])
	}

	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "They were not.", "handler": "carol"})
	r = e.Call("POST", "/complaints/"+id+"/acknowledge", bob, nil)
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "stage2_handler_must_differ" {
		t.Fatalf("stage 2 acknowledgement by bob: %d %s", r.Status, r.Body)
	}
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", carol, nil)
	r = e.Call("POST", "/complaints/"+id+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "stage2_handler_must_differ" {
		t.Fatalf("stage 2 response by bob: %d %s", r.Status, r.Body)
	}
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", carol, map[string]any{"outcome": "upheld", "summary": "Fault found."})

	want := "complaints.events.stage1.received, complaints.events.stage1.acknowledged, complaints.events.stage1.responded, " +
		"complaints.events.stage2.received, complaints.events.stage2.acknowledged, complaints.events.stage2.responded"
	if got := testkit.Subjects(domainEvents.WaitFor(t, 6)); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
}

// Deadlines met or extended before the actors were stored take them from the audit trail
// when the migration runs, so the rule holds for complaints already under way.
func TestDeadlineActorsMigrationReadsTheAuditTrail(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.officer("alice"), e.officer("bob"), e.officer("carol")
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/extend", carol, map[string]any{"working_days": 5, "reason": "awaiting the crew's report"})

	raw, err := fs.ReadFile(migrations.Complaints(), "00004_deadline_actors.sql")
	if err != nil {
		t.Fatal(err)
	}
	up, down, ok := strings.Cut(strings.TrimPrefix(string(raw), "-- +goose Up"), "-- +goose Down")
	if !ok {
		t.Fatal("migration without a Down section")
	}
	for _, sql := range []string{down, up} { // as a database migrated before this change
		if _, err := e.DB.Exec(sql); err != nil {
			t.Fatal(err)
		}
	}
	var got []struct {
		Kind       string  `db:"kind"`
		MetBy      *string `db:"met_by"`
		ExtendedBy *string `db:"extended_by"`
	}
	if err := e.DB.Select(&got, `SELECT kind, met_by, extended_by FROM complaint_deadlines WHERE complaint_id = $1 ORDER BY kind`, id); err != nil {
		t.Fatal(err)
	}
	str := func(s *string) string {
		if s == nil {
			return "NULL"
		}
		return *s
	}
	if len(got) != 2 || got[0].Kind != "acknowledge" || str(got[0].MetBy) != "bob" || str(got[0].ExtendedBy) != "NULL" ||
		got[1].Kind != "respond" || str(got[1].MetBy) != "NULL" || str(got[1].ExtendedBy) != "carol" {
		for _, d := range got {
			t.Logf("%s met_by %s extended_by %s", d.Kind, str(d.MetBy), str(d.ExtendedBy))
		}
		t.Fatal("backfilled actors differ from acknowledge met by bob, respond extended by carol")
	}
	r := e.Call("POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": "not_upheld", "summary": "Collected."})
	if r.Status != http.StatusOK {
		t.Fatalf("respond: %d %s", r.Status, r.Body)
	}
	for _, officer := range []string{"alice", "bob", "carol"} {
		r := e.Call("POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "No.", "handler": officer})
		if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "stage2_handler_must_differ" {
			t.Errorf("escalation naming %s after the migration: %d %s", officer, r.Status, r.Body)
		}
	}
}
