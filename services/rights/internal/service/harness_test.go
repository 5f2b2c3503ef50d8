package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/rightsreply"
	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/domain"
	"casework.dev/services/rights/internal/service"
)

var devKey = []byte("test-signing-key-that-is-32-bytes-long!")

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// services are the services the rights service asks in these tests; each has a notice in
// the contracts. The tests stand in for them with fakeService.
var services = []string{"complaints", "investigations"}

// shareTap stands in for the partners' readers of the rights share stream, so the
// interest-retention stream keeps the notices for the test to read.
const shareTap = "test-share-tap"

// env is one rights service on a fresh database and an embedded NATS server, served by
// httptest, with a clock the test moves.
type env struct {
	t      *testing.T
	db     *sqlx.DB
	nats   *testkit.NATS
	clock  *calendar.ManualClock
	svc    *service.Service
	server *httptest.Server
	auth   httpserver.AuthConfig
	stop   context.CancelFunc
	done   chan error
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	return newEnvOn(t, db, testkit.NewNATS(t), calendar.NewManualClock(start))
}

// newEnvOn starts a service on existing infrastructure, as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock) *env {
	t.Helper()
	nt, raw, err := service.LoadNotice("")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	auth := httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: devKey, Now: clock.Now}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: n.Conn, Clock: clock, Calendar: cal, Notice: nt, NoticeYAML: raw, Auth: auth,
		Logger:       slog.New(slog.NewTextHandler(testkit.LogWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		MaxBodyBytes: 64 << 10, Relay: messaging.RelayConfig{PollInterval: 50 * time.Millisecond},
		Services: services,
		Ask:      rightsreply.CallConfig{Timeout: 300 * time.Millisecond, Attempts: 1},
		// The wait before asking again is measured on the test's clock, which the tests move.
		Retry:          domain.Retry{First: time.Minute, Max: 10 * time.Minute},
		FanOutInterval: 20 * time.Millisecond,
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if _, err := n.JS.CreateOrUpdateConsumer(ctx, "RIGHTS_SHARE", jetstream.ConsumerConfig{
		Durable: shareTap, FilterSubject: "share.>", AckPolicy: jetstream.AckExplicitPolicy}); err != nil {
		cancel()
		t.Fatal(err)
	}
	e := &env{t: t, db: db, nats: n, clock: clock, svc: svc, auth: auth, stop: cancel, done: make(chan error, 1)}
	go func() { e.done <- svc.RunBackground(ctx) }()
	e.server = httptest.NewServer(svc.Handler)
	t.Cleanup(e.shutdown)
	return e
}

// shutdown stops the service; safe to call twice.
func (e *env) shutdown() {
	if e.stop == nil {
		return
	}
	e.server.Close()
	e.stop()
	if err := <-e.done; err != nil {
		e.t.Errorf("background: %v", err)
	}
	e.stop = nil
}

func (e *env) token(subject string, roles ...string) string {
	tok, err := httpserver.IssueDevToken(e.auth, subject, subject, roles, time.Hour, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) dpo() string     { return e.token("dora", "dpo") }
func (e *env) officer() string { return e.token("olly", "dpo_officer") }

type response = testkit.Response

func (e *env) call(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	return testkit.Call(e.t, e.server.URL, method, path, token, body, headers...)
}

func (e *env) must(status int, method, path, token string, body any, headers ...string) map[string]any {
	e.t.Helper()
	return testkit.Must(e.t, status, e.server.URL, method, path, token, body, headers...)
}

func (e *env) collect(stream, filter string) *testkit.Collector {
	e.t.Helper()
	return testkit.Collect(e.t, e.nats.JS, stream, filter)
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Get(&n, query, args...); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// waitFor polls the request until cond holds, and returns it.
func (e *env) waitFor(id, what string, cond func(r map[string]any) bool) map[string]any {
	e.t.Helper()
	var last map[string]any
	testkit.Eventually(e.t, 10*time.Second, what, func() (bool, string) {
		last = e.must(200, "GET", "/requests/"+id, e.officer(), nil)
		return cond(last), fmt.Sprintf("status %v phase %v pending %v", last["status"], last["phase"], last["pending"])
	})
	return last
}

func phaseIs(p string) func(map[string]any) bool {
	return func(r map[string]any) bool { return r["phase"] == p }
}

// anAccessRequest is Ann's own subject access request, identity checked on receipt.
func anAccessRequest(kind string) map[string]any {
	body := map[string]any{
		"kind":            kind,
		"received_at":     start.Add(-time.Hour).Format(time.RFC3339),
		"requester":       map[string]any{"name": "Ann Applicant", "email": "ann@example.org", "address": "1 Old Road, Maidstone ME15 6JQ"},
		"subject":         map[string]any{"name": "Ann Applicant", "email": "ann@example.org", "postcode": "ME15 6JQ"},
		"identity_method": "passport and council tax bill seen",
		"details":         "Everything you hold about me, please.",
	}
	if kind == "rectification" {
		body["rectification"] = map[string]any{"field": "address", "value": "2 New Road, Maidstone ME14 1AA"}
	}
	return body
}

// fakeService answers rights.<name>.<verb> as a council service would, from records set by
// the test; it counts the questions it gets.
type fakeService struct {
	name string
	mu   sync.Mutex
	// records by record id; candidates are every record whose email matches.
	records map[string]rights.Record
	emails  map[string]string
	refuse  map[string]rights.Refusal // record id -> ground an action is refused on
	asked   map[string]int            // verb -> questions
	acted   map[string][]string       // verb -> record ids acted on
	resp    *rightsreply.Responder
}

func newFake(name string) *fakeService {
	return &fakeService{name: name, records: map[string]rights.Record{}, emails: map[string]string{},
		refuse: map[string]rights.Refusal{}, asked: map[string]int{}, acted: map[string][]string{}}
}

func (f *fakeService) add(email string, rec rights.Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records[rec.RecordID], f.emails[rec.RecordID] = rec, email
}

// serve starts answering on the test's NATS server; it stops with the test or stopServing.
func (f *fakeService) serve(t *testing.T, e *env) {
	t.Helper()
	r, err := rightsreply.Serve(e.nats.Conn, rightsreply.Config{Subject: rights.Subjects(f.name), Queue: rights.QueueGroup(f.name),
		Verbs: rights.Verbs}, rights.Dispatcher{Responder: f})
	if err != nil {
		t.Fatal(err)
	}
	f.resp = r
	t.Cleanup(func() { _ = r.Stop() })
}

func (f *fakeService) questions(verb string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked[verb]
}

func (f *fakeService) Find(_ context.Context, r rights.FindRequest) (rights.FindReply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked[rights.Find]++
	out := rights.FindReply{Candidates: []rights.Candidate{}}
	ids := make([]string, 0, len(f.records))
	for id := range f.records {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if f.emails[id] == r.Identifiers.Email {
			rec := f.records[id]
			out.Candidates = append(out.Candidates, rights.Candidate{RecordID: id, Kind: rec.Kind, Reference: rec.Reference,
				Role: rec.Role, Matched: []string{"email"}, Summary: rec.Kind + " " + rec.Reference})
		}
	}
	return out, nil
}

func (f *fakeService) Export(_ context.Context, r rights.RecordsRequest) (rights.ExportReply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked[rights.Export]++
	out := rights.ExportReply{Records: []rights.Record{}}
	for _, id := range r.RecordIDs {
		out.Records = append(out.Records, f.records[id])
	}
	return out, nil
}

func (f *fakeService) act(verb string, ids []string) rights.ActionReply {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked[verb]++
	out := rights.ActionReply{Outcomes: []rights.Outcome{}}
	for _, id := range ids {
		o := rights.Outcome{RecordID: id, Disclosures: f.records[id].Disclosures}
		if refusal, ok := f.refuse[id]; ok {
			o.Refusal, o.Disclosures = &refusal, []rights.Disclosure{}
		} else {
			o.Done = true
			f.acted[verb] = append(f.acted[verb], id)
		}
		out.Outcomes = append(out.Outcomes, o)
	}
	return out
}

func (f *fakeService) Erase(_ context.Context, r rights.RecordsRequest) (rights.ActionReply, error) {
	return f.act(rights.Erase, r.RecordIDs), nil
}

func (f *fakeService) Rectify(_ context.Context, r rights.RectifyRequest) (rights.ActionReply, error) {
	return f.act(rights.Rectify, r.RecordIDs), nil
}

func (f *fakeService) Restrict(_ context.Context, r rights.RecordsRequest) (rights.ActionReply, error) {
	return f.act(rights.Restrict, r.RecordIDs), nil
}

func (f *fakeService) Lift(_ context.Context, r rights.RecordsRequest) (rights.ActionReply, error) {
	return f.act(rights.Lift, r.RecordIDs), nil
}

var decode = testkit.Decode
