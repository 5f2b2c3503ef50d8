package domain

import (
	"reflect"
	"testing"
	"time"
)

// A case is finished by its own service's final statuses, as contracts/services.yaml names
// them, and by nothing else.
func TestApplyFinishesACaseByItsServicesFinishedStatuses(t *testing.T) {
	debt := Followed{Service: "debt", Managers: []string{"enforcement_manager"}, Finished: []string{"paid", "returned"}}
	rights := Followed{Service: "rights", Managers: []string{"dpo"}, Finished: []string{"completed", "refused", "responded", "lapsed", "closed"}}
	for _, c := range []struct {
		followed Followed
		status   string
		closed   bool
	}{
		{debt, "paid", true}, {debt, "returned", true}, {debt, "enforcement", false}, {debt, "closed", false},
		{rights, "completed", true}, {rights, "refused", true}, {rights, "responded", true}, {rights, "lapsed", true},
		{rights, "closed", true}, {rights, "open", false}, {rights, "clock_stopped", false}, {rights, "review_due", false},
	} {
		s := Status{EventID: "0001", Service: c.followed.Service, At: t0, Reference: "X-1", Stage: "s", Status: c.status,
			Overdue: []string{"due"}, NextDueAt: at(-time.Hour)}
		marked := c.followed.Mark(s)
		if !reflect.DeepEqual(marked.Finishing, c.followed.Finished) || s.Finishing != nil {
			t.Fatalf("Mark: %+v from %+v", marked.Finishing, s.Finishing)
		}
		got, _, _ := Apply(nil, marked)
		if got.Closed != c.closed || got.IsOverdue(t0) == c.closed {
			t.Errorf("%s %q: closed %v overdue %v, want closed %v", c.followed.Service, c.status, got.Closed, got.IsOverdue(t0), c.closed)
		}
	}
	// Unmarked, as complaints and investigations always were: closed alone.
	if c, _, _ := Apply(nil, Status{Status: "closed"}); !c.Closed {
		t.Error("an unmarked closed case is open")
	}
	if c, _, _ := Apply(nil, Status{Status: "paid"}); c.Closed {
		t.Error("an unmarked paid case is finished")
	}
}

func TestOnlyAChangeMarkedAsAResponseRecordsAnAnswer(t *testing.T) {
	due := t0.Add(time.Hour)
	held := &Case{Service: "rights", Reference: "FOI-1", Stage: "foi", Status: "open", RespondDueAt: &due, LastAt: t0.Add(-time.Hour)}
	s := Status{EventID: "0002", Service: "rights", At: t0, Reference: "FOI-1", Stage: "foi", Status: "responded", Change: "foi.responded"}
	if _, _, a := Apply(held, s); a != nil {
		t.Fatalf("a change not marked as a response recorded %+v", a)
	}
	s.Responds = true
	_, _, a := Apply(held, s)
	if a == nil || !a.OnTime || a.DueAt == nil || !a.DueAt.Equal(due) || a.Stage != "foi" || !a.AnsweredAt.Equal(t0) {
		t.Fatalf("answer = %+v, want on time against %s", a, due)
	}
}
