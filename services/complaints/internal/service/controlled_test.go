package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"gopkg.in/yaml.v3"

	"casework.dev/contracts"
	"casework.dev/contracts/events"
	"casework.dev/migrations"
	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
	"casework.dev/services/complaints/internal/service"
)

// The example of an officer's free text: personal data, fragments and all.
const freeTextService = "housing repairs for Jane Doe at 12 Acacia Avenue"

var personalFragments = []string{"Jane", "Jane Doe", "Acacia", "07700 900777", "jane.doe@example.org"}

// Issue 8 item 4, the example exactly: a service given as free text is refused with a 400
// problem naming the field and repeating none of it, and nothing is stored. The use case
// refuses it too, without the contract in front.
func TestServiceMustComeFromTheCatalogue(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	body := aComplaint()
	body["service"] = freeTextService
	before := e.TableCounts(t)
	r := e.Call("POST", "/complaints", alice, body)
	p := r.JSON(t)
	fields, _ := p["errors"].([]any)
	if r.Status != http.StatusBadRequest || r.Header.Get("Content-Type") != "application/problem+json" || len(fields) != 1 ||
		fields[0].(map[string]any)["pointer"] != "/service" {
		t.Fatalf("free-text service: %d %s", r.Status, r.Body)
	}
	noPersonalFragment(t, "the problem", r.Body)
	if after := e.TableCounts(t); !maps.Equal(before, after) {
		t.Fatalf("the refusal changed the database: %v -> %v", before, after)
	}

	r = e.Call("GET", "/complaints?service="+url.QueryEscape(freeTextService), alice, nil)
	if r.Status != http.StatusBadRequest {
		t.Fatalf("list by a free-text service: %d %s", r.Status, r.Body)
	}
	noPersonalFragment(t, "the list problem", r.Body)

	services, err := service.LoadServiceCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	in := domain.NewComplaint{Complainant: domain.Complainant{Name: "Jane Doe", Email: "jane.doe@example.org"},
		Details: "Repairs outstanding.", Service: freeTextService, Channel: "web"}
	_, _, err = e.svc.App.LogComplaint(context.Background(), "alice", in, casework.IdempotencyKey{})
	var invalid *casework.ValidationError
	if !errors.As(err, &invalid) || invalid.Field != "service" ||
		invalid.Detail != "must be the id of a service in the council's service catalogue: "+strings.Join(services.IDs(), ", ") {
		t.Fatalf("use case with a free-text service: %v", err)
	}
	for _, id := range services.IDs() { // every id of the catalogue is accepted
		body["service"] = id
		e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	}
}

// The contract's ServiceId enum is the catalogue, in the same order.
func TestContractListsTheServiceCatalogue(t *testing.T) {
	raw, err := contracts.OpenAPI("complaints")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `yaml:"enum"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	services, err := service.LoadServiceCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Components.Schemas["ServiceId"].Enum; !slices.Equal(got, services.IDs()) {
		t.Fatalf("ServiceId enum %v\n  catalogue %v", got, services.IDs())
	}
}

// Personal-looking text in every free-text input of every stage, the Ombudsman's included,
// appears nowhere on complaints.events.> or status.complaints.>, nor in /statistics; every
// string those carry is an id or a value of the list its field declares.
func TestEventsAndStatisticsCarryOnlyIdsAndControlledValues(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	statusEvents := e.Collect("COMPLAINTS_STATUS", "status.>")
	alice, bob, carol, lucy, mina := e.officer("alice"), e.officer("bob"), e.officer("carol"), e.lgo("lucy"), e.manager("mina")
	const text = "Jane Doe of 12 Acacia Avenue, 07700 900777, jane.doe@example.org"
	changes := 0
	do := func(status int, method, path, token string, body any) map[string]any {
		t.Helper()
		changes++
		return e.Must(status, method, path, token, body)
	}
	body := map[string]any{"complainant": map[string]any{"name": "Jane Doe", "address": "12 Acacia Avenue", "phone": "07700 900777",
		"email": "jane.doe@example.org"}, "details": text, "special_details": text, "service": "housing", "channel": "letter",
		"consent_to": []string{"ward-councillor"}}
	id := do(http.StatusCreated, "POST", "/complaints", alice, body)["id"].(string)
	p := "/complaints/" + id
	do(http.StatusCreated, "POST", p+"/disclosures", alice, map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})
	do(http.StatusOK, "POST", p+"/consents", alice, map[string]any{"recipient": "kent-county-council"})
	do(http.StatusOK, "DELETE", p+"/consents/kent-county-council", alice, nil)
	do(http.StatusOK, "POST", p+"/acknowledge", alice, nil)
	do(http.StatusOK, "POST", p+"/extend", alice, map[string]any{"working_days": 5, "reason": text})
	do(http.StatusOK, "POST", p+"/respond", alice, map[string]any{"outcome": "partly_upheld", "summary": text, "remedies": []string{text}})
	do(http.StatusOK, "POST", p+"/escalate", alice, map[string]any{"further_details": text, "handler": "bob"})
	do(http.StatusOK, "POST", p+"/acknowledge", bob, nil)
	do(http.StatusOK, "POST", p+"/respond", bob, map[string]any{"outcome": "upheld", "summary": text, "remedies": []string{text}})
	do(http.StatusOK, "POST", p+"/lgo/referral", carol, map[string]any{"lgo_reference": "Jane Doe 25 012 345", "first_knew_on": "2026-02-20",
		"process_completed": true, "details": text})
	do(http.StatusOK, "POST", p+"/lgo/necessity", lucy, map[string]any{"reason": text})
	do(http.StatusOK, "POST", p+"/lgo/enquiries", lucy, map[string]any{"questions": text, "response_due_on": "2026-03-20"})
	do(http.StatusCreated, "POST", p+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": []string{text}})
	do(http.StatusOK, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "upheld_fault_injustice", "decided_on": "2026-03-02",
		"summary": text, "remedies": []any{map[string]any{"description": text, "due_on": "2026-03-30"}}})
	do(http.StatusOK, "POST", p+"/lgo/remedies/1/compliance", lucy, map[string]any{"note": text})
	do(http.StatusOK, "PUT", p+"/legal-hold", mina, map[string]any{"reason": text})
	do(http.StatusOK, "DELETE", p+"/legal-hold", mina, nil)
	do(http.StatusOK, "POST", p+"/close", lucy, map[string]any{"reason": text})

	e.WaitRelayed(t)
	check := controlledValues(t, e)
	for _, m := range domainEvents.WaitFor(t, changes) {
		check(m, &events.ComplaintEvent{})
	}
	for _, m := range statusEvents.WaitFor(t, changes) {
		check(m, &events.ComplaintStatus{})
	}

	r := e.Call("GET", "/statistics?from=2026-03-01&to=2026-03-31", alice, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("statistics: %d %s", r.Status, r.Body)
	}
	noPersonalFragment(t, "/statistics", r.Body)
	var stats struct{ Received, Responses []struct{ Service string } }
	if err := json.Unmarshal(r.Body, &stats); err != nil {
		t.Fatal(err)
	}
	services, _ := service.LoadServiceCatalogue()
	cells := append(stats.Received, stats.Responses...)
	if len(cells) == 0 {
		t.Fatalf("no statistics: %s", r.Body)
	}
	for _, c := range cells {
		if !services.Has(c.Service) {
			t.Errorf("statistics label %q is not a catalogue id", c.Service)
		}
	}
}

// controlledValues returns a check that a message decodes strictly into its payload type,
// holds no personal fragment, and that each string it carries belongs to its field's list.
func controlledValues(t *testing.T, e *env) func(m jetstream.Msg, payload any) {
	services, err := service.LoadServiceCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	notice := e.svc.App.Notice()
	statuses := []string{"stage1_received", "stage1_acknowledged", "stage1_responded", "stage2_received", "stage2_acknowledged",
		"stage2_responded", "stage3_referred", "stage3_enquiry", "stage3_responded", "stage3_decided", "closed"}
	outcomes := []string{"upheld", "partly_upheld", "not_upheld"}
	for _, o := range domain.LGOOutcomes {
		outcomes = append(outcomes, string(o))
	}
	valid := map[string]func(string) bool{
		events.VocabMessageID:     events.UUIDPattern.MatchString,
		events.VocabCaseID:        events.UUIDPattern.MatchString,
		events.VocabCaseReference: events.ReferencePattern.MatchString,
		events.VocabEventType:     events.EventTypePattern.MatchString,
		events.VocabDeadline:      events.DeadlinePattern.MatchString,
		events.VocabStatus:        func(v string) bool { return slices.Contains(statuses, v) },
		events.VocabOutcome:       func(v string) bool { return slices.Contains(outcomes, v) },
		events.VocabService:       services.Has,
		events.VocabRecipient:     func(v string) bool { _, ok := notice.Recipient(v); return ok },
	}
	return func(m jetstream.Msg, payload any) {
		t.Helper()
		noPersonalFragment(t, m.Subject(), m.Data())
		for _, problem := range events.Check(m.Data(), payload, valid) {
			t.Errorf("%s: %v: %s", m.Subject(), problem, m.Data())
		}
	}
}

func noPersonalFragment(t *testing.T, where string, data []byte) {
	t.Helper()
	for _, f := range personalFragments {
		if bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(f))) {
			t.Errorf("%s carries %q: %s", where, f, data)
		}
	}
}

// Complaints stored before the catalogue keep no free text on the case row: the migration
// matches the words to a catalogue id (or 'other') and moves them to the personal data.
func TestServiceCatalogueMigrationMovesFreeTextToThePersonalData(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	ids := map[string]string{}
	for _, words := range []string{"Council Tax Reduction for Jane Doe", "Street lights on Acacia Avenue", freeTextService, "the mayor's parlour", "waste"} {
		c := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
		ids[words] = c["id"].(string)
		if _, err := e.DB.Exec(`UPDATE complaints SET service = $1 WHERE id = $2`, words, c["id"]); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := fs.ReadFile(migrations.Complaints(), "00005_service_catalogue.sql")
	if err != nil {
		t.Fatal(err)
	}
	up, _, _ := strings.Cut(string(raw), "-- +goose Down")
	if _, err := e.DB.Exec(up); err != nil {
		t.Fatal(err)
	}
	for words, want := range map[string]string{"Council Tax Reduction for Jane Doe": "benefits", "Street lights on Acacia Avenue": "lighting",
		freeTextService: "housing", "the mayor's parlour": "other", "waste": "waste"} {
		var got struct {
			Service string `db:"service"`
			Details string `db:"details"`
		}
		if err := e.DB.Get(&got, `SELECT c.service, p.details FROM complaints c JOIN complaint_personal_data p ON p.complaint_id = c.id
			WHERE c.id = $1`, ids[words]); err != nil {
			t.Fatal(err)
		}
		wantDetails := aComplaint()["details"].(string)
		if words != "waste" {
			wantDetails += "\n\n[Service as first recorded: " + words + "]"
		}
		if got.Service != want || got.Details != wantDetails {
			t.Errorf("%q: service %q, details %q; want %q, %q", words, got.Service, got.Details, want, wantDetails)
		}
	}
}
