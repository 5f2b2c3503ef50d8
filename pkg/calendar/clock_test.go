package calendar

import (
	"sync"
	"testing"
	"time"
)

func TestManualClock(t *testing.T) {
	start := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	c := NewManualClock(start.In(London()))
	if got := c.Now(); !got.Equal(start) || got.Location() != time.UTC {
		t.Fatalf("Now = %v, want %v in UTC", got, start)
	}
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("after Advance Now = %v, want %v", got, want)
	}
	if got, want := Today(c), (Date{2026, time.March, 29}); got != want {
		t.Fatalf("Today = %v, want %v", got, want)
	}
	later := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Set(later)
	if got := c.Now(); !got.Equal(later) {
		t.Fatalf("after Set Now = %v, want %v", got, later)
	}
}

func TestManualClockConcurrentAdvance(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Advance(time.Second)
			_ = c.Now()
		}()
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(50*time.Second); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
}

func TestSystemClockIsUTC(t *testing.T) {
	var c Clock = SystemClock{}
	if loc := c.Now().Location(); loc != time.UTC {
		t.Fatalf("location = %v, want UTC", loc)
	}
}
