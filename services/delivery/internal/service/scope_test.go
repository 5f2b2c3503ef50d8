package service_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// A service's manager sees and retries only that service's dead letters; a delivery
// manager sees them all.
func TestDeadLettersAreScopedToTheManagersService(t *testing.T) {
	e := newEnv(t, fastRetry)
	for _, dl := range []struct{ id, partner, subject string }{
		{"01a20000-0000-7000-8000-000000000001", "lgo", "share.lgo.complaints.ombudsman_referral"},
		{"01a20000-0000-7000-8000-000000000002", "viking-oak", "share.viking-oak.investigations.contract"},
	} {
		if _, err := e.DB.Exec(`INSERT INTO dead_letters (id, disclosure_id, partner, subject, body, reason, attempts, dead_lettered_at)
			VALUES ($1::uuid, $2, $3, $4, '{}', 'gave up', 8, $5)`, dl.id, dl.id, dl.partner, dl.subject, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	listed := func(token string) []string {
		r := e.Call("GET", "/dead-letters?status=all", token, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		var page struct {
			Items []struct {
				Subject string `json:"subject"`
			} `json:"items"`
		}
		if err := json.Unmarshal(r.Body, &page); err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, it := range page.Items {
			subjects = append(subjects, it.Subject)
		}
		return subjects
	}
	complaints := e.Token("cm", "complaints_manager")
	investigations := e.Token("im", "investigations_manager")
	delivery := e.Token("dm", "delivery_manager")
	if got := listed(complaints); len(got) != 1 || got[0] != "share.lgo.complaints.ombudsman_referral" {
		t.Fatalf("complaints manager sees %v", got)
	}
	if got := listed(investigations); len(got) != 1 || got[0] != "share.viking-oak.investigations.contract" {
		t.Fatalf("investigations manager sees %v", got)
	}
	if got := listed(delivery); len(got) != 2 {
		t.Fatalf("delivery manager sees %v", got)
	}
	// Another service's dead letter is not there to retry.
	assertProblem(t, e.Call("POST", "/dead-letters/01a20000-0000-7000-8000-000000000002/retry", complaints, nil), http.StatusNotFound)
	if n := e.count(`SELECT count(*) FROM delivery_attempts`); n != 0 {
		t.Fatalf("%d attempts after a refused retry", n)
	}
}
