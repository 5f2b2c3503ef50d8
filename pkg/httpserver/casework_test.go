package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/notice"
)

type (
	testAction string
	testStatus string
)

// Each typed refusal becomes exactly one problem, whichever service wraps it how.
func TestCaseErrorsMapsEveryRefusal(t *testing.T) {
	notFound, erased := casework.NotFound("investigation"), casework.Erased("complaint")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"canceled", fmt.Errorf("load: %w", context.Canceled),
			`{"status":499,"title":"Client closed request","type":"https://casework.dev/problems/client-closed-request"}`},
		{"not found", fmt.Errorf("get: %w", notFound),
			`{"detail":"no investigation with this id","status":404,"title":"Not found","type":"https://casework.dev/problems/not-found"}`},
		{"no such part", fmt.Errorf("respond: %w", casework.NotFoundPart("complaint", "enquiry 9")),
			`{"detail":"no enquiry 9 on this complaint","status":404,"title":"Not found","type":"https://casework.dev/problems/not-found"}`},
		{"erased", erased,
			`{"detail":"the complaint's personal data has been erased","rule":"erased","status":409,"title":"Conflict","type":"https://casework.dev/problems/conflict"}`},
		{"transition", fmt.Errorf("step: %w", &casework.TransitionError[testAction, testStatus]{Kind: "investigation", Action: "close", Status: "received", Allowed: []testAction{"triage", "record_outcome"}}),
			`{"allowed_actions":["triage","record_outcome"],"detail":"cannot close an investigation that is received; allowed now: triage, record_outcome","investigation_status":"received","status":409,"title":"Illegal transition","type":"https://casework.dev/problems/illegal-transition"}`},
		{"rule", &casework.RuleError{Rule: "closed", Detail: "INV-1 is closed"},
			`{"detail":"INV-1 is closed","rule":"closed","status":409,"title":"Conflict","type":"https://casework.dev/problems/conflict"}`},
		{"validation", &casework.ValidationError{Field: "matter/summary", Detail: "is empty"},
			`{"detail":"the request is not acceptable","errors":[{"pointer":"/matter/summary","detail":"is empty"}],"status":400,"title":"Validation failed","type":"https://casework.dev/problems/validation"}`},
		{"refusal", &casework.RefusalError{Decision: notice.Decision{Recipient: "police", Purpose: "referral", NoticeVersion: "3", Reason: "not without consent"}},
			`{"detail":"not without consent","notice_version":"3","purpose":"referral","recipient":"police","status":403,"title":"Disclosure refused by the privacy notice","type":"https://casework.dev/problems/disclosure-refused","withheld":[]}`},
		{"restricted", fmt.Errorf("refer: %w", &casework.RestrictedError{RequestID: "req-1", Since: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}),
			`{"detail":"processing of this case's personal data is restricted at the data subject's request (rights request req-1, since 2026-03-02): nothing may be disclosed until the restriction is lifted (UK GDPR Art 18)","restricted_since":"2026-03-02T10:00:00Z","rights_request":"req-1","rule":"restricted","status":403,"title":"Processing restricted","type":"https://casework.dev/problems/processing-restricted"}`},
		{"concurrent update", fmt.Errorf("save complaint 1: %w", casework.ErrConcurrentUpdate),
			`{"detail":"the case kept changing while this request tried to save it; nothing was changed: send the request again","retryable":true,"status":409,"title":"Concurrent update","type":"https://casework.dev/problems/concurrent-update"}`},
		{"serialization failure", fmt.Errorf("save: %w", &pq.Error{Code: "40001", Message: "could not serialize access"}),
			`{"detail":"the case kept changing while this request tried to save it; nothing was changed: send the request again","retryable":true,"status":409,"title":"Concurrent update","type":"https://casework.dev/problems/concurrent-update"}`},
		{"deadlock", fmt.Errorf("save: %w", &pq.Error{Code: "40P01", Message: "deadlock detected"}),
			`{"detail":"the case kept changing while this request tried to save it; nothing was changed: send the request again","retryable":true,"status":409,"title":"Concurrent update","type":"https://casework.dev/problems/concurrent-update"}`},
		{"key reused", fmt.Errorf("add: %w", casework.ErrIdempotencyKeyReused),
			`{"detail":"this Idempotency-Key was used before with a different request; use a new key for a new request","status":422,"title":"Idempotency-Key reused","type":"https://casework.dev/problems/idempotency-key-reused"}`},
		// A deadline past the bank-holiday table, from a use case that names no field for it.
		{"outside the holiday table", fmt.Errorf("extend review: %w", &calendar.OutsideTableError{Start: calendar.NewDate(2027, 12, 31),
			Date: calendar.NewDate(2028, 1, 3), FromYear: 2018, ToYear: 2027, TableVersion: "2026-11"}),
			`{"detail":"` + (&calendar.OutsideTableError{Start: calendar.NewDate(2027, 12, 31), Date: calendar.NewDate(2028, 1, 3), FromYear: 2018, ToYear: 2027, TableVersion: "2026-11"}).Reason() +
				`","rule":"outside_holiday_table","status":409,"title":"Conflict","type":"https://casework.dev/problems/conflict"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := CaseErrors(nil)(tt.err)
			if p == nil {
				t.Fatalf("%v: no problem", tt.err)
			}
			got, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var gotV, wantV any
			_ = json.Unmarshal(got, &gotV)
			_ = json.Unmarshal([]byte(tt.want), &wantV)
			if !reflect.DeepEqual(gotV, wantV) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A service's own mapper is asked first; an error nobody knows stays unmapped (a 500).
func TestCaseErrorsAsksTheServiceFirst(t *testing.T) {
	mine := errors.New("mine")
	m := CaseErrors(func(err error) *Problem {
		if errors.Is(err, mine) {
			return Unprocessable("the service's own")
		}
		return nil
	})
	if p := m(fmt.Errorf("x: %w", mine)); p == nil || p.Detail != "the service's own" {
		t.Errorf("own error: %v", p)
	}
	if p := m(errors.New("unknown")); p != nil {
		t.Errorf("unknown error mapped to %v, want nil", p)
	}
}
