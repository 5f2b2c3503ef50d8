package service_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsreply"
	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/domain"
	"casework.dev/services/rights/internal/service"
)

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// services are the services the rights service asks in these tests; each has a notice in
// the contracts. The tests stand in for them with fakeService.
var services = []string{"complaints", "investigations"}

// shareTap stands in for the partners' readers of the rights share stream, so the
// interest-retention stream keeps the notices for the test to read.
const shareTap = "test-share-tap"

// env is one rights service on the testkit's environment, with a clock the test moves.
type env struct {
	*testkit.Env
	svc *service.Service
}

func newEnv(t *testing.T) *env { return newEnvOn(t, nil, nil, calendar.NewManualClock(start)) }

// newEnvOn starts a service on existing infrastructure, as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock) *env {
	t.Helper()
	return newEnvAsking(t, db, n, clock, services)
}

// newEnvAsking starts a service that asks asked, each with its notice in the contracts.
func newEnvAsking(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, asked []string) *env {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWithCalendars(t, db, n, clock, asked, cal, nil)
}

// newEnvWithCalendars starts a service counting on the calendars the test chose (e.g. with a
// newly announced holiday): cal for rights requests, uk for FOI/EIR working days (the
// embedded UK table when nil).
func newEnvWithCalendars(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, asked []string,
	cal, uk *calendar.Calendar) *env {
	t.Helper()
	e := &env{}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), DB: db, NATS: n, Clock: clock,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			svc, err := service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes), Calendar: cal,
				WorkingDaysUK: uk, Services: asked, Ask: rightsreply.CallConfig{Timeout: 300 * time.Millisecond, Attempts: 1},
				// The wait before asking again is measured on the test's clock, which the tests move.
				Retry: domain.Retry{First: time.Minute, Max: 10 * time.Minute}, FanOutInterval: 20 * time.Millisecond})
			if err != nil {
				return nil, err
			}
			e.svc = svc
			return svc, te.Tap(ctx, "RIGHTS_SHARE", shareTap)
		}})
	return e
}

func (e *env) dpo() string     { return e.Token("dora", "dpo") }
func (e *env) officer() string { return e.Token("olly", "dpo_officer") }

type response = testkit.Response

func (e *env) count(query string, args ...any) int {
	e.T.Helper()
	var n int
	if err := e.DB.Get(&n, query, args...); err != nil {
		e.T.Fatal(err)
	}
	return n
}

// waitFor polls the request until cond holds, and returns it.
func (e *env) waitFor(id, what string, cond func(r map[string]any) bool) map[string]any {
	e.T.Helper()
	var last map[string]any
	testkit.Eventually(e.T, 10*time.Second, what, func() (bool, string) {
		last = e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
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
	// marketingOnly: the service's notice offers objection only to direct marketing, which
	// an objection ends (rights.Objector); any other restricts.
	marketingOnly bool
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
	r, err := rightsreply.Serve(e.NATS.Conn, rightsreply.Config{Subject: rights.Subjects(f.name), Queue: rights.QueueGroup(f.name),
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

func (f *fakeService) Object(_ context.Context, r rights.RecordsRequest) (rights.ActionReply, error) {
	reply, effect := f.act(rights.Object, r.RecordIDs), rights.EffectRestricted
	if f.marketingOnly {
		effect = rights.EffectMarketingEnded
	}
	for i := range reply.Outcomes {
		if reply.Outcomes[i].Done {
			reply.Outcomes[i].Effect = effect
		}
	}
	return reply, nil
}

var decode = testkit.Decode
