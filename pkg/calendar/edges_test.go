package calendar

// Calendar edges, each case an exact date with the rule it rests on. Every expected date
// was worked out by hand and checked against an independent implementation of the same
// rule over the holiday tables; none is read back from this package.
//
// Sources, as quoted below:
//   - gov.uk/bank-holidays (England and Wales; Scotland; Northern Ireland), Banking and
//     Financial Dealings Act 1971 Sch 1: "27th December in a year in which 25th or 26th
//     December is a Sunday", substitute days by royal proclamation.
//   - ICO, Right of access, "How long do we have to comply?": "You should calculate the time
//     limit from the day you receive the request (whether it is a working day or not) until
//     the corresponding calendar date in the next month ... If this is not possible because
//     the following month is shorter (and there is no corresponding calendar date), the date
//     for response is the last day of the following month. If the corresponding date falls
//     on a weekend or a public holiday, you have until the next working day to respond."
//     UK GDPR Art 12(3): "extended by two further months".
//   - UK GDPR Art 12A / DPA 2018 s54(3C) (Data (Use and Access) Act 2025): "the period
//     beginning with the day on which the controller makes the request and ending with the
//     day on which the controller receives the information does not count".
//   - FOIA s10(1): "not later than the twentieth working day following the date of receipt";
//     s10(2) (fees: "the working days in the period beginning with the day on which the fees
//     notice is given ... and ending with the day on which the fee is received ... are to be
//     disregarded"); s10(6): a working day is not a Saturday, Sunday, Christmas Day, Good
//     Friday or "a bank holiday ... in any part of the United Kingdom"; ICO LTT47: "The
//     date of receipt of a request may be a day when an office is closed". EIR reg 5(2) 20
//     working days, reg 7(1) 40.
//   - Complaint Handling Code: acknowledge within 5 working days, respond within 10 (stage 1)
//     or 20 (stage 2) working days of acknowledgement (DESIGN.md, Time).
//   - Taking Control of Goods Regulations 2013 (SI 2013/1894): reg 2 "“clear days” means that
//     in computing the number of days— (a) the day on which the period begins; and (b) if the
//     end of the period is defined by reference to an event, the day on which that event
//     occurs, are not included"; reg 6: 7 clear days, Sundays, bank holidays, Good Friday and
//     Christmas Day not counted (Saturdays are); reg 9(1): "the period of 12 months beginning
//     with the date of the notice of enforcement".
//   - The corresponding date rule for a period "beginning with" a day: it ends the day
//     before the corresponding day, or on the last day of a month that has none (LRD,
//     Employment tribunals guide: "if an unfair dismissal takes effect on 30 November, the
//     claim must be issued by 28 February (or 29 February in a leap year)"; University of
//     Cambridge v Murray [1993] ICR 460: three months beginning with 30 April 1991 ended on
//     29 July, so 30 July was late).

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// tableEndsBefore reports whether the embedded table stops before year: the refusal
// cases below only apply until the table is extended.
func tableEndsBefore(c *Calendar, year int) bool {
	_, to := c.CoveredYears()
	return to < year
}

// The table's days for the years the services count into now, including the substitute
// days of Christmas 2026 (Boxing Day on a Saturday) and 2027 (both on a weekend).
func TestEdgesBankHolidayTable2026And2027(t *testing.T) {
	ew, uk := newTestCalendar(t), newUKCalendar(t)
	tests := []struct {
		day      string
		cal      *Calendar
		wantName string // "" means: not a bank holiday
	}{
		// England and Wales (gov.uk).
		{"2026-01-01", ew, "New Year's Day"},
		{"2026-04-03", ew, "Good Friday"},
		{"2026-04-06", ew, "Easter Monday"},
		{"2026-05-04", ew, "Early May bank holiday"},
		{"2026-05-25", ew, "Spring bank holiday"},
		{"2026-08-31", ew, "Summer bank holiday"},
		{"2026-12-25", ew, "Christmas Day"},
		{"2026-12-26", ew, ""},                            // Boxing Day is a Saturday ...
		{"2026-12-27", ew, ""},                            // ... a Sunday is no substitute ...
		{"2026-12-28", ew, "Boxing Day (substitute day)"}, // ... the Monday is
		{"2027-01-01", ew, "New Year's Day"},
		{"2027-03-26", ew, "Good Friday"},
		{"2027-03-29", ew, "Easter Monday"},
		{"2027-05-03", ew, "Early May bank holiday"},
		{"2027-05-31", ew, "Spring bank holiday"},
		{"2027-08-30", ew, "Summer bank holiday"},
		{"2027-12-25", ew, ""}, // Saturday
		{"2027-12-26", ew, ""}, // Sunday
		{"2027-12-27", ew, "Christmas Day (substitute day)"},
		{"2027-12-28", ew, "Boxing Day (substitute day)"},
		{"2026-03-17", ew, ""}, // St Patrick's Day is Northern Ireland's only
		{"2027-01-04", ew, ""},
		// Any part of the UK (FOIA s10(6)): the Scottish and Northern Irish days too.
		{"2026-03-17", uk, "St Patrick's Day (Northern Ireland)"},
		{"2026-07-13", uk, "Battle of the Boyne (Northern Ireland) (substitute day)"}, // 12 July is a Sunday
		{"2026-08-03", uk, "Summer bank holiday (Scotland)"},
		{"2026-11-30", uk, "St Andrew's Day (Scotland)"},
		{"2027-01-04", uk, "2nd January (Scotland) (substitute day)"}, // 2 January 2027 is a Saturday
		{"2027-12-27", uk, "Christmas Day (substitute day)"},
	}
	for _, tc := range tests {
		name, ok, err := tc.cal.IsBankHoliday(date(t, tc.day))
		if err != nil {
			t.Fatalf("IsBankHoliday(%s): %v", tc.day, err)
		}
		if ok != (tc.wantName != "") || name != tc.wantName {
			t.Errorf("%s (%s): bank holiday %v %q, want %q", tc.day, tc.cal.Region(), ok, name, tc.wantName)
		}
	}
}

// UK GDPR Art 12(3) one calendar month, as the ICO counts it, at month ends, 29 February,
// the year end, Christmas, and around London midnight and the clock changes.
func TestEdgesSubjectAccessMonth(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name     string
		from     time.Time
		wantDate string
		wantDue  string // the instant it becomes overdue: London midnight ending the due date
	}{
		// ICO: 3 September -> 3 October; 3 October 2026 is a Saturday -> Monday.
		{"ICO example, due on a Saturday", noonLondon(t, "2026-09-03"), "2026-10-05", "2026-10-05T23:00:00Z"},
		{"31 January -> 28 February 2027, a Sunday -> Monday 1 March", noonLondon(t, "2027-01-31"), "2027-03-01", "2027-03-02T00:00:00Z"},
		{"31 January 2024 -> 29 February, leap year", noonLondon(t, "2024-01-31"), "2024-02-29", "2024-03-01T00:00:00Z"},
		{"29 February 2024 -> 29 March, Good Friday; Easter Monday 1 April -> 2 April", noonLondon(t, "2024-02-29"), "2024-04-02", "2024-04-02T23:00:00Z"},
		{"28 February 2026 -> 28 March, a Saturday -> Monday 30 March", noonLondon(t, "2026-02-28"), "2026-03-30", "2026-03-30T23:00:00Z"},
		{"31 March -> 30 April", noonLondon(t, "2026-03-31"), "2026-04-30", "2026-04-30T23:00:00Z"},
		{"31 May -> 30 June", noonLondon(t, "2027-05-31"), "2027-06-30", "2027-06-30T23:00:00Z"},
		{"30 November -> 30 December", noonLondon(t, "2026-11-30"), "2026-12-30", "2026-12-31T00:00:00Z"},
		{"31 December -> 31 January 2027, a Sunday", noonLondon(t, "2026-12-31"), "2027-02-01", "2027-02-02T00:00:00Z"},
		{"27 December 2026 is a Sunday, 28 the substitute Boxing Day", noonLondon(t, "2026-11-27"), "2026-12-29", "2026-12-30T00:00:00Z"},
		{"25 December 2027 on a Saturday, both substitutes", noonLondon(t, "2027-11-25"), "2027-12-29", "2027-12-30T00:00:00Z"},
		{"lands on Easter Monday 2026", noonLondon(t, "2026-03-06"), "2026-04-07", "2026-04-07T23:00:00Z"},
		// The day of receipt is the London day: 23:30 BST on Friday 3 July is 22:30 UTC the same
		// day; 00:30 BST on Saturday 4 July is 23:30 UTC on the Friday.
		{"23:30 BST Friday", instant(t, "2026-07-03T22:30:00Z"), "2026-08-03", "2026-08-03T23:00:00Z"},
		{"00:30 BST Saturday (23:30 UTC Friday)", instant(t, "2026-07-03T23:30:00Z"), "2026-08-04", "2026-08-04T23:00:00Z"},
		// Last Sunday of March: 00:30 GMT on 29 March is before the change, still 29 March.
		{"23:30 GMT Saturday 28 March", instant(t, "2026-03-28T23:30:00Z"), "2026-04-28", "2026-04-28T23:00:00Z"},
		{"00:30 GMT Sunday 29 March, clocks go forward at 01:00", instant(t, "2026-03-29T00:30:00Z"), "2026-04-29", "2026-04-29T23:00:00Z"},
		// Last Sunday of October: 23:30 UTC on 24 October is 00:30 BST on the 25th, and both
		// 01:30s of the 25-hour day are the 25th.
		{"00:30 BST Sunday 25 October", instant(t, "2026-10-24T23:30:00Z"), "2026-11-25", "2026-11-26T00:00:00Z"},
		{"first 01:30 (BST) on 25 October", instant(t, "2026-10-25T00:30:00Z"), "2026-11-25", "2026-11-26T00:00:00Z"},
		{"second 01:30 (GMT) on 25 October", instant(t, "2026-10-25T01:30:00Z"), "2026-11-25", "2026-11-26T00:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.AddCalendarMonths(tc.from, 1))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s (skipped %q)", got, tc.wantDate, skippedString(d.Skipped))
			}
			if !d.Due.Equal(instant(t, tc.wantDue)) {
				t.Errorf("Due = %s, want %s", d.Due.Format(time.RFC3339), tc.wantDue)
			}
			if d.StartDate != DateOf(tc.from) {
				t.Errorf("StartDate = %s, want the London day %s", d.StartDate, DateOf(tc.from))
			}
		})
	}
}

// "Extended by two further months" counts three months from the day of receipt, not two
// from a due date that was moved off a weekend.
func TestEdgesSubjectAccessExtension(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		from, wantFirst, wantExtended string
	}{
		{"2026-01-31", "2026-03-02", "2026-04-30"}, // 28 Feb is a Saturday; 30 April, not 2 May
		{"2026-01-15", "2026-02-16", "2026-04-15"}, // not 16 April
		{"2026-11-30", "2026-12-30", "2027-03-01"}, // 28 February 2027 is a Sunday
		{"2027-09-30", "2027-11-01", "2027-12-30"}, // 30 October 2027 is a Saturday
	}
	for _, tc := range tests {
		first := must(t)(c.AddCalendarMonths(noonLondon(t, tc.from), 1))
		ext := must(t)(c.Extend(first, 2, "complex request"))
		if first.DueDate.String() != tc.wantFirst || ext.DueDate.String() != tc.wantExtended {
			t.Errorf("from %s: month %s, extended %s; want %s, %s", tc.from, first.DueDate, ext.DueDate, tc.wantFirst, tc.wantExtended)
		}
		if ext.Extensions[0].FromDueDate.String() != tc.wantFirst || !ext.Due.Equal(ext.DueDate.EndOfDay()) {
			t.Errorf("from %s: extension record %+v, Due %v", tc.from, ext.Extensions, ext.Due)
		}
	}
	// A SAR received on 1 October 2027 extended into 2028 needs 2028's holidays: refused,
	// never guessed, while the table ends in 2027.
	if tableEndsBefore(c, 2028) {
		first := must(t)(c.AddCalendarMonths(noonLondon(t, "2027-10-01"), 1))
		var outside *OutsideTableError
		if _, err := c.Extend(first, 2, "complex"); !errors.As(err, &outside) || outside.Date != date(t, "2028-01-01") {
			t.Errorf("extension into 2028: %v, want *OutsideTableError at 2028-01-01", err)
		}
	}
}

// Clock stops: a pause does not count the days from the stop to the restart, both
// included; for working days the day of receipt was never counted, so a pause that begins
// on it takes nothing off for it (FOIA s10(2)); a restart runs the period from the day what
// was awaited arrived, in London.
func TestEdgesClockStops(t *testing.T) {
	ew, uk := newTestCalendar(t), newUKCalendar(t)
	tests := []struct {
		name           string
		cal            *Calendar
		months         bool // AddCalendarMonths(1), else AddWorkingDays(20)
		from           time.Time
		kind           string
		stop, resume   time.Time
		wantNotCounted int
		wantDate       string
		wantDesc       string // suffix of the description
	}{
		{"SAR: clarification asked and answered on the day of receipt: that day does not count",
			ew, true, noonLondon(t, "2026-02-02"), StopPause, noonLondon(t, "2026-02-02"), noonLondon(t, "2026-02-02").Add(time.Hour),
			1, "2026-03-03", "clock stopped from 2026-02-02 to 2026-02-02 awaiting x (1 day not counted)"},
		{"SAR: 31 January, paused 2-4 February: 28 February + 3 days",
			ew, true, noonLondon(t, "2026-01-31"), StopPause, noonLondon(t, "2026-02-02"), noonLondon(t, "2026-02-04"),
			3, "2026-03-03", "clock stopped from 2026-02-02 to 2026-02-04 awaiting x (3 days not counted)"},
		{"SAR: identity arrives 00:30 BST Saturday 4 July (23:30 UTC Friday): the month runs from 4 July",
			ew, true, noonLondon(t, "2026-06-01"), StopRestart, noonLondon(t, "2026-06-01"), instant(t, "2026-07-03T23:30:00Z"),
			0, "2026-08-04", "which arrived on 2026-07-04: the period runs from then (it ran from 2026-06-01)"},
		{"FOI fee notice given on the day of receipt (E&W): 3 and 4 March disregarded, not 2 March too",
			ew, false, noonLondon(t, "2026-03-02"), StopPause, noonLondon(t, "2026-03-02"), noonLondon(t, "2026-03-04"),
			2, "2026-04-01", "clock stopped from 2026-03-02 to 2026-03-04 awaiting x (2 working days not counted)"},
		{"FOI fee notice given on the day of receipt (UK: St Patrick's Day, Good Friday)",
			uk, false, noonLondon(t, "2026-03-02"), StopPause, noonLondon(t, "2026-03-02"), noonLondon(t, "2026-03-04"),
			2, "2026-04-02", "(2 working days not counted)"},
		{"working-day pause over Christmas 2026: 24, 29, 30, 31 December and 4 January",
			ew, false, noonLondon(t, "2026-12-01"), StopPause, noonLondon(t, "2026-12-24"), noonLondon(t, "2027-01-04"),
			5, "2027-01-08", "clock stopped from 2026-12-24 to 2027-01-04 awaiting x (5 working days not counted)"},
		{"FOI clarification arrives on Saturday 26 December: 20 UK working days from then (4 January 2027 is Scotland's)",
			uk, false, noonLondon(t, "2026-12-01"), StopRestart, noonLondon(t, "2026-12-10"), noonLondon(t, "2026-12-26"),
			0, "2027-01-27", "which arrived on 2026-12-26: the period runs from then (it ran from 2026-12-01)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var base Deadline
			if tc.months {
				base = must(t)(tc.cal.AddCalendarMonths(tc.from, 1))
			} else {
				base = must(t)(tc.cal.AddWorkingDays(tc.from, 20))
			}
			stopped := must(t)(tc.cal.StopClock(base, tc.stop, tc.kind, "x"))
			d := must(t)(tc.cal.RestartClock(stopped, tc.resume))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s", got, tc.wantDate)
			}
			if got := d.Stops[0].NotCounted; got != tc.wantNotCounted {
				t.Errorf("NotCounted = %d, want %d", got, tc.wantNotCounted)
			}
			if len(d.Description) < len(tc.wantDesc) || d.Description[len(d.Description)-len(tc.wantDesc):] != tc.wantDesc {
				t.Errorf("Description = %q\nwant it to end %q", d.Description, tc.wantDesc)
			}
			if again := must(t)(tc.cal.Recompute(d)); again.DueDate != d.DueDate || again.Description != d.Description {
				t.Errorf("Recompute: %s %q", again.DueDate, again.Description)
			}
		})
	}
}

// FOIA s10 and EIR reg 5: the twentieth working day following the date of receipt, a
// bank holiday in any part of the UK not counted; day 1 is the first working day after
// receipt, whatever day that was.
func TestEdgesFOIWorkingDays(t *testing.T) {
	uk := newUKCalendar(t)
	tests := []struct {
		name           string
		from           time.Time
		want20, want40 string
	}{
		{"received on a Saturday (ICO LTT47)", noonLondon(t, "2026-01-03"), "2026-01-30", "2026-02-27"},
		{"St Patrick's Day 17 March not counted", noonLondon(t, "2026-03-02"), "2026-03-31", "2026-04-30"},
		{"Christmas 2026 and Scotland's 4 January 2027", noonLondon(t, "2026-12-18"), "2027-01-21", "2027-02-18"},
		{"Christmas Eve 2026", noonLondon(t, "2026-12-24"), "2027-01-27", "2027-02-24"},
		// 23:30 BST Thursday 2 July is 22:30 UTC; 00:30 BST Friday 3 July is 23:30 UTC Thursday.
		// From the Friday, the Boyne substitute (13 July) and Scotland's 3 August push it on.
		{"23:30 BST Thursday", instant(t, "2026-07-02T22:30:00Z"), "2026-07-31", ""},
		{"00:30 BST Friday (23:30 UTC Thursday)", instant(t, "2026-07-02T23:30:00Z"), "2026-08-04", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(uk.AddWorkingDays(tc.from, 20))
			if got := d.DueDate.String(); got != tc.want20 {
				t.Errorf("20 working days: %s, want %s (skipped %q)", got, tc.want20, skippedString(d.Skipped))
			}
			if tc.want40 == "" {
				return
			}
			if got := must(t)(uk.Extend(d, 20, "complex and voluminous")).DueDate.String(); got != tc.want40 {
				t.Errorf("EIR reg 7(1) 40 working days: %s, want %s", got, tc.want40)
			}
		})
	}
}

// Complaint Handling Code working days (England and Wales) at Christmas, Easter, late May
// and August bank holidays, and around London midnight at the October clock change.
func TestEdgesComplaintWorkingDays(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name     string
		from     time.Time
		n        int
		wantDate string
		wantDue  string
	}{
		{"stage 1 acknowledgement from Christmas Eve 2026", noonLondon(t, "2026-12-24"), 5, "2027-01-05", "2027-01-06T00:00:00Z"},
		{"received 23:30 GMT Christmas Eve is still Christmas Eve", instant(t, "2026-12-24T23:30:00Z"), 5, "2027-01-05", "2027-01-06T00:00:00Z"},
		{"stage 1 response over Christmas 2026", noonLondon(t, "2026-12-18"), 10, "2027-01-06", "2027-01-07T00:00:00Z"},
		{"Easter 2027: Good Friday 26 and Easter Monday 29 March", noonLondon(t, "2027-03-25"), 5, "2027-04-05", "2027-04-05T23:00:00Z"},
		{"spring bank holiday 31 May 2027", noonLondon(t, "2027-05-28"), 10, "2027-06-14", "2027-06-14T23:00:00Z"},
		{"stage 2 response over the summer bank holiday 2027", noonLondon(t, "2027-08-27"), 20, "2027-09-27", "2027-09-27T23:00:00Z"},
		{"acknowledged 23:30 BST Thursday 22 October", instant(t, "2026-10-22T22:30:00Z"), 10, "2026-11-05", "2026-11-06T00:00:00Z"},
		{"acknowledged 00:30 BST Friday 23 October (23:30 UTC Thursday)", instant(t, "2026-10-22T23:30:00Z"), 10, "2026-11-06", "2026-11-07T00:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.AddWorkingDays(tc.from, tc.n))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s (skipped %q)", got, tc.wantDate, skippedString(d.Skipped))
			}
			if !d.Due.Equal(instant(t, tc.wantDue)) {
				t.Errorf("Due = %s, want %s", d.Due.Format(time.RFC3339), tc.wantDue)
			}
		})
	}
	// A complaint received on Friday 17 December 2027 is acknowledged by Christmas Eve; one
	// received on Christmas Eve 2027 reaches 2028, which the table must cover first.
	if tableEndsBefore(c, 2028) {
		var outside *OutsideTableError
		if _, err := c.AddWorkingDays(noonLondon(t, "2027-12-24"), 5); !errors.As(err, &outside) || outside.Date.Year != 2028 {
			t.Errorf("counting into 2028: %v, want *OutsideTableError", err)
		}
	}
}

// Taking Control of Goods notice: 7 clear days (reg 2, reg 6), the day after the seventh
// being the earliest day control may be taken (reg 12: any day of the week). Due is the
// London midnight that starts it.
func TestEdgesClearDaysTCG(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name        string
		from        time.Time
		wantDate    string
		wantDue     string
		wantSkipped []string
	}{
		{"Saturday before Easter 2027: Sunday, Good Friday, Sunday, Easter Monday not counted; Saturday 27 is",
			noonLondon(t, "2027-03-20"), "2027-04-01", "2027-03-31T23:00:00Z", []string{
				"2027-03-21 Sunday", "2027-03-26 Good Friday (bank holiday)", "2027-03-28 Sunday",
				"2027-03-29 Easter Monday (bank holiday)"}},
		{"Christmas Day 2022 on a Sunday: 25 December, Boxing Day, the substitute 27th, 1 and 2 January",
			noonLondon(t, "2022-12-22"), "2023-01-04", "2023-01-04T00:00:00Z", []string{
				"2022-12-25 Christmas Day", "2022-12-26 Boxing Day (bank holiday)",
				"2022-12-27 Christmas Day (substitute bank holiday)", "2023-01-01 Sunday",
				"2023-01-02 New Year's Day (substitute bank holiday)"}},
		{"Christmas Eve 2026", noonLondon(t, "2026-12-24"), "2027-01-06", "2027-01-06T00:00:00Z", []string{
			"2026-12-25 Christmas Day (bank holiday)", "2026-12-27 Sunday",
			"2026-12-28 Boxing Day (substitute bank holiday)", "2027-01-01 New Year's Day (bank holiday)", "2027-01-03 Sunday"}},
		// The notice's day is the London day: 23:30 BST Friday 3 July vs 00:30 BST Saturday 4 July.
		{"notice 23:30 BST Friday: control from Sunday 12 July", instant(t, "2026-07-03T22:30:00Z"),
			"2026-07-12", "2026-07-11T23:00:00Z", []string{"2026-07-05 Sunday"}},
		{"notice 00:30 BST Saturday (23:30 UTC Friday): control from Tuesday 14 July", instant(t, "2026-07-03T23:30:00Z"),
			"2026-07-14", "2026-07-13T23:00:00Z", []string{"2026-07-05 Sunday", "2026-07-12 Sunday"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.ClearDaysTCG(tc.from, 7))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s", got, tc.wantDate)
			}
			if !d.Due.Equal(instant(t, tc.wantDue)) {
				t.Errorf("Due = %s, want %s", d.Due.Format(time.RFC3339), tc.wantDue)
			}
			if got := skippedString(d.Skipped); !slices.Equal(got, tc.wantSkipped) {
				t.Errorf("Skipped = %q\nwant      %q", got, tc.wantSkipped)
			}
		})
	}
}

// Reg 9(1): the last day of "the period of 12 months beginning with" a day is the day
// before the corresponding day, or the last day of a shorter month that has none.
func TestMonthsBeginningWithCorrespondingDateRule(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name     string
		from     time.Time
		n        int
		wantDate string
		wantDue  string
	}{
		{"notice 2 March 2026", noonLondon(t, "2026-03-02"), 12, "2027-03-01", "2027-03-02T00:00:00Z"},
		{"notice 29 February 2028: no 29 February 2029, so the period ends on the 28th", noonLondon(t, "2028-02-29"), 12, "2029-02-28", "2029-03-01T00:00:00Z"},
		{"notice 1 March 2027: the day before 1 March 2028 is 29 February", noonLondon(t, "2027-03-01"), 12, "2028-02-29", "2028-03-01T00:00:00Z"},
		{"1 month beginning with 31 January: the whole of February", noonLondon(t, "2026-01-31"), 1, "2026-02-28", "2026-03-01T00:00:00Z"},
		{"1 month beginning with 1 March: the whole of March", noonLondon(t, "2026-03-01"), 1, "2026-03-31", "2026-03-31T23:00:00Z"},
		{"3 months beginning with 30 November: 28 February (LRD)", noonLondon(t, "2026-11-30"), 3, "2027-02-28", "2027-03-01T00:00:00Z"},
		{"3 months beginning with 30 November: 29 February in a leap year (LRD)", noonLondon(t, "2027-11-30"), 3, "2028-02-29", "2028-03-01T00:00:00Z"},
		{"3 months beginning with 30 April 1991 ended 29 July (Murray)", noonLondon(t, "1991-04-30"), 3, "1991-07-29", "1991-07-29T23:00:00Z"},
		{"3 months beginning with 31 August: 30 November", noonLondon(t, "2026-08-31"), 3, "2026-11-30", "2026-12-01T00:00:00Z"},
		{"year end: 12 months beginning with 1 January", noonLondon(t, "2027-01-01"), 12, "2027-12-31", "2028-01-01T00:00:00Z"},
		{"year end: 12 months beginning with 31 December", noonLondon(t, "2026-12-31"), 12, "2027-12-30", "2027-12-31T00:00:00Z"},
		{"00:30 BST on 1 July is 1 July", instant(t, "2026-06-30T23:30:00Z"), 12, "2027-06-30", "2027-06-30T23:00:00Z"},
		{"counts no working days, so answers past the holiday table", noonLondon(t, "2027-12-20"), 12, "2028-12-19", "2028-12-20T00:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := c.MonthsBeginningWith(tc.from, tc.n)
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s", got, tc.wantDate)
			}
			if !d.Due.Equal(instant(t, tc.wantDue)) {
				t.Errorf("Due = %s, want %s", d.Due.Format(time.RFC3339), tc.wantDue)
			}
		})
	}
}

// Retention periods years ahead (debt 7 years from closure, breach records 10 years after
// the year they close in, complaints 6 and 10 years) count no working days: they answer
// far past the holiday table, and 29 February and the year end behave.
func TestEdgesYearsAheadOutsideTheTable(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name     string
		from     time.Time
		n        int
		wantDate string
	}{
		{"closed 29 February 2028 + 6 years: 28 February 2034", noonLondon(t, "2028-02-29"), 6, "2034-02-28"},
		{"closed 29 February 2028 + 7 years", noonLondon(t, "2028-02-29"), 7, "2035-02-28"},
		{"29 February 2028 + 4 years is 29 February 2032", noonLondon(t, "2028-02-29"), 4, "2032-02-29"},
		{"closed 00:30 BST 1 July (23:30 UTC 30 June) + 7 years", instant(t, "2026-06-30T23:30:00Z"), 7, "2033-07-01"},
		{"closed 23:30 GMT 31 December (same day in UTC) + 6 years", instant(t, "2026-12-31T23:30:00Z"), 6, "2032-12-31"},
		{"breach closed in 2026: end of 2026 + 10 years", Date{2026, time.December, 31}.StartOfDay(), 10, "2036-12-31"},
	}
	for _, tc := range tests {
		d := c.AddYears(tc.from, tc.n)
		if got := d.DueDate.String(); got != tc.wantDate {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.wantDate)
		}
	}
	// Calendar months with no move to a working day: 25 October 2026 is the 25-hour day, and
	// its deadline ends at the London midnight 25 hours after it began.
	d := c.AddMonths(noonLondon(t, "2026-04-25"), 6)
	if d.DueDate.String() != "2026-10-25" || !d.Due.Equal(instant(t, "2026-10-26T00:00:00Z")) {
		t.Errorf("AddMonths over the October change: %s, %s", d.DueDate, d.Due.Format(time.RFC3339))
	}
}

// Recompute takes every rule the package makes. RuleMonths and RuleMonthsBeginningWith
// count no holidays, so only the table version may change.
func TestEdgesRecomputeEveryRule(t *testing.T) {
	old := newTestCalendar(t)
	announced := newTestCalendar(t, Holiday{Date: Date{2027, time.June, 7}, Name: "Bank holiday for an occasion"})
	for _, d := range []Deadline{
		old.AddMonths(noonLondon(t, "2026-08-31"), 6),
		old.MonthsBeginningWith(noonLondon(t, "2026-06-07"), 12),
		old.AddYears(noonLondon(t, "2026-06-07"), 7),
		old.AddHours(noonLondon(t, "2027-06-04"), 72),
		old.SetDate(noonLondon(t, "2027-06-01"), Date{2027, time.June, 7}, "the Ombudsman"),
	} {
		again := must(t)(announced.Recompute(d))
		if again.DueDate != d.DueDate || !again.Due.Equal(d.Due) || again.Rule != d.Rule || again.Description != d.Description {
			t.Errorf("Recompute(%s) = %s %q, want %s %q", d.Rule, again.DueDate, again.Description, d.DueDate, d.Description)
		}
		if again.HolidayTableVersion != "2026-11-29+2027-06-07" {
			t.Errorf("Recompute(%s) version %q", d.Rule, again.HolidayTableVersion)
		}
	}
}

// The breach report's 72 hours are elapsed hours across the spring change: reported at
// 23:30 GMT on Friday 27 March 2026, due 23:30 UTC on Monday 30 March, which is 00:30 BST on
// Tuesday 31 March: the last on-time moment is on the 31st in London.
func TestEdgesHoursAcrossTheClockChange(t *testing.T) {
	c := newTestCalendar(t)
	d := c.AddHours(instant(t, "2026-03-27T23:30:00Z"), 72)
	if !d.Due.Equal(instant(t, "2026-03-30T23:30:00Z")) || d.DueDate.String() != "2026-03-31" || d.StartDate.String() != "2026-03-27" {
		t.Errorf("72 hours: Due %s, DueDate %s, StartDate %s", d.Due.Format(time.RFC3339), d.DueDate, d.StartDate)
	}
}

// TestEdgesClearDays: a notice of sale's 7 clear days count every day, Sundays and bank
// holidays too (SI 2013/1894 reg 2 and reg 37(1); only reg 6(2), for the notice of
// enforcement, leaves them out): neither the day of notice nor the day of sale is one.
func TestEdgesClearDays(t *testing.T) {
	c := newTestCalendar(t)
	for _, tc := range []struct {
		name     string
		from     time.Time
		wantDate string
		wantDue  string
	}{
		{"Wednesday 1 April 2026, Easter in between: Thursday 9 April", noonLondon(t, "2026-04-01"), "2026-04-09", "2026-04-08T23:00:00Z"},
		{"Christmas Eve 2026: 1 January 2027, a bank holiday", noonLondon(t, "2026-12-24"), "2027-01-01", "2027-01-01T00:00:00Z"},
		{"00:30 BST Saturday 4 July (23:30 UTC Friday): the London day", instant(t, "2026-07-03T23:30:00Z"), "2026-07-12", "2026-07-11T23:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := c.ClearDays(tc.from, 7)
			if d.DueDate.String() != tc.wantDate || d.Due.UTC().Format(time.RFC3339) != tc.wantDue || d.Rule != RuleClearDays || len(d.Skipped) != 0 {
				t.Fatalf("got %s (due %s, rule %s, skipped %v), want %s (%s)", d.DueDate, d.Due.UTC().Format(time.RFC3339), d.Rule, d.Skipped, tc.wantDate, tc.wantDue)
			}
			if again, err := c.Recompute(d); err != nil || again.DueDate != d.DueDate {
				t.Fatalf("recomputed: %v %v", again.DueDate, err)
			}
		})
	}
}
