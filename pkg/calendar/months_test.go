package calendar

import "testing"

func TestAddMonthsStaysOnTheDayItFalls(t *testing.T) {
	c := newTestCalendar(t)
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02", 1, "2026-04-02"},
		{"2026-01-31", 1, "2026-02-28"},  // shorter month: its last day
		{"2027-08-31", 6, "2028-02-29"},  // leap year
		{"2026-03-04", 1, "2026-04-04"},  // a Saturday: not moved
		{"2026-11-25", 1, "2026-12-25"},  // Christmas Day stays Christmas Day
		{"2026-02-28", 42, "2029-08-28"}, // three and a half years
		{"2026-05-09", 0, "2026-05-09"},
	}
	for _, tc := range cases {
		d := c.AddMonths(noonLondon(t, tc.from), tc.n)
		if d.DueDate != date(t, tc.want) || d.Rule != RuleMonths || d.Amount != tc.n || len(d.Skipped) != 0 {
			t.Errorf("AddMonths(%s, %d) = %s (rule %s, amount %d, skipped %v), want %s", tc.from, tc.n, d.DueDate, d.Rule, d.Amount, d.Skipped, tc.want)
		}
		if d.Due != d.DueDate.EndOfDay() || d.StartDate != date(t, tc.from) || d.HolidayTableVersion == "" || d.Description == "" {
			t.Errorf("AddMonths(%s, %d): how it was computed is incomplete: %+v", tc.from, tc.n, d)
		}
	}
}
