package calendar

import "testing"

func TestWithin(t *testing.T) {
	today := Limit{NewDate(2026, 3, 2), "today"}
	for _, tc := range []struct {
		date     string
		from, to Limit
		want     string
	}{
		{"2026-03-02", Limit{Date: Earliest}, today, ""},
		{"1900-01-01", Limit{Date: Earliest}, today, ""},
		{"1899-12-31", Limit{Date: Earliest}, today, "cannot be before 1900-01-01"},
		{"2026-03-03", Limit{Date: Earliest}, today, "cannot be after today (2026-03-02)"},
		{"2099-01-01", Limit{Date: Earliest}, today, "cannot be after today (2026-03-02)"},
		{"0001-01-01", Limit{}, today, ""}, // an open end
		{"2026-02-27", Limit{NewDate(2026, 2, 28), "the decision date"}, Limit{}, "cannot be before the decision date (2026-02-28)"},
	} {
		err := Within(date(t, tc.date), tc.from, tc.to)
		if got := errText(err); got != tc.want {
			t.Errorf("Within(%s, %v, %v) = %q, want %q", tc.date, tc.from, tc.to, got, tc.want)
		}
	}
}

func TestHappened(t *testing.T) {
	now := instant(t, "2026-03-02T10:00:00Z")
	from := Limit{NewDate(2025, 3, 2), "a year ago"}
	for _, tc := range []struct {
		at, want string
	}{
		{"2026-03-02T10:00:00Z", ""},
		{"2026-03-02T10:05:00Z", ""}, // within the clock skew
		{"2026-03-02T10:05:00.000001Z", "cannot be in the future"},
		{"2099-03-02T10:00:00Z", "cannot be in the future"},
		{"2025-03-02T00:00:00Z", ""}, // the first London day allowed
		{"2025-03-01T23:59:59Z", "cannot be before a year ago (2025-03-02)"},
	} {
		if got := errText(Happened(instant(t, tc.at), now, from)); got != tc.want {
			t.Errorf("Happened(%s) = %q, want %q", tc.at, got, tc.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestYearsFrom(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02", 1, "2027-03-02"},
		{"2026-03-02", -1, "2025-03-02"},
		{"2028-02-29", 1, "2029-03-01"},
		{"2028-02-29", 4, "2032-02-29"},
	} {
		if got := YearsFrom(date(t, tc.from), tc.n).String(); got != tc.want {
			t.Errorf("YearsFrom(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}
