package calendar

import (
	"testing"
	"time"
)

func newTestCalendar(t *testing.T, extra ...Holiday) *Calendar {
	t.Helper()
	c, err := New(Config{Extra: extra})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// must fails the test if the calendar refused, and returns the deadline.
func must(t *testing.T) func(Deadline, error) Deadline {
	t.Helper()
	return func(d Deadline, err error) Deadline {
		t.Helper()
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return d
	}
}

func date(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parse instant %q: %v", s, err)
	}
	return ts
}

// noonLondon is an unambiguous instant on a London date.
func noonLondon(t *testing.T, s string) time.Time {
	t.Helper()
	d := date(t, s)
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, London())
}

func skippedString(skipped []SkippedDay) []string {
	out := make([]string, len(skipped))
	for i, s := range skipped {
		out[i] = s.Date.String() + " " + s.Reason
	}
	return out
}
