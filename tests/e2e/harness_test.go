package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsreply"
	"casework.dev/pkg/testkit"
	board "casework.dev/services/board/inprocess"
	complaints "casework.dev/services/complaints/inprocess"
	debt "casework.dev/services/debt/inprocess"
	investigations "casework.dev/services/investigations/inprocess"
	publication "casework.dev/services/publication/inprocess"
	rights "casework.dev/services/rights/inprocess"
)

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// council is every service that holds personal data and the rights service that asks them,
// on one NATS server and one clock, each on its own database and served over HTTP, as
// testkit starts a service for its own tests. Any one's tokens are good for all. With
// withBoard, the managers' board follows every service's status events too.
type council struct {
	t                                  *testing.T
	nats                               *testkit.NATS
	clock                              *calendar.ManualClock
	complaints, investigations, rights *testkit.Env
	debt, publication                  *testkit.Env
	board                              *testkit.Env // nil unless started withBoard
}

// partnersTap stands in for the partners' readers of the rights share stream, so the
// interest-retention stream keeps the Article 19 notices for the test to read.
const partnersTap = "test-partners"

// councilOption changes what newCouncil starts.
type councilOption func(*councilOptions)

type councilOptions struct{ board bool }

// withBoard starts the managers' board beside the services.
func withBoard(o *councilOptions) { o.board = true }

func newCouncil(t *testing.T, opts ...councilOption) *council {
	t.Helper()
	var o councilOptions
	for _, opt := range opts {
		opt(&o)
	}
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := &council{t: t, nats: testkit.NewNATS(t), clock: calendar.NewManualClock(start)}
	sets := [][]postgres.Migration{complaints.Migrations(), investigations.Migrations(), debt.Migrations(), publication.Migrations(),
		rights.Migrations()}
	if o.board {
		sets = append(sets, board.Migrations())
	}
	dbs := testkit.NewDatabases(t, sets...)
	on := func(db *sqlx.DB, start func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error)) *testkit.Env {
		return testkit.StartService(t, testkit.ServiceEnv{DB: db, NATS: c.nats, Clock: c.clock, Start: start})
	}
	c.complaints = on(dbs[0], func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error) {
		return complaints.New(ctx, complaints.Config{CaseConfig: e.CaseConfig(complaints.Name, contracts.Notice, complaints.MaxBodyBytes), Calendar: cal})
	})
	c.investigations = on(dbs[1], func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error) {
		return investigations.New(ctx, investigations.Config{CaseConfig: e.CaseConfig(investigations.Name, contracts.Notice, investigations.MaxBodyBytes)})
	})
	c.debt = on(dbs[2], func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error) {
		return debt.New(ctx, debt.Config{CaseConfig: e.CaseConfig(debt.Name, contracts.Notice, debt.MaxJSONBodyBytes), Calendar: cal})
	})
	c.publication = on(dbs[3], func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error) {
		return publication.New(ctx, publication.Config{CaseConfig: e.CaseConfig(publication.Name, contracts.Notice, publication.MaxBodyBytes), Calendar: cal,
			NATSURL: c.nats.URL, ConsumerRetry: 10 * time.Millisecond})
	})
	c.rights = on(dbs[4], func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error) {
		svc, err := rights.New(ctx, rights.Config{CaseConfig: e.CaseConfig(rights.Name, contracts.Notice, rights.MaxBodyBytes), Calendar: cal,
			Services: []string{complaints.Name, investigations.Name, debt.Name, publication.Name},
			Ask:      rightsreply.CallConfig{Timeout: 5 * time.Second, Attempts: 3, Backoff: 50 * time.Millisecond},
			// The wait before asking again is measured on the test's clock, which stands still.
			Retry: rights.Retry{First: time.Minute, Max: 10 * time.Minute}, FanOutInterval: 20 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		return svc, e.Tap(ctx, "RIGHTS_SHARE", partnersTap)
	})
	if o.board {
		c.board = on(dbs[5], func(ctx context.Context, e *testkit.Env) (bootstrap.Runnable, error) {
			list, err := contracts.Services()
			if err != nil {
				return nil, err
			}
			// As the binary follows them by default: every service that publishes status.
			followed, err := board.Follow(list, []string{"complaints", "investigations", "debt", "publication", "rights"})
			if err != nil {
				return nil, err
			}
			var name string // the board listens on its own database for changes
			if err := e.DB.Get(&name, `SELECT current_database()`); err != nil {
				return nil, err
			}
			base := e.ServiceConfig()
			base.MaxBodyBytes = board.MaxBodyBytes
			return board.New(ctx, board.Config{ServiceConfig: base, Postgres: testkit.PostgresConfig().WithDatabase(name),
				NATSURL: c.nats.URL, Services: followed, InsecureCookie: true, Now: c.clock.Now})
		})
	}
	return c
}

// ann is the person asking: the same identifiers in every service.
var ann = map[string]any{"name": "Ann Applicant", "address": "1 Old Road, Maidstone ME15 6JQ", "phone": "07700 900123", "email": "ann@example.org"}

// person is p in role, as a case service takes a person.
func person(role string, p map[string]any) map[string]any {
	out := map[string]any{"role": role}
	for k, v := range p {
		out[k] = v
	}
	return out
}

// rightsRequest logs a request of kind for Ann, searches every service and waits for the
// candidates; it returns the request's id and its candidates as service/record/role.
func (c *council) rightsRequest(kind string, extra map[string]any) (string, map[string]string) {
	c.t.Helper()
	return c.rightsRequestOf(map[string]any{"name": "Ann Applicant", "email": "ann@example.org", "postcode": "ME15 6JQ"}, kind, extra)
}

// rightsRequestOf is rightsRequest for the person subject names, who asks for themselves.
func (c *council) rightsRequestOf(subject map[string]any, kind string, extra map[string]any) (string, map[string]string) {
	c.t.Helper()
	body := map[string]any{"kind": kind, "received_at": c.rights.Clock.Now().Format(time.RFC3339),
		"requester":       map[string]any{"name": subject["name"], "email": subject["email"]},
		"subject":         subject,
		"identity_method": "passport seen at the council offices", "details": "Please act on everything you hold about me."}
	for k, v := range extra {
		body[k] = v
	}
	officer := c.rights.Token("olly", "dpo_officer")
	id := c.rights.Must(201, "POST", "/requests", officer, body)["id"].(string)
	c.rights.Must(202, "POST", "/requests/"+id+"/search", officer, nil)
	r := c.waitFor(id, "every service to answer the search", "confirming")
	candidates := map[string]string{}
	for _, x := range r["candidates"].([]any) {
		x := x.(map[string]any)
		candidates[x["service"].(string)+" "+x["role"].(string)] = x["record_id"].(string)
	}
	return id, candidates
}

// confirm confirms the records named (service and role) and waits for the services' answers.
func (c *council) confirm(id string, candidates map[string]string, which ...string) map[string]any {
	c.t.Helper()
	var matches []map[string]any
	for _, w := range which {
		service, _, _ := strings.Cut(w, " ")
		matches = append(matches, map[string]any{"service": service, "record_id": candidates[w]})
	}
	c.rights.Must(202, "POST", "/requests/"+id+"/confirm", c.rights.Token("dora", "dpo"), map[string]any{"matches": matches})
	return c.waitFor(id, "every service to answer", "ready")
}

func (c *council) waitFor(id, what, phase string) map[string]any {
	c.t.Helper()
	var last map[string]any
	testkit.Eventually(c.t, 20*time.Second, what, func() (bool, string) {
		last = c.rights.Must(200, "GET", "/requests/"+id, c.rights.Token("olly", "dpo_officer"), nil)
		return last["phase"] == phase, fmt.Sprintf("phase %v pending %v", last["phase"], last["pending"])
	})
	return last
}

// outcomes are a request's outcomes by service, verb and record.
func outcomes(r map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, o := range r["outcomes"].([]any) {
		o := o.(map[string]any)
		out[fmt.Sprintf("%s %s %s", o["service"], o["verb"], o["record_id"])] = o
	}
	return out
}

// notices are a request's Article 19 notices as "service recipient action original".
func notices(r map[string]any) []string {
	var out []string
	for _, n := range r["article19_notices"].([]any) {
		n := n.(map[string]any)
		out = append(out, fmt.Sprintf("%s %s %s %s", n["service"], n["recipient"], n["action"], n["original_disclosure_id"]))
	}
	return out
}
