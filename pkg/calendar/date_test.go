package calendar

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDateOfUsesLondon(t *testing.T) {
	tests := []struct {
		instant string
		want    string
	}{
		{"2026-06-30T23:30:00Z", "2026-07-01"}, // BST: 00:30 on 1 July
		{"2026-06-30T22:59:59Z", "2026-06-30"},
		{"2026-01-05T23:30:00Z", "2026-01-05"}, // GMT
		{"2026-03-29T00:59:59Z", "2026-03-29"}, // just before clocks go forward
		{"2026-10-24T23:00:00Z", "2026-10-25"}, // 00:00 BST on the day clocks go back
		{"2026-10-24T22:59:59Z", "2026-10-24"},
	}
	for _, tc := range tests {
		if got := DateOf(instant(t, tc.instant)).String(); got != tc.want {
			t.Errorf("DateOf(%s) = %s, want %s", tc.instant, got, tc.want)
		}
	}
}

func TestDateStartAndEndOfDay(t *testing.T) {
	tests := []struct {
		date       string
		start, end string
	}{
		{"2026-01-15", "2026-01-15T00:00:00Z", "2026-01-16T00:00:00Z"},
		{"2026-07-01", "2026-06-30T23:00:00Z", "2026-07-01T23:00:00Z"},
		{"2026-03-29", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z"}, // 23-hour day
		{"2026-10-25", "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z"}, // 25-hour day
	}
	for _, tc := range tests {
		d := date(t, tc.date)
		if got := d.StartOfDay(); !got.Equal(instant(t, tc.start)) || got.Location() != time.UTC {
			t.Errorf("%s StartOfDay = %v, want %s UTC", tc.date, got, tc.start)
		}
		if got := d.EndOfDay(); !got.Equal(instant(t, tc.end)) {
			t.Errorf("%s EndOfDay = %v, want %s", tc.date, got, tc.end)
		}
	}
}

func TestDateArithmeticAndComparison(t *testing.T) {
	d := date(t, "2024-02-28")
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(2).String(); got != "2024-03-01" {
		t.Errorf("AddDays(2) = %s", got)
	}
	if got := date(t, "2026-12-31").AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("year rollover = %s", got)
	}
	if got := date(t, "2026-01-01").AddDays(-1).String(); got != "2025-12-31" {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if got := date(t, "2026-03-29").Weekday(); got != time.Sunday {
		t.Errorf("Weekday = %v", got)
	}
	a, b := date(t, "2026-01-31"), date(t, "2026-02-01")
	if !a.Before(b) || a.After(b) || a.Equal(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Errorf("comparisons between %s and %s are wrong", a, b)
	}
	if got := NewDate(2026, time.April, 31).String(); got != "2026-05-01" {
		t.Errorf("NewDate normalises to %s", got)
	}
	if (Date{2026, time.February, 30}).IsValid() || (Date{}).IsValid() || !a.IsValid() {
		t.Error("IsValid is wrong")
	}
}

func TestParseDateRejectsBadInput(t *testing.T) {
	for _, s := range []string{"2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "", "2026-01-01T00:00:00Z",
		"0000-01-01", "9999-12-31", "9999-01-01"} { // no year 0; the end of 9999-12-31 is in year 10000
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	for _, s := range []string{"0001-01-01", "9998-12-31"} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
		}
	}
}

func TestDateStringIsZeroPaddedYearMonthDay(t *testing.T) {
	for d, want := range map[Date]string{
		{2026, time.November, 30}: "2026-11-30", {1, time.January, 1}: "0001-01-01", {9999, time.December, 31}: "9999-12-31",
		{}: "0000-00-00", {10000, time.January, 1}: "10000-01-01", {-5, time.January, 2}: "-005-01-02",
	} {
		if got := d.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", d, got, want)
		}
		if text, _ := d.MarshalText(); !d.IsZero() && string(text) != want {
			t.Errorf("%#v.MarshalText() = %q, want %q", d, text, want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type wrapper struct {
		D    Date  `json:"d"`
		Zero Date  `json:"zero"`
		P    *Date `json:"p"`
	}
	d := date(t, "2026-07-01")
	b, err := json.Marshal(wrapper{D: d, P: &d})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"d":"2026-07-01","zero":null,"p":"2026-07-01"}`; got != want {
		t.Fatalf("json = %s, want %s", got, want)
	}
	var back wrapper
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.D != d || !back.Zero.IsZero() || *back.P != d {
		t.Fatalf("round trip = %+v", back)
	}
	for _, bad := range []string{`{"d":"2026-02-30"}`, `{"d":20260701}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
}

func TestDateSQL(t *testing.T) {
	d := date(t, "2026-07-01")
	v, err := d.Value()
	if err != nil || v != "2026-07-01" {
		t.Fatalf("Value = %v, %v", v, err)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Fatalf("zero Value = %v, want nil", v)
	}
	var got Date
	if err := got.Scan(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil || got != d {
		t.Fatalf("Scan(time) = %v, %v", got, err)
	}
	if err := got.Scan([]byte("2026-07-02")); err != nil || got.String() != "2026-07-02" {
		t.Fatalf("Scan(bytes) = %v, %v", got, err)
	}
	if err := got.Scan(nil); err != nil || !got.IsZero() {
		t.Fatalf("Scan(nil) = %v, %v", got, err)
	}
	if err := got.Scan(42); err == nil {
		t.Fatal("Scan(int) accepted")
	}
}

func TestWholeMonths(t *testing.T) {
	day := func(s string) Date {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct{ from, to, wantFrom, wantTo string }{
		{"2026-03-02", "2026-03-02", "2026-03-01", "2026-03-31"},
		{"2026-03-01", "2026-03-31", "2026-03-01", "2026-03-31"},
		{"2026-02-15", "2026-04-01", "2026-02-01", "2026-04-30"},
		{"2026-12-31", "2027-01-01", "2026-12-01", "2027-01-31"}, // across the year, GMT
		{"2026-10-25", "2026-10-25", "2026-10-01", "2026-10-31"}, // the day the clocks go back
	} {
		from, to := WholeMonths(day(tc.from).StartOfDay(), day(tc.to).EndOfDay())
		if from != day(tc.wantFrom).StartOfDay() || to != day(tc.wantTo).EndOfDay() {
			t.Errorf("%s to %s: %s to %s, want the London days %s to %s", tc.from, tc.to, from, to, tc.wantFrom, tc.wantTo)
		}
	}
}
