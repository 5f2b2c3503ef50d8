package domain

import (
	"errors"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { v := t0.Add(d); return &v }

func acknowledged() Status {
	return Status{EventID: "0001", Service: "complaints", At: t0, Reference: "CMP-1", Stage: "stage1",
		Status: "stage1_acknowledged", Team: "waste", Change: "stage1.acknowledged", RespondDueAt: at(72 * time.Hour), NextDueAt: at(72 * time.Hour)}
}

func TestApplyKeepsTheLatestStatusOfACase(t *testing.T) {
	c, changed, answer := Apply(nil, acknowledged())
	if !changed || answer != nil {
		t.Fatalf("first event: changed %v answer %+v", changed, answer)
	}
	if c.Status != "stage1_acknowledged" || c.Closed || c.Team != "waste" || !c.NextDueAt.Equal(t0.Add(72*time.Hour)) || c.Overdue == nil {
		t.Fatalf("case %+v", c)
	}
	older := acknowledged()
	older.EventID, older.At, older.Status, older.Change = "0000", t0.Add(-time.Hour), "stage1_received", "stage1.received"
	again, changed, _ := Apply(&c, older)
	if changed || again.Status != "stage1_acknowledged" {
		t.Fatalf("an older event changed the case: %v %+v", changed, again)
	}
	sameInstant := acknowledged()
	sameInstant.EventID, sameInstant.Status = "0002", "closed"
	closed, changed, _ := Apply(&c, sameInstant)
	if !changed || !closed.Closed {
		t.Fatalf("a later id at the same instant is newer: %v %+v", changed, closed)
	}
}

func TestApplyJudgesAnAnswerAgainstTheRunningResponseDeadline(t *testing.T) {
	held, _, _ := Apply(nil, acknowledged())
	for _, tc := range []struct {
		name   string
		at     time.Duration
		onTime bool
	}{{"before the deadline", 71 * time.Hour, true}, {"at the deadline", 72 * time.Hour, false}, {"after it", 80 * time.Hour, false}} {
		responded := Status{EventID: "0009", Service: "complaints", At: t0.Add(tc.at), Reference: "CMP-1", Stage: "stage1",
			Status: "stage1_responded", Change: "stage1.responded", Responds: true}
		c, changed, a := Apply(&held, responded)
		if !changed || a == nil || a.OnTime != tc.onTime || a.DueAt == nil || !a.DueAt.Equal(t0.Add(72*time.Hour)) ||
			a.Stage != "stage1" || a.Reference != "CMP-1" || a.Service != "complaints" || !a.AnsweredAt.Equal(t0.Add(tc.at)) {
			t.Fatalf("%s: changed %v answer %+v", tc.name, changed, a)
		}
		if c.RespondDueAt != nil {
			t.Fatalf("%s: the met deadline is still held: %+v", tc.name, c)
		}
	}
	unseen := Status{EventID: "0009", Service: "complaints", At: t0, Reference: "CMP-2", Stage: "stage2",
		Status: "stage2_responded", Change: "stage2.responded", Responds: true}
	if _, _, a := Apply(nil, unseen); a == nil || a.OnTime || a.DueAt != nil {
		t.Fatalf("an answer whose deadline the board never saw is not on time: %+v", a)
	}
	if _, _, a := Apply(&held, acknowledged()); a != nil {
		t.Fatalf("an acknowledgement is no answer: %+v", a)
	}
}

func TestCheckNamesWhatIsMissing(t *testing.T) {
	err := (Status{Service: "complaints", Stage: "stage1"}).Check()
	if !errors.Is(err, ErrMalformed) || err.Error() != "malformed status event: missing at, event_id, reference, status" {
		t.Fatalf("got %v", err)
	}
	if err := acknowledged().Check(); err != nil {
		t.Fatal(err)
	}
}

func TestIsOverdue(t *testing.T) {
	c, _, _ := Apply(nil, acknowledged())
	if c.IsOverdue(t0.Add(71*time.Hour)) || !c.IsOverdue(t0.Add(72*time.Hour)) {
		t.Fatal("the next deadline decides")
	}
	c.NextDueAt, c.Overdue = nil, []string{"stage1.respond"}
	if !c.IsOverdue(t0) {
		t.Fatal("a deadline the service reported overdue counts")
	}
	c.Closed = true
	if c.IsOverdue(t0) {
		t.Fatal("a closed case is never overdue")
	}
}

// A breach's named deadline is flagged once passed, though no sweep says so (its review
// never has one), beside what its service reported, each once; never once finished.
func TestPassedNamesTheNextDeadlineOncePassed(t *testing.T) {
	review := Status{EventID: "0001", Service: "rights", At: t0, Reference: "BR-1", Stage: "breach", Status: "review_due",
		Change: "breach.review_due", NextDueAt: at(14 * time.Hour), NextDue: "review", ReviewDueOn: "2026-03-02"}
	c, _, _ := Apply(nil, review)
	if c.NextDue != "review" || c.ReviewDueOn != "2026-03-02" {
		t.Fatalf("the case keeps what is due and the review date: %+v", c)
	}
	for _, tc := range []struct {
		name    string
		c       Case
		now     time.Time
		overdue []string
	}{
		{"before its end", c, t0.Add(14*time.Hour - time.Second), []string{}},
		{"at its end", c, t0.Add(14 * time.Hour), []string{"review"}},
		{"unnamed", Case{NextDueAt: at(0), Overdue: []string{}}, t0.Add(time.Hour), []string{}},
		{"reported already", Case{NextDueAt: at(0), NextDue: "ico_report", Overdue: []string{"ico_report"}}, t0.Add(time.Hour), []string{"ico_report"}},
		{"reported another", Case{NextDueAt: at(0), NextDue: "ico_report", Overdue: []string{"due"}}, t0.Add(time.Hour), []string{"due", "ico_report"}},
		{"finished", Case{Closed: true, NextDueAt: at(0), NextDue: "review", Overdue: []string{}}, t0.Add(time.Hour), []string{}},
	} {
		if got := tc.c.Passed(tc.now); !slices.Equal(got, tc.overdue) || got == nil {
			t.Errorf("%s: %#v, want %#v", tc.name, got, tc.overdue)
		}
	}
	if len(c.Overdue) != 0 {
		t.Fatalf("Passed changed the case: %v", c.Overdue)
	}
}

func TestWeekAndMonthAreReckonedInLondon(t *testing.T) {
	// Sunday 29 March 2026 23:30 UTC is Monday 00:30 BST: a new week.
	w := Week(time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC))
	if w.From.UTC() != time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC) || w.To.UTC() != time.Date(2026, 4, 5, 23, 0, 0, 0, time.UTC) {
		t.Fatalf("week %v", w)
	}
	// The week holding the clocks going forward is an hour short.
	w = Week(time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC))
	if w.From.UTC() != time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC) || w.To.UTC() != time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC) {
		t.Fatalf("week %v", w)
	}
	// 31 March 23:30 UTC is already 1 April in London.
	m := Month(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC))
	if m.From.UTC() != time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC) || m.To.UTC() != time.Date(2026, 4, 30, 23, 0, 0, 0, time.UTC) {
		t.Fatalf("month %v", m)
	}
	if _, err := ParseFigure("overdue"); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFigure("late"); err == nil {
		t.Fatal("unknown figure accepted")
	}
}
