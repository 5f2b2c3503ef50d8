package service_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// TestUnavailableDatabaseAnswers503WithRetryAfter: with PostgreSQL out of reach the
// register and the API answer 503 with Retry-After, never 500.
func TestUnavailableDatabaseAnswers503WithRetryAfter(t *testing.T) {
	n := testkit.NewNATS(t)
	db, err := sqlx.Open("postgres", "host=127.0.0.1 port=1 user=casework password=casework dbname=none sslmode=disable connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	nt, raw, err := service.LoadNotice("")
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.New(calendar.Config{})
	clock := calendar.NewManualClock(start)
	auth := httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: devKey, Now: clock.Now}
	svc, err := service.New(t.Context(), service.Config{DB: db, NATS: n.Conn, NATSURL: n.URL, Clock: clock, Calendar: cal,
		Notice: nt, NoticeYAML: raw, Auth: auth, MaxBodyBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(svc.Handler)
	t.Cleanup(server.Close)
	tok, _ := httpserver.IssueDevToken(auth, "olive", "olive", []string{"publication_officer"}, time.Hour, clock.Now())
	for _, req := range []struct{ method, path, token string }{
		{"GET", "/public/prosecutions", ""},
		{"GET", "/public/prosecutions.html", ""},
		{"GET", "/decisions", tok},
		{"POST", "/decisions/0195f3a0-0000-7000-8000-000000000001/appeal", tok},
	} {
		var body any
		if req.method == "POST" {
			body = map[string]any{"decided_on": "2026-03-01", "court": "Crown Court"}
		}
		r := testkit.Call(t, server.URL, req.method, req.path, req.token, body)
		if r.Status != 503 || r.Header.Get("Retry-After") != "5" || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s with the database down: %d Retry-After %q %s", req.method, req.path, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	}
}
