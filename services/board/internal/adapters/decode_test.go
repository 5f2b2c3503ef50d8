package adapters

import (
	"errors"
	"testing"
	"time"

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
		{"investigations", `{"event_id":"e2","at":"2026-03-02T10:00:00Z","reference":"INV-1","area":"noise_nuisance","status":"received","change":"received"}`,
			domain.Status{EventID: "e2", Service: "investigations", At: at, Reference: "INV-1", Stage: "noise_nuisance", Status: "received", Change: "received"}},
		// A service the board has no type for, by the field names status events share.
		{"debt", `{"event_id":"e3","at":"2026-03-02T10:00:00Z","reference":"DEBT-1","stage":"compliance","status":"notice_sent","team":"council_tax",
			"next_due_at":"2026-03-05T10:00:00Z","change":"notice.sent"}`,
			domain.Status{EventID: "e3", Service: "debt", At: at, Reference: "DEBT-1", Stage: "compliance", Status: "notice_sent", Team: "council_tax",
				Change: "notice.sent", NextDueAt: &ack}},
		{"publication", `{"event_id":"e4","at":"2026-03-02T10:00:00Z","reference":"PUB-1","stage":2,"status":"decided","change":"decided"}`,
			domain.Status{EventID: "e4", Service: "publication", At: at, Reference: "PUB-1", Stage: "stage2", Status: "decided", Change: "decided"}},
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
		if _, err := DecodeStatus("debt", []byte(bad)); !errors.Is(err, domain.ErrMalformed) {
			t.Errorf("%s: %v, want a malformed event", bad, err)
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
		sameTime(a.RespondDueAt, b.RespondDueAt) && sameList(a.Overdue, b.Overdue)
}
