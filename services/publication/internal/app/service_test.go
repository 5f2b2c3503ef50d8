package app

import (
	"strings"
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
)

func publicationNotice(t *testing.T, pairs ...string) *notice.Notice {
	t.Helper()
	raw, err := contracts.Notice("publication")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for i := 0; i < len(pairs); i += 2 {
		edited := strings.Replace(text, pairs[i], pairs[i+1], 1)
		if edited == text {
			t.Fatalf("edit %q does not apply to the notice", pairs[i])
		}
		text = edited
	}
	n, err := notice.Load([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestThePublicationPeriodIsTheNoticesOrTheServiceDoesNotStart: the notice says how long an
// entry is published; a deployment that sets another period is refused at start rather
// than publishing longer or shorter than the notice says, and one that leaves it out, or
// sets the notice's, starts with it. A notice that does not say is refused too.
func TestThePublicationPeriodIsTheNoticesOrTheServiceDoesNotStart(t *testing.T) {
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	clock := calendar.NewManualClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	newID := func() string { return "" }
	n := publicationNotice(t)
	for _, months := range []int{0, 1} {
		s, err := NewService(nil, cal, clock, n, newID, Config{PublicationMonths: months})
		if err != nil || s.publicationMonths != 1 {
			t.Errorf("configured %d months: %v, %+v", months, err, s)
		}
	}
	_, err = NewService(nil, cal, clock, n, newID, Config{PublicationMonths: 2})
	if err == nil || !strings.Contains(err.Error(), "configured as 2 months") || !strings.Contains(err.Error(), "published for 1 month") {
		t.Errorf("a period other than the notice's: %v", err)
	}
	_, err = NewService(nil, cal, clock, publicationNotice(t, "    lasts: 1m\n", ""), newID, Config{})
	if err == nil || !strings.Contains(err.Error(), "purposes.publication.lasts") {
		t.Errorf("a notice that does not say how long: %v", err)
	}
	_, err = NewService(nil, cal, clock, publicationNotice(t, "    lasts: 1m\n", "    lasts: 30d\n"), newID, Config{})
	if err == nil || !strings.Contains(err.Error(), "whole months or years") {
		t.Errorf("a period in days: %v", err)
	}
}
