package calendar

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestExtendWorkingDays(t *testing.T) {
	c := newTestCalendar(t)
	base := must(t)(c.AddWorkingDays(noonLondon(t, "2027-06-01"), 5))
	if got := base.DueDate.String(); got != "2027-06-08" {
		t.Fatalf("base DueDate = %s", got)
	}
	ext := must(t)(c.Extend(base, 10, "complex investigation"))
	if got := ext.DueDate.String(); got != "2027-06-22" {
		t.Errorf("extended DueDate = %s, want 2027-06-22", got)
	}
	if !ext.Due.Equal(instant(t, "2027-06-22T23:00:00Z")) {
		t.Errorf("extended Due = %v", ext.Due)
	}
	wantExt := []Extension{{Amount: 10, Reason: "complex investigation", FromDueDate: Date{2027, time.June, 8}}}
	if !reflect.DeepEqual(ext.Extensions, wantExt) || ext.ExtendedBy() != 10 {
		t.Errorf("Extensions = %+v", ext.Extensions)
	}
	wantDesc := "5 working days (England and Wales) after 2027-06-01; extended by 10 working days after 2027-06-08"
	if ext.Description != wantDesc {
		t.Errorf("Description = %q\nwant          %q", ext.Description, wantDesc)
	}
	wantSkipped := []string{"2027-06-05 Saturday", "2027-06-06 Sunday", "2027-06-12 Saturday", "2027-06-13 Sunday",
		"2027-06-19 Saturday", "2027-06-20 Sunday"}
	if got := skippedString(ext.Skipped); !slices.Equal(got, wantSkipped) {
		t.Errorf("Skipped = %q", got)
	}
	if len(base.Extensions) != 0 || base.DueDate.String() != "2027-06-08" {
		t.Error("Extend modified its argument")
	}
	if got := must(t)(c.Extend(ext, 1, "second")).ExtendedBy(); got != 11 {
		t.Errorf("ExtendedBy after two extensions = %d", got)
	}
}

func TestExtendCalendarMonths(t *testing.T) {
	c := newTestCalendar(t)
	base := must(t)(c.AddCalendarMonths(noonLondon(t, "2026-01-15"), 1)) // 15 Feb is a Sunday
	ext := must(t)(c.Extend(base, 2, "complex request"))
	if got := ext.DueDate.String(); got != "2026-04-15" {
		t.Errorf("DueDate = %s, want 2026-04-15", got)
	}
	if len(ext.Skipped) != 0 {
		t.Errorf("Skipped = %v, want none for the new due date", ext.Skipped)
	}
	if ext.Extensions[0].FromDueDate != (Date{2026, time.February, 16}) {
		t.Errorf("FromDueDate = %v", ext.Extensions[0].FromDueDate)
	}
}

func TestExtendUnsupportedRulePanics(t *testing.T) {
	c := newTestCalendar(t)
	defer func() {
		if recover() == nil {
			t.Fatal("extending an hours deadline did not panic")
		}
	}()
	_, _ = c.Extend(c.AddHours(instant(t, "2026-01-01T00:00:00Z"), 72), 1, "no")
}

func TestRecomputeMovesRunningDeadlineForNewHoliday(t *testing.T) {
	old := newTestCalendar(t)
	announced := newTestCalendar(t, Holiday{Date: Date{2027, time.June, 7}, Name: "Bank holiday for an occasion"})

	running := must(t)(old.AddWorkingDays(noonLondon(t, "2027-06-01"), 5))
	if got := running.DueDate.String(); got != "2027-06-08" {
		t.Fatalf("before announcement DueDate = %s", got)
	}
	moved := must(t)(announced.Recompute(running))
	if got := moved.DueDate.String(); got != "2027-06-09" {
		t.Errorf("after announcement DueDate = %s, want 2027-06-09", got)
	}
	if moved.HolidayTableVersion != "2026-11-29+2027-06-07" {
		t.Errorf("HolidayTableVersion = %q", moved.HolidayTableVersion)
	}
	wantSkipped := []string{"2027-06-05 Saturday", "2027-06-06 Sunday", "2027-06-07 Bank holiday for an occasion (bank holiday)"}
	if got := skippedString(moved.Skipped); !slices.Equal(got, wantSkipped) {
		t.Errorf("Skipped = %q", got)
	}

	extended := must(t)(old.Extend(running, 10, "complex"))
	movedExt := must(t)(announced.Recompute(extended))
	if got := movedExt.DueDate.String(); got != "2027-06-23" {
		t.Errorf("extended after announcement DueDate = %s, want 2027-06-23", got)
	}
	wantExt := []Extension{{Amount: 10, Reason: "complex", FromDueDate: Date{2027, time.June, 9}}}
	if !reflect.DeepEqual(movedExt.Extensions, wantExt) {
		t.Errorf("Extensions = %+v", movedExt.Extensions)
	}
}

func TestRecomputeIsStableAndSurvivesJSON(t *testing.T) {
	c := newTestCalendar(t)
	from := instant(t, "2026-06-30T23:30:00Z")
	deadlines := []Deadline{
		must(t)(c.AddWorkingDays(from, 5)),
		must(t)(c.Extend(must(t)(c.AddWorkingDays(from, 10)), 10, "complex")),
		must(t)(c.Extend(must(t)(c.AddCalendarMonths(from, 1)), 2, "complex")),
		c.AddHours(from, 72),
		c.AddYears(from, 6),
		must(t)(c.ClearDaysTCG(from, 7)),
	}
	for _, d := range deadlines {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var stored Deadline
		if err := json.Unmarshal(b, &stored); err != nil {
			t.Fatal(err)
		}
		again := must(t)(c.Recompute(stored))
		if !reflect.DeepEqual(again, d) {
			t.Errorf("%s: Recompute after JSON round trip = %+v\nwant %+v", d.Rule, again, d)
		}
	}
}

func TestDeadlineJSONFieldNames(t *testing.T) {
	c := newTestCalendar(t)
	d := must(t)(c.Extend(must(t)(c.AddWorkingDays(noonLondon(t, "2026-01-02"), 1)), 1, "why"))
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"start":"2026-01-02T12:00:00Z","start_date":"2026-01-02","rule":"working_days","amount":1,` +
		`"description":"1 working day (England and Wales) after 2026-01-02; extended by 1 working day after 2026-01-05",` +
		`"due_date":"2026-01-06","due":"2026-01-07T00:00:00Z",` +
		`"skipped":[{"date":"2026-01-03","reason":"Saturday"},{"date":"2026-01-04","reason":"Sunday"}],` +
		`"extensions":[{"amount":1,"reason":"why","from_due_date":"2026-01-05"}],"holiday_table_version":"2026-11-29"}`
	if string(b) != want {
		t.Errorf("json = %s\nwant   %s", b, want)
	}
}

func TestIsOverdue(t *testing.T) {
	c := newTestCalendar(t)
	d := must(t)(c.AddWorkingDays(noonLondon(t, "2026-07-01"), 1)) // due 2 July, overdue from 23:00Z
	if d.IsOverdue(instant(t, "2026-07-02T22:59:59Z")) || !d.IsOverdue(instant(t, "2026-07-02T23:00:00Z")) {
		t.Errorf("IsOverdue boundary wrong; Due = %v", d.Due)
	}
}

func TestRecomputeUnknownRulePanics(t *testing.T) {
	c := newTestCalendar(t)
	defer func() {
		if recover() == nil {
			t.Fatal("Recompute of an unknown rule did not panic")
		}
	}()
	_, _ = c.Recompute(Deadline{Rule: "fortnights"})
}
