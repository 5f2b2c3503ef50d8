package domain_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// The stage 1 acknowledgement of the logged fixture is due by the end of Fri 10 Apr 2026
// (London), 23:00 UTC.
var ack1Due = utc(2026, 4, 10, 23, 0)

func TestMarkOverdueOnceAtOrAfterDue(t *testing.T) {
	c := logged(t)
	if e, ok := c.MarkOverdue(1, domain.DeadlineAcknowledge, ack1Due.Add(-time.Nanosecond)); ok {
		t.Fatalf("MarkOverdue before Due = %+v, true; want false", e)
	}
	if d := c.Deadline(1, domain.DeadlineAcknowledge); d.OverdueAt != nil {
		t.Fatalf("OverdueAt = %s before Due", d.OverdueAt)
	}

	e, ok := c.MarkOverdue(1, domain.DeadlineAcknowledge, ack1Due)
	if !ok {
		t.Fatal("MarkOverdue at Due = false, want true")
	}
	assertEvent(t, e, domain.Event{Type: "deadline.overdue", Stage: 1, Deadline: "stage1.acknowledge", DueAt: ptr(ack1Due),
		Detail: map[string]any{"deadline": "stage1.acknowledge", "due_date": "2026-04-10"}})
	assertInstant(t, "OverdueAt", c.Deadline(1, domain.DeadlineAcknowledge).OverdueAt, ptr(ack1Due))

	for _, later := range []time.Time{ack1Due, ack1Due.Add(time.Hour), ack1Due.Add(30 * 24 * time.Hour)} {
		if e, ok := c.MarkOverdue(1, domain.DeadlineAcknowledge, later); ok {
			t.Errorf("second MarkOverdue at %s = %+v, true; want false", later, e)
		}
	}
	assertInstant(t, "OverdueAt after repeats", c.Deadline(1, domain.DeadlineAcknowledge).OverdueAt, ptr(ack1Due))
	// Being marked overdue does not meet the deadline: a late acknowledgement still does.
	if !c.Deadline(1, domain.DeadlineAcknowledge).Open() {
		t.Error("overdue deadline is no longer open")
	}
}

func TestMarkOverdueAfterDue(t *testing.T) {
	c := logged(t)
	at := london(2026, 4, 14, 9, 0)
	e, ok := c.MarkOverdue(1, domain.DeadlineAcknowledge, at)
	if !ok {
		t.Fatal("MarkOverdue after Due = false, want true")
	}
	if !e.DueAt.Equal(ack1Due) {
		t.Errorf("DueAt = %s, want %s", e.DueAt, ack1Due)
	}
	assertInstant(t, "OverdueAt", c.Deadline(1, domain.DeadlineAcknowledge).OverdueAt, &at)
}

func TestMarkOverdueNothingToMark(t *testing.T) {
	later := utc(2027, 1, 1, 12, 0)
	tests := []struct {
		name  string
		build func(*testing.T) *domain.Complaint
		stage int
		kind  domain.DeadlineKind
	}{
		{"met acknowledgement", acknowledged1, 1, domain.DeadlineAcknowledge},
		{"met response", responded1, 1, domain.DeadlineRespond},
		{"met stage 2 response", responded2, 2, domain.DeadlineRespond},
		{"no such deadline yet", logged, 1, domain.DeadlineRespond},
		{"no stage 2 deadline at stage 1", acknowledged1, 2, domain.DeadlineAcknowledge},
		{"closed with an unmet acknowledgement", closedUnacknowledged, 1, domain.DeadlineAcknowledge},
		{"closed with an unmet response", closedUnanswered, 1, domain.DeadlineRespond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			if e, ok := c.MarkOverdue(tt.stage, tt.kind, later); ok {
				t.Errorf("MarkOverdue = %+v, true; want false", e)
			}
			if d := c.Deadline(tt.stage, tt.kind); d != nil && d.OverdueAt != nil {
				t.Errorf("OverdueAt = %s, want nil", d.OverdueAt)
			}
		})
	}
}

func TestOverdueKeys(t *testing.T) {
	c := logged(t)
	tests := []struct {
		name string
		c    *domain.Complaint
		at   time.Time
		want []string
	}{
		{"before the acknowledgement deadline", c, ack1Due.Add(-time.Nanosecond), []string{}},
		{"at the acknowledgement deadline", c, ack1Due, []string{"stage1.acknowledge"}},
		{"acknowledged", acknowledged1(t), ack1Due, []string{}},
		// Stage 1 response due by the end of Tue 21 Apr 2026.
		{"response overdue", acknowledged1(t), utc(2026, 4, 21, 23, 0), []string{"stage1.respond"}},
		{"responded", responded1(t), utc(2026, 5, 1, 12, 0), []string{}},
		// A closed complaint has no running deadlines, whatever was left unmet.
		{"closed unacknowledged", closedUnacknowledged(t), utc(2027, 1, 1, 12, 0), []string{}},
		{"closed unanswered", closedUnanswered(t), utc(2027, 1, 1, 12, 0), []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Overdue(tt.at); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Overdue(%s) = %#v, want %#v", tt.at, got, tt.want)
			}
		})
	}
}

func TestDeadlineLookup(t *testing.T) {
	c := acknowledged2(t)
	var keys []string
	for _, d := range c.Deadlines {
		keys = append(keys, d.Key())
	}
	want := []string{"stage1.acknowledge", "stage1.respond", "stage2.acknowledge", "stage2.respond"}
	if !slices.Equal(keys, want) {
		t.Errorf("deadline keys = %v, want %v", keys, want)
	}
	// The pointer is into the complaint: marking it changes the complaint.
	d := c.Deadline(2, domain.DeadlineRespond)
	d.OverdueAt = ptr(closeAt)
	if c.Deadlines[3].OverdueAt == nil {
		t.Error("Deadline() returned a copy, want a pointer into Deadlines")
	}
	if c.Deadline(3, domain.DeadlineRespond) != nil {
		t.Error("Deadline(3, respond) != nil")
	}
	assertDeadline(t, c, 2, domain.DeadlineAcknowledge, calendar.NewDate(2026, 5, 5), utc(2026, 5, 5, 23, 0), &ack2At)
}

// closedUnacknowledged was withdrawn before it was acknowledged.
func closedUnacknowledged(t *testing.T) *domain.Complaint {
	t.Helper()
	c := logged(t)
	mustOK(t, "close", func() (domain.Event, error) {
		return c.Close(actor(t, officerA, receivedAt.Add(2*time.Hour)), "withdrawn", retentionTo)
	})
	return c
}

// closedUnanswered was withdrawn after acknowledgement, before a response.
func closedUnanswered(t *testing.T) *domain.Complaint {
	t.Helper()
	c := acknowledged1(t)
	mustOK(t, "close", func() (domain.Event, error) {
		return c.Close(actor(t, officerA, ack1At.Add(time.Hour)), "withdrawn", retentionTo)
	})
	return c
}
