package service_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts/events"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
	"casework.dev/pkg/webhook"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

const (
	shareStream       = "COMPLAINTS_SHARE"
	rightsShareStream = "RIGHTS_SHARE"
)

// env is one delivery worker on the testkit's environment, its NATS server carrying the
// complaints share stream.
type env struct {
	*testkit.Env
	svc    *service.Service
	policy domain.RetryPolicy
}

func newEnv(t *testing.T, policy domain.RetryPolicy, partners ...service.WebhookPartner) *env {
	t.Helper()
	return newEnvWith(t, envOptions{}, policy, partners...)
}

// envOptions are what some tests set beyond the retry policy.
type envOptions struct {
	Clock         *calendar.ManualClock // nil: the system's
	Retention     time.Duration         // dead letters' body retention; 0: the default
	SweepInterval time.Duration         // 0: the default (hourly)
}

func newEnvWith(t *testing.T, opts envOptions, policy domain.RetryPolicy, partners ...service.WebhookPartner) *env {
	t.Helper()
	e := &env{policy: policy}
	var now func() time.Time
	if opts.Clock != nil {
		now = opts.Clock.Now
	}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), Clock: opts.Clock,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			// The complaints service's share stream, as it provisions it.
			if _, err := te.NATS.JS.CreateStream(ctx, jetstream.StreamConfig{Name: shareStream,
				Subjects: []string{"share.*.complaints.>"}, Storage: jetstream.FileStorage, MaxAge: time.Hour,
				Duplicates: 10 * time.Minute}); err != nil {
				return nil, err
			}
			// The rights service's, which carries Article 19 notices to partners.
			if _, err := te.NATS.JS.CreateStream(ctx, jetstream.StreamConfig{Name: rightsShareStream,
				Subjects: []string{"share.*.rights.>"}, Storage: jetstream.FileStorage, MaxAge: time.Hour,
				Duplicates: 10 * time.Minute}); err != nil {
				return nil, err
			}
			svc, err := service.New(ctx, service.Config{ServiceConfig: te.ServiceConfig(), Partners: partners, Streams: []string{shareStream, rightsShareStream},
				Retry: policy, HTTPTimeout: 5 * time.Second, Now: now,
				DeadLetterRetention: opts.Retention, SweepInterval: opts.SweepInterval})
			e.svc = svc
			return svc, err
		}})
	return e
}

// publish sends a disclosure the way the complaints relay does: Nats-Msg-Id and the
// watermill uuid both carry the disclosure id. It returns the exact bytes published.
func (e *env) publish(recipient, id string) []byte {
	e.T.Helper()
	return e.publishWithMsgID(recipient, id, id)
}

// publishWithMsgID lets a test bypass the stream's duplicate window, as a relay replay after
// the window would.
func (e *env) publishWithMsgID(recipient, id, msgID string) []byte {
	e.T.Helper()
	body, err := json.Marshal(events.ComplaintDisclosure{DisclosureID: id, Recipient: recipient, Purpose: "referral",
		Condition: "complainant_request", NoticeVersion: "1", Reference: "CMP-2026-000001",
		DisclosedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Data: map[string]any{"name": "Ada Lovelace"}})
	if err != nil {
		e.T.Fatal(err)
	}
	msg := &nats.Msg{Subject: events.ShareSubject(recipient, "complaints", "referral"), Data: body, Header: nats.Header{}}
	msg.Header.Set("Nats-Msg-Id", msgID)
	msg.Header.Set("_watermill_message_uuid", id)
	if _, err := e.NATS.JS.PublishMsg(context.Background(), msg); err != nil {
		e.T.Fatal(err)
	}
	return body
}

// publishArticle19 sends the rights service's Article 19 notice to recipient: the data of
// its earlier disclosure original was erased, rectified, restricted or a restriction lifted.
func (e *env) publishArticle19(recipient, id, original, action string) {
	e.T.Helper()
	body, err := json.Marshal(map[string]any{"disclosure_id": id, "recipient": recipient, "purpose": "article19", "condition": "legal_obligation",
		"notice_version": "1", "disclosed_at": time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC),
		"data": map[string]any{"service": "complaints", "original_disclosure_id": original, "action": action}})
	if err != nil {
		e.T.Fatal(err)
	}
	msg := &nats.Msg{Subject: events.ShareSubject(recipient, "rights", events.RightsArticle19Suffix), Data: body, Header: nats.Header{}}
	msg.Header.Set("Nats-Msg-Id", id)
	msg.Header.Set("_watermill_message_uuid", id)
	if _, err := e.NATS.JS.PublishMsg(context.Background(), msg); err != nil {
		e.T.Fatal(err)
	}
}

// drained waits until the partner's consumer has nothing pending or unacknowledged.
func (e *env) drained(partner string) {
	e.T.Helper()
	ctx := context.Background()
	testkit.Eventually(e.T, 10*time.Second, "consumer "+partner+" drained", func() (bool, string) {
		// A consumer created a moment ago may not yet count what waits for it: require it
		// to have delivered at least as many messages as the stream holds for the partner.
		s, err := e.NATS.JS.Stream(ctx, shareStream)
		if err != nil {
			return false, err.Error()
		}
		si, err := s.Info(ctx, jetstream.WithSubjectFilter("share."+partner+".>"))
		if err != nil {
			return false, err.Error()
		}
		var held uint64
		for _, n := range si.State.Subjects {
			held += n
		}
		c, err := e.NATS.JS.Consumer(ctx, shareStream, messaging.WebhookReaderName(partner))
		if err != nil {
			return false, err.Error()
		}
		info, err := c.Info(ctx)
		if err != nil {
			return false, err.Error()
		}
		return info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Consumer >= held,
			jsonString(map[string]any{"pending": info.NumPending, "ack_pending": info.NumAckPending,
				"delivered": info.Delivered.Consumer, "held": held})
	})
}

type attemptRow struct {
	DisclosureID string  `db:"disclosure_id"`
	Attempt      int     `db:"attempt"`
	StatusCode   *int    `db:"status_code"`
	Error        *string `db:"error"`
	TriggeredBy  string  `db:"triggered_by"`
}

// attempts lists the logged attempts for one partner by disclosure, then attempt number.
func (e *env) attempts(partner string) []attemptRow {
	e.T.Helper()
	var rows []attemptRow
	if err := e.DB.Select(&rows, `SELECT disclosure_id, attempt, status_code, error, triggered_by FROM delivery_attempts
		WHERE partner = $1 ORDER BY disclosure_id, attempt`, partner); err != nil {
		e.T.Fatal(err)
	}
	return rows
}

func (e *env) count(query string, args ...any) int {
	e.T.Helper()
	var n int
	if err := e.DB.Get(&n, query, args...); err != nil {
		e.T.Fatal(err)
	}
	return n
}

// receiver is a partner's webhook endpoint: it verifies every request with
// webhook.Verify, deduplicates by webhook-id and answers what fail says.
type receiver struct {
	server *httptest.Server
	secret string

	mu        sync.Mutex
	fail      func(id string, n int) int // status for the n-th request (1-based) of id; 0 means 200
	requests  map[string]int             // every request by webhook-id
	successes map[string]int             // 2xx answers by webhook-id
	bodies    map[string][]byte          // first accepted body by webhook-id
	forged    int                        // requests whose signature did not verify
}

func newReceiver(t *testing.T, fail func(id string, n int) int) *receiver {
	t.Helper()
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{secret: secret, fail: fail, requests: map[string]int{}, successes: map[string]int{}, bodies: map[string][]byte{}}
	r.server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.server.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	if err := webhook.Verify(r.secret, req.Header, body, time.Now(), 0); err != nil {
		r.forged++
		r.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	id := req.Header.Get(webhook.HeaderID)
	r.requests[id]++
	n := r.requests[id]
	r.mu.Unlock()
	// Asked unlocked: a test may hold one post open while another comes in.
	status := r.fail(id, n)
	r.mu.Lock()
	defer r.mu.Unlock()
	if status != 0 {
		http.Error(w, "down for maintenance", status)
		return
	}
	if _, seen := r.bodies[id]; !seen {
		r.bodies[id] = body
	}
	r.successes[id]++
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) partner(id string) service.WebhookPartner {
	return service.WebhookPartner{ID: id, URL: r.server.URL + "/casework", Secret: r.secret}
}

func (r *receiver) snapshot() (requests, successes map[string]int, forged int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return clone(r.requests), clone(r.successes), r.forged
}

func clone(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
