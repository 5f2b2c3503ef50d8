package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts"
	"casework.dev/contracts/events"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// env is one publication service on the testkit's environment, with a clock the test
// moves. The investigations service's streams exist as that service creates them; the test
// publishes its conviction disclosures.
type env struct {
	*testkit.Env
	svc *service.Service
}

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	provisionInvestigations(t, n)
	return newEnvOn(t, db, n, calendar.NewManualClock(start))
}

// provisionInvestigations creates the investigations service's streams and its share
// readers, as that service does at start.
func provisionInvestigations(t *testing.T, n *testkit.NATS) {
	t.Helper()
	ctx := context.Background()
	if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams("investigations", 1, 0)...); err != nil {
		t.Fatal(err)
	}
	raw, err := contracts.Notice("investigations")
	if err != nil {
		t.Fatal(err)
	}
	nt, err := notice.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := partners.ProvisionReaders(ctx, n.JS, "investigations", contracts.Partners(), nt.RecipientIDs()); err != nil {
		t.Fatal(err)
	}
}

// newEnvWithNotice is newEnv enforcing the notice at noticeFile instead of the contract's.
func newEnvWithNotice(t *testing.T, noticeFile string) *env {
	t.Helper()
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	provisionInvestigations(t, n)
	return startEnv(t, db, n, calendar.NewManualClock(start), noticeFile)
}

// editedNotice is the publication notice with each old text in pairs replaced by the new
// text after it, as a file.
func editedNotice(t *testing.T, pairs ...string) string {
	t.Helper()
	raw, err := contracts.Notice(service.Name)
	if err != nil {
		t.Fatal(err)
	}
	return testkit.EditedFile(t, "publication.yaml", raw, pairs...)
}

// newEnvOn starts a service on existing infrastructure, as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock) *env {
	t.Helper()
	return startEnv(t, db, n, clock, "")
}

func startEnv(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, noticeFile string) *env {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), DB: db, NATS: n, Clock: clock, NoticeFile: noticeFile,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			svc, err := service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes),
				Calendar: cal, NATSURL: n.URL, ConsumerRetry: 10 * time.Millisecond})
			e.svc = svc
			return svc, err
		}})
	return e
}

func (e *env) officer(name string) string { return e.Token(name, "publication_officer") }
func (e *env) manager(name string) string { return e.Token(name, "publication_manager") }

type response = testkit.Response

// disclose publishes a conviction disclosure exactly as the investigations service's relay
// does: the envelope on share.publication-service.investigations.publication_decision, the
// disclosure id as event id and Nats-Msg-Id. msgID overrides the Nats-Msg-Id (to get past
// the stream's duplicate window, as a redelivery after it would).
func (e *env) disclose(disclosureID, msgID string, data map[string]any) {
	e.T.Helper()
	body, err := json.Marshal(events.InvestigationDisclosure{DisclosureID: disclosureID, Recipient: "publication-service",
		Purpose: "publication_decision", Condition: "public_task", NoticeVersion: "2026.11.1", Reference: "INV-2026-000042",
		Area: "noise", DisclosedAt: e.Clock.Now(), Data: data})
	if err != nil {
		e.T.Fatal(err)
	}
	msg := nats.NewMsg(events.InvestigationsPublicationSubject)
	msg.Data = body
	msg.Header.Set(messaging.HeaderEventID, disclosureID)
	if msgID == "" {
		msgID = disclosureID
	}
	msg.Header.Set(jetstream.MsgIDHeader, msgID)
	if _, err := e.NATS.JS.PublishMsg(context.Background(), msg); err != nil {
		e.T.Fatal(err)
	}
}

// aConviction is the six fields the investigations service sends.
func aConviction() map[string]any {
	return map[string]any{"name": "Sam Subject", "town": "Maidstone", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-02-20", "sentence": "Fine of GBP 1,200"}
}

// waitForDecision polls until the service has opened n decisions, and returns their ids.
func (e *env) waitForDecisions(n int) []string {
	e.T.Helper()
	var ids []string
	testkit.Eventually(e.T, 10*time.Second, fmt.Sprintf("%d decisions", n), func() (bool, string) {
		ids = nil
		if err := e.DB.Select(&ids, `SELECT id FROM publication_decisions ORDER BY reference`); err != nil {
			return false, err.Error()
		}
		return len(ids) >= n, fmt.Sprintf("%d decisions", len(ids))
	})
	return ids
}

// aDraft is a complete decision to publish on the website; change what a test needs.
func aDraft() map[string]any {
	factor := func(rating, reason string) map[string]any { return map[string]any{"rating": rating, "reason": reason} }
	return map[string]any{
		"factors": map[string]any{
			"significance":     factor("high", "Repeated breach of a court-backed notice."),
			"community_effect": factor("high", "Twelve households on Mill Lane affected for months."),
			"frequency":        factor("medium", "Noise notice breaches rising in the borough."),
			"publicity":        factor("low", "No press coverage so far."),
		},
		"offender":        map[string]any{"age_at_conviction": 41, "family_or_children": "Lives alone.", "vulnerability": "None known."},
		"sentence":        map[string]any{"type": "fine"},
		"proportionality": map[string]any{"proportionate": true, "conclusion": "Deterrence outweighs the limited intrusion."},
		"outcome":         "publish_website",
		"reasons":         "Publication deters further breaches and reassures residents.",
	}
}

// publish takes a decision from to_decide to published: officer drafts, manager approves.
func (e *env) publish(id string, draft map[string]any) map[string]any {
	e.T.Helper()
	e.Must(200, "POST", "/decisions/"+id+"/draft", e.officer("olive"), draft)
	return e.Must(200, "POST", "/decisions/"+id+"/approve", e.manager("maria"), nil)
}

// registerJSON is the JSON register's entries.
func (e *env) registerJSON() []map[string]any {
	e.T.Helper()
	r := e.Call("GET", "/public/prosecutions", "", nil)
	if r.Status != 200 {
		e.T.Fatalf("register: %d %s", r.Status, r.Body)
	}
	var body struct {
		Prosecutions []map[string]any `json:"prosecutions"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		e.T.Fatal(err)
	}
	return body.Prosecutions
}

var decode = testkit.Decode
