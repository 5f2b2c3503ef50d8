package adapters

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/services/board/internal/domain"
)

func TestDecodeStatusReadsEachServicesShape(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ack, respond := at.Add(72*time.Hour), at.Add(240*time.Hour)
	for _, c := range []struct {
		service, payload string
		want             domain.Status
	}{
		{"complaints", `{"event_id":"e1","at":"2026-03-02T10:00:00Z","complaint_id":"c1","reference":"CMP-1","stage":1,"status":"stage1_acknowledged",
			"team":"waste","acknowledge_due_at":"2026-03-05T10:00:00Z","respond_due_at":"2026-03-12T10:00:00Z","overdue":[],"change":"stage1.acknowledged"}`,
			domain.Status{EventID: "e1", Service: "complaints", At: at, Reference: "CMP-1", Stage: "stage1", Status: "stage1_acknowledged", Team: "waste",
				Change: "stage1.acknowledged", NextDueAt: &ack, RespondDueAt: &respond, Overdue: []string{}}},
		// At stage 3 the complaint names the Ombudsman's deadline it has next.
		{"complaints", `{"event_id":"e5","at":"2026-03-02T10:00:00Z","complaint_id":"c2","reference":"CMP-2","stage":3,"status":"stage3_with_ombudsman",
			"team":"waste","next_due_at":"2026-03-05T10:00:00Z","next_due":"stage3.enquiry:1","overdue":[],"change":"stage3.enquiry_received"}`,
			domain.Status{EventID: "e5", Service: "complaints", At: at, Reference: "CMP-2", Stage: "stage3", Status: "stage3_with_ombudsman", Team: "waste",
				Change: "stage3.enquiry_received", NextDueAt: &ack, NextDue: "stage3.enquiry:1", Overdue: []string{}}},
		{"investigations", `{"event_id":"e2","at":"2026-03-02T10:00:00Z","reference":"INV-1","area":"noise_nuisance","status":"received","change":"received"}`,
			domain.Status{EventID: "e2", Service: "investigations", At: at, Reference: "INV-1", Stage: "noise_nuisance", Status: "received", Change: "received"}},
		// A service the board has no type for, by the field names status events share.
		{"licensing", `{"event_id":"e3","at":"2026-03-02T10:00:00Z","reference":"LIC-1","stage":"compliance","status":"notice_sent","team":"council_tax",
			"next_due_at":"2026-03-05T10:00:00Z","change":"notice.sent"}`,
			domain.Status{EventID: "e3", Service: "licensing", At: at, Reference: "LIC-1", Stage: "compliance", Status: "notice_sent", Team: "council_tax",
				Change: "notice.sent", NextDueAt: &ack}},
		{"parking", `{"event_id":"e4","at":"2026-03-02T10:00:00Z","reference":"PRK-1","stage":2,"status":"decided","change":"decided"}`,
			domain.Status{EventID: "e4", Service: "parking", At: at, Reference: "PRK-1", Stage: "stage2", Status: "decided", Change: "decided"}},
	} {
		got, err := DecodeStatus(c.service, []byte(c.payload))
		if err != nil {
			t.Fatalf("%s: %v", c.service, err)
		}
		if !equalStatus(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.service, got, c.want)
		}
	}
	for _, bad := range []string{`{"event_id":`, `{"event_id":"e5","at":"2026-03-02T10:00:00Z","stage":1,"status":"x"}`, `{"stage":true}`} {
		if _, err := DecodeStatus("licensing", []byte(bad)); !errors.Is(err, domain.ErrMalformed) {
			t.Errorf("%s: %v, want a malformed event", bad, err)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Debt, publication and rights are read by their contract types, each as its shape says.
func TestDecodeStatusReadsDebtPublicationAndRights(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	due := at.Add(30 * 24 * time.Hour)
	reviewEnds := time.Date(2037, 1, 2, 0, 0, 0, 0, time.UTC) // the end of 1 January 2037 in London
	for _, c := range []struct {
		service string
		event   any
		want    domain.Status
	}{
		{"debt", events.DebtStatus{EventID: "e1", At: at, CaseID: "d1", Reference: "DEBT-1", ClientID: "swale-business-rates",
			Stage: "enforcement", Status: "enforcement", EarliestControlDate: "2026-03-10", ControlLimitDate: "2027-03-01",
			Arrangement: true, Change: "visit.recorded"},
			domain.Status{EventID: "e1", Service: "debt", At: at, Reference: "DEBT-1", Stage: "enforcement", Status: "enforcement",
				Team: "swale-business-rates", Change: "visit.recorded"}},
		{"debt", events.DebtStatus{EventID: "e2", At: at, Reference: "DEBT-2", Stage: "sale", Status: "paid", Change: "payment.received"},
			domain.Status{EventID: "e2", Service: "debt", At: at, Reference: "DEBT-2", Stage: "sale", Status: "paid", Change: "payment.received"}},
		{"publication", events.PublicationStatus{EventID: "e3", At: at, DecisionID: "p1", Reference: "PUB-1", Status: "published",
			Change: "published", TakedownOn: "2026-04-02"},
			domain.Status{EventID: "e3", Service: "publication", At: at, Reference: "PUB-1", Stage: "decision", Status: "published", Change: "published"}},
		{"rights", events.RightsStatus{EventID: "e4", At: at, CaseID: "r1", Reference: "SAR-1", Kind: "access", Status: "open",
			Phase: "searching", DueAt: &due, Overdue: false, Pending: []string{"debt"}, Change: "request.search_started"},
			domain.Status{EventID: "e4", Service: "rights", At: at, Reference: "SAR-1", Stage: "access", Status: "open",
				Change: "request.search_started", NextDueAt: &due, RespondDueAt: &due, Overdue: []string{}}},
		{"rights", events.RightsStatus{EventID: "e8", At: at, CaseID: "r1", Reference: "SAR-1", Kind: "access", Status: "completed",
			Pending: []string{}, Change: "request.completed"},
			domain.Status{EventID: "e8", Service: "rights", At: at, Reference: "SAR-1", Stage: "access", Status: "completed",
				Change: "request.completed", Overdue: []string{}, Responds: true}},
		{"rights", events.RightsStatus{EventID: "e9", At: at, CaseID: "r2", Reference: "SAR-2", Kind: "erasure", Status: "refused",
			Pending: []string{}, Change: "request.refused"},
			domain.Status{EventID: "e9", Service: "rights", At: at, Reference: "SAR-2", Stage: "erasure", Status: "refused",
				Change: "request.refused", Overdue: []string{}, Responds: true}},
		// A breach's deadline is named: its report to the ICO, then its record's review.
		{"rights", events.RightsStatus{EventID: "e5", At: at, Reference: "BR-1", Kind: "breach", Status: "open", DueAt: &at, Overdue: true,
			Pending: []string{}, Change: "breach.report.overdue"},
			domain.Status{EventID: "e5", Service: "rights", At: at, Reference: "BR-1", Stage: "breach", Status: "open",
				Change: "breach.report.overdue", NextDueAt: &at, NextDue: "ico_report", Overdue: []string{"ico_report"}}},
		{"rights", events.RightsStatus{EventID: "e10", At: at, Reference: "BR-2", Kind: "breach", Status: "closed", ReviewDueOn: "2037-01-01",
			Pending: []string{}, Change: "breach.closed"},
			domain.Status{EventID: "e10", Service: "rights", At: at, Reference: "BR-2", Stage: "breach", Status: "closed",
				Change: "breach.closed", ReviewDueOn: "2037-01-01", Overdue: []string{}}},
		{"rights", events.RightsStatus{EventID: "e11", At: at, Reference: "BR-2", Kind: "breach", Status: "review_due", DueAt: &reviewEnds,
			ReviewDueOn: "2037-01-01", Pending: []string{}, Change: "breach.review_due"},
			domain.Status{EventID: "e11", Service: "rights", At: at, Reference: "BR-2", Stage: "breach", Status: "review_due",
				Change: "breach.review_due", NextDueAt: &reviewEnds, NextDue: "review", ReviewDueOn: "2037-01-01", Overdue: []string{}}},
		{"rights", events.RightsStatus{EventID: "e6", At: at, Reference: "FOI-1", Kind: "foi", Status: "responded", Pending: []string{},
			Change: "foi.responded"},
			domain.Status{EventID: "e6", Service: "rights", At: at, Reference: "FOI-1", Stage: "foi", Status: "responded",
				Change: "foi.responded", Overdue: []string{}, Responds: true}},
	} {
		got, err := DecodeStatus(c.service, mustJSON(t, c.event))
		if err != nil {
			t.Fatalf("%s %s: %v", c.service, c.want.Reference, err)
		}
		if !equalStatus(got, c.want) || got.Responds != c.want.Responds || got.Finishing != nil {
			t.Errorf("%s:\n got %+v\nwant %+v", c.service, got, c.want)
		}
	}
	// Each still needs what the board keys and counts by.
	for service, bad := range map[string]any{
		"debt":        events.DebtStatus{EventID: "e7", At: at, Reference: "DEBT-3", Status: "compliance"},
		"publication": events.PublicationStatus{EventID: "e8", At: at, Status: "to_decide"},
		"rights":      events.RightsStatus{EventID: "e9", At: at, Reference: "SAR-2", Status: "open"},
	} {
		if _, err := DecodeStatus(service, mustJSON(t, bad)); !errors.Is(err, domain.ErrMalformed) {
			t.Errorf("%s: %v, want a malformed event", service, err)
		}
	}
	if _, err := DecodeStatus("rights", []byte(`{"event_id":"e10","at":"2026-03-02T10:00:00Z","reference":"SAR-3","kind":"access","status":"open","overdue":["respond"]}`)); !errors.Is(err, domain.ErrMalformed) {
		t.Errorf("rights with overdue as a list: %v, want a malformed event", err)
	}
	for _, date := range []string{"2037-13-01", "1 January 2037", "2037-1-1"} {
		bad := events.RightsStatus{EventID: "e12", At: at, Reference: "BR-3", Kind: "breach", Status: "closed", ReviewDueOn: date, Change: "breach.closed"}
		if _, err := DecodeStatus("rights", mustJSON(t, bad)); !errors.Is(err, domain.ErrMalformed) {
			t.Errorf("a breach reviewed on %q: %v, want a malformed event", date, err)
		}
	}
}

func equalStatus(a, b domain.Status) bool {
	sameTime := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	sameList := func(x, y []string) bool {
		if len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	return a.EventID == b.EventID && a.Service == b.Service && a.At.Equal(b.At) && a.Reference == b.Reference && a.Stage == b.Stage &&
		a.Status == b.Status && a.Team == b.Team && a.Change == b.Change && sameTime(a.NextDueAt, b.NextDueAt) &&
		sameTime(a.RespondDueAt, b.RespondDueAt) && sameList(a.Overdue, b.Overdue) && a.NextDue == b.NextDue && a.ReviewDueOn == b.ReviewDueOn
}
