package service_test

import (
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/webhook"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

// The attempt log, not the broker's redelivery count, decides: attempts made before a
// restart count towards the bound, and a disclosure delivered before is never posted again.
func TestAttemptLogDecidesAcrossRestarts(t *testing.T) {
	lgo := newReceiver(t, always(500))
	policy := domain.RetryPolicy{MaxAttempts: 3, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}
	e := newEnv(t, policy, lgo.partner("lgo"))
	// What a previous run of the worker left: two failures of d-1, a success for d-2.
	e.DB.MustExec(`INSERT INTO delivery_attempts (disclosure_id, partner, attempt, subject, url, status_code, error, duration_ms, triggered_by, attempted_at)
		VALUES ('d-1', 'lgo', 1, 's', 'u', 500, 'HTTP 500', 1, 'stream', now()), ('d-1', 'lgo', 2, 's', 'u', 500, 'HTTP 500', 1, 'stream', now()),
		       ('d-2', 'lgo', 1, 's', 'u', 204, NULL, 1, 'stream', now())`)
	e.publish("lgo", "d-1")
	e.publish("lgo", "d-2")
	e.drained("lgo")

	requests, _, _ := lgo.snapshot()
	if requests["d-1"] != 1 || requests["d-2"] != 0 {
		t.Fatalf("requests %v: want one (the third and last) for d-1, none for d-2", requests)
	}
	var dl struct {
		Attempts int    `db:"attempts"`
		Reason   string `db:"reason"`
	}
	if err := e.DB.Get(&dl, `SELECT attempts, reason FROM dead_letters WHERE disclosure_id = 'd-1'`); err != nil {
		t.Fatal(err)
	}
	if dl.Attempts != 3 || dl.Reason != "gave up after 3 attempts; last: HTTP 500" {
		t.Fatalf("dead letter %+v", dl)
	}
	if n := e.count(`SELECT count(*) FROM dead_letters`); n != 1 {
		t.Fatalf("%d dead letters, want 1", n)
	}
}

func TestUnreachablePartnerIsDeadLetteredWithTheReason(t *testing.T) {
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	policy := domain.RetryPolicy{MaxAttempts: 2, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	// Port 1 on the loopback: nothing listens, the connection is refused.
	e := newEnv(t, policy, service.WebhookPartner{ID: "hmrc", URL: "http://127.0.0.1:1/hooks", Secret: secret})
	e.publish("hmrc", "d-1")
	e.drained("hmrc")
	var reason string
	if err := e.DB.Get(&reason, `SELECT reason FROM dead_letters WHERE partner = 'hmrc' AND disclosure_id = 'd-1'`); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(reason, "gave up after 2 attempts; last: no response: ") || !strings.Contains(reason, "connection refused") {
		t.Fatalf("reason %q", reason)
	}
	if n := e.count(`SELECT count(*) FROM delivery_attempts WHERE partner = 'hmrc' AND status_code IS NULL AND error LIKE 'no response: %'`); n != 2 {
		t.Fatalf("%d unanswered attempts logged, want 2", n)
	}
}

// Attempts logged under a higher limit than today's (the limit was lowered while a partner
// was down) never let a disclosure be acknowledged without a dead letter: it gets one more
// attempt, the last, and is dead-lettered with it.
func TestLoweredAttemptLimitStillDeadLetters(t *testing.T) {
	lgo := newReceiver(t, always(503))
	policy := domain.RetryPolicy{MaxAttempts: 2, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}
	e := newEnv(t, policy, lgo.partner("lgo"))
	// What a run with a limit of 8 left: three failures, no dead letter yet.
	e.DB.MustExec(`INSERT INTO delivery_attempts (disclosure_id, partner, attempt, subject, url, status_code, error, duration_ms, triggered_by, attempted_at)
		VALUES ('d-1', 'lgo', 1, 's', 'u', 503, 'HTTP 503', 1, 'stream', now()), ('d-1', 'lgo', 2, 's', 'u', 503, 'HTTP 503', 1, 'stream', now()),
		       ('d-1', 'lgo', 3, 's', 'u', 503, 'HTTP 503', 1, 'stream', now())`)
	e.publish("lgo", "d-1")
	e.drained("lgo")

	if requests, _, _ := lgo.snapshot(); requests["d-1"] != 1 {
		t.Fatalf("requests %v: want one more, the last, for d-1", requests)
	}
	var dl struct {
		Attempts int    `db:"attempts"`
		Reason   string `db:"reason"`
		Held     bool   `db:"held"`
	}
	if err := e.DB.Get(&dl, `SELECT attempts, reason, body IS NOT NULL AS held FROM dead_letters WHERE partner = 'lgo' AND disclosure_id = 'd-1'`); err != nil {
		t.Fatalf("no dead letter for d-1: %v", err)
	}
	if dl.Attempts != 4 || dl.Reason != "gave up after 4 attempts; last: HTTP 503" || !dl.Held {
		t.Fatalf("dead letter %+v, want 4 attempts, the last reason and the body held for a retry", dl)
	}
}
