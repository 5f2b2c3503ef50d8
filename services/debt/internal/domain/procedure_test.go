package domain

import (
	"errors"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

func testActor(t *testing.T, now time.Time) Actor {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return Actor{Officer: "agent-1", Now: now, Cal: cal}
}

func newCase(t *testing.T, amount int64) *Case {
	t.Helper()
	a := testActor(t, referredOn)
	choice, err := BuiltInSchedules().Choose(referredOn)
	if err != nil {
		t.Fatal(err)
	}
	in := NewReferral{ClientReference: "CT-1", OrderDate: calendar.NewDate(2026, 1, 10), OrderReference: "LO-1",
		DebtorNames: []string{"A Debtor"}, Address: "1 High Street", AmountPence: amount}
	if errs := in.Check(referredOn); len(errs) > 0 {
		t.Fatal(errs)
	}
	c, _, _ := Refer("id-1", "DEBT-2026-000001", Client{ID: "maidstone-council-tax", DebtType: "council_tax"}, in, choice, a)
	return c
}

func ruleOf(err error) string {
	var r *casework.RuleError
	if errors.As(err, &r) {
		return r.Rule
	}
	return ""
}

func TestReferralIssuesTheNoticeWithCalendarDates(t *testing.T) {
	c := newCase(t, 100000)
	if c.Notice.EarliestControl.DueDate.String() != "2026-03-11" || c.Notice.ControlLimit.DueDate.String() != "2027-03-01" {
		t.Fatalf("notice %s .. %s", c.Notice.EarliestControl.DueDate, c.Notice.ControlLimit.DueDate)
	}
	if f := c.Fee(StageCompliance); f == nil || f.TotalPence != 7500 || c.Stage != StageCompliance {
		t.Fatalf("compliance fee %+v", c.Fees)
	}
}

func TestVisitsKeepToTheRegulations(t *testing.T) {
	london := calendar.London()
	tests := []struct {
		name      string
		at        time.Time
		exception string
		rule      string
	}{
		{"before the 7 clear days end", time.Date(2026, 3, 10, 10, 0, 0, 0, london), "", "notice_period"},
		{"at 03:00", time.Date(2026, 3, 12, 3, 0, 0, 0, london), "", "visiting_hours"},
		{"at 21:30", time.Date(2026, 3, 12, 21, 30, 0, 0, london), "", "visiting_hours"},
		{"at 03:00 under a court order", time.Date(2026, 3, 12, 3, 0, 0, 0, london), ExceptionCourtOrder, ""},
		{"at 06:00 on a Sunday (reg 12: any day)", time.Date(2026, 3, 15, 6, 0, 0, 0, london), "", ""},
		{"06:30 BST the day the clocks go forward", time.Date(2026, 3, 29, 6, 30, 0, 0, london), "", ""},
		{"the last day of the 12 months", time.Date(2027, 3, 1, 12, 0, 0, 0, london), "", ""},
		{"the day after the 12 months", time.Date(2027, 3, 2, 12, 0, 0, 0, london), "", "control_limit_passed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, 100000)
			a := testActor(t, tc.at.Add(time.Hour))
			_, err := c.RecordVisit(NewVisit{At: tc.at, Outcome: OutcomeNoContact, BodyWornVideo: "BWV-1", Exception: tc.exception}, false, a)
			if got := ruleOf(err); got != tc.rule || (tc.rule == "" && err != nil) {
				t.Fatalf("rule %q (%v), want %q", got, err, tc.rule)
			}
			if tc.rule != "" && (len(c.Visits) != 0 || c.Stage != StageCompliance || len(c.Fees) != 1) {
				t.Fatalf("a refused visit changed the case: %+v", c.Visits)
			}
			if tc.rule == "" && (c.Stage != StageEnforcement || c.Fee(StageEnforcement).TotalPence != 23500) {
				t.Fatalf("first visit: stage %s fees %+v", c.Stage, c.Fees)
			}
		})
	}
}

func TestControlLimitReturnsTheCase(t *testing.T) {
	c := newCase(t, 100000)
	if _, ok := c.ReturnPastControlLimit(testActor(t, time.Date(2027, 3, 1, 23, 0, 0, 0, time.UTC))); ok {
		t.Fatal("1 March 2027 is still inside the 12 months")
	}
	e, ok := c.ReturnPastControlLimit(testActor(t, time.Date(2027, 3, 2, 0, 30, 0, 0, time.UTC)))
	if !ok || e.Type != "case.returned" || c.Returned.Reason != ReturnControlLimit || !c.Closed() {
		t.Fatalf("after the limit: %v %+v", ok, c.Returned)
	}
}

func TestVulnerableDebtorHoldAndFee(t *testing.T) {
	c := newCase(t, 100000)
	a := testActor(t, time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	if _, err := c.FlagVulnerability("Recently bereaved; mental health crisis.", 0, false, a); err != nil {
		t.Fatal(err)
	}
	_, err := c.RecordVisit(NewVisit{At: a.Now, Outcome: OutcomeNoContact, BodyWornVideo: "BWV-2"}, false, a)
	if ruleOf(err) != "vulnerability_review_pending" {
		t.Fatalf("visit while held: %v", err)
	}
	if _, err := c.ReviewVulnerability(0, false, true, false, a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecordVisit(NewVisit{At: a.Now, Outcome: OutcomeNoContact, BodyWornVideo: "BWV-2"}, false, a); err != nil {
		t.Fatal(err)
	}
	f := c.Fee(StageEnforcement)
	if f.Recoverable || f.Outstanding() != 0 || c.FeesOutstanding() != 7500 {
		t.Fatalf("enforcement fee from a vulnerable debtor without advice: %+v", f)
	}
	acute := newCase(t, 100000)
	if _, err := acute.FlagVulnerability("Terminal illness.", 0, true, a); err != nil {
		t.Fatal(err)
	}
	if acute.Status != StatusReturned || acute.Returned.Reason != ReturnVulnerable {
		t.Fatalf("acute: %s %+v", acute.Status, acute.Returned)
	}
}

// One missed instalment is raised; the second breaches the arrangement, which is flagged
// for an officer's review and stays in force: enforcement waits for the officer, never for
// the sweep alone (UK GDPR Art 22). The officer's "end" ends it as the breach once did.
func TestArrangementMissedOnceThenBreachedAwaitsAnOfficer(t *testing.T) {
	c := newCase(t, 100000) // 1,075 outstanding with the compliance fee
	a := testActor(t, referredOn)
	if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 3, 9), AmountPence: 40000, Count: 3, Frequency: "monthly"}, a); err != nil {
		t.Fatal(err)
	}
	if got := c.Arrangement.Instalments; len(got) != 3 || got[2].DueDate.String() != "2026-05-09" || got[2].AmountPence != 27500 {
		t.Fatalf("instalments %+v", got)
	}
	on := func(s string) Actor {
		d, _ := calendar.ParseDate(s)
		return testActor(t, d.StartOfDay().Add(12*time.Hour))
	}
	if _, ok := c.MarkMissedInstalment(on("2026-03-09")); ok {
		t.Fatal("not missed on its due date")
	}
	e, ok := c.MarkMissedInstalment(on("2026-03-10"))
	if !ok || e.Type != "arrangement.instalment_missed" || e.Detail["instalment"] != 1 || e.Detail["review_pending"] != nil {
		t.Fatalf("first miss: %v %+v", ok, e)
	}
	if _, ok := c.MarkMissedInstalment(on("2026-03-11")); ok {
		t.Fatal("the same miss raised twice")
	}
	if _, err := c.RecordPayment(NewPayment{ID: "p1", AmountPence: 80000, ReceivedAt: on("2026-04-01").Now}, false, on("2026-04-01")); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.MarkMissedInstalment(on("2026-04-10")); ok {
		t.Fatal("the second instalment was paid")
	}
	if _, err := c.ReviewArrangement(ReviewEnd, "Two instalments missed.", on("2026-04-10")); ruleOf(err) != "no_arrangement_review_pending" {
		t.Fatalf("a review with none pending: %v", err)
	}
	swept := on("2026-05-10")
	e, ok = c.MarkMissedInstalment(swept)
	if !ok || e.Type != "arrangement.breached" || !c.Arrangement.Active() || !c.ArrangementReviewPending() ||
		!c.Arrangement.BreachedAt.Equal(swept.Now) || c.Arrangement.DefaultedAt != nil ||
		e.Detail["instalment"] != 3 || e.Detail["missed"] != 2 || e.Detail["review_pending"] != true {
		t.Fatalf("breach: %v %+v %+v", ok, e, c.Arrangement)
	}
	if _, ok := c.MarkMissedInstalment(on("2026-05-11")); ok {
		t.Fatal("the breach raised twice")
	}
	if ruleOf(c.enforcementHeld()) != "arrangement_review_pending" {
		t.Fatalf("enforcement while the breach awaits review: %v", c.enforcementHeld())
	}
	officer := on("2026-05-12")
	officer.Officer = "olive"
	e, err := c.ReviewArrangement(ReviewEnd, "  No contact since April.  ", officer)
	if err != nil || e.Type != "arrangement.defaulted" || c.Arrangement.Active() || c.ArrangementReviewPending() ||
		e.Detail["decision"] != "end" || e.Detail["instalment"] != 3 || e.Detail["due_date"] != "2026-05-09" || e.Detail["missed"] != 2 || e.Detail["reason"] != nil {
		t.Fatalf("end: %v %+v %+v", err, e, c.Arrangement)
	}
	if r := c.ArrangementReviews; len(r) != 1 || r[0].Reason != "  No contact since April.  " || r[0].By != "olive" || r[0].Decision != ReviewEnd ||
		!r[0].BreachedAt.Equal(swept.Now) || !c.Arrangement.DefaultedAt.Equal(officer.Now) {
		t.Fatalf("review %+v", r)
	}
	if err := c.enforcementHeld(); err != nil {
		t.Fatalf("enforcement after the officer ended it: %v", err)
	}
	// A new arrangement replaces the ended one; the decision stays on the case.
	if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 6, 1), AmountPence: 27500, Count: 1, Frequency: "monthly"}, on("2026-05-13")); err != nil {
		t.Fatal(err)
	}
	if c.ArrangementReviewPending() || len(c.ArrangementReviews) != 1 || !c.ArrangementReviews[0].ArrangementMadeAt.Equal(referredOn) {
		t.Fatalf("after a new arrangement: %+v", c.ArrangementReviews)
	}
}

// An officer may keep a breached arrangement: the flag clears and it stays in force; a later
// miss flags it again. A decision must be one of the two, with a reason, and anything
// refused changes nothing.
func TestAnOfficerMayKeepABreachedArrangement(t *testing.T) {
	c := newCase(t, 100000)
	a := testActor(t, referredOn)
	if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 3, 9), AmountPence: 30000, Count: 4, Frequency: "weekly"}, a); err != nil {
		t.Fatal(err)
	}
	on := func(s string) Actor {
		d, _ := calendar.ParseDate(s)
		return testActor(t, d.StartOfDay().Add(12*time.Hour))
	}
	c.MarkMissedInstalment(on("2026-03-10"))
	if e, _ := c.MarkMissedInstalment(on("2026-03-17")); e.Type != "arrangement.breached" {
		t.Fatalf("second miss: %+v", e)
	}
	for _, tc := range []struct{ decision, reason, field string }{
		{"", "Debtor called.", "decision"}, {"pause", "Debtor called.", "decision"}, {ReviewContinue, "", "reason"},
		{ReviewContinue, " \t\n ", "reason"}, {ReviewEnd, string(make([]rune, 2001)), "reason"},
	} {
		if _, err := c.ReviewArrangement(tc.decision, tc.reason, on("2026-03-18")); fieldOf(err) != tc.field {
			t.Errorf("%q %q: %v, want refused at %s", tc.decision, tc.reason, err, tc.field)
		}
	}
	if !c.ArrangementReviewPending() || len(c.ArrangementReviews) != 0 {
		t.Fatalf("a refused review changed the arrangement: %+v", c.Arrangement)
	}
	e, err := c.ReviewArrangement(ReviewContinue, "Debtor lost their job; new job starts next week.", on("2026-03-18"))
	if err != nil || e.Type != "arrangement.continued" || e.Detail["decision"] != "continue" || e.Detail["missed"] != 2 || len(e.Detail) != 2 ||
		!c.Arrangement.Active() || c.ArrangementReviewPending() || c.Arrangement.BreachedAt != nil {
		t.Fatalf("continue: %v %+v %+v", err, e, c.Arrangement)
	}
	if ruleOf(c.enforcementHeld()) != "arrangement_in_place" {
		t.Fatalf("enforcement while the arrangement is kept: %v", c.enforcementHeld())
	}
	if _, err := c.ReviewArrangement(ReviewEnd, "Again.", on("2026-03-19")); ruleOf(err) != "no_arrangement_review_pending" {
		t.Fatalf("a second review of the same breach: %v", err)
	}
	// The third instalment passes unpaid: the arrangement is breached again, for review.
	if e, ok := c.MarkMissedInstalment(on("2026-03-24")); !ok || e.Type != "arrangement.breached" || e.Detail["missed"] != 3 || !c.ArrangementReviewPending() {
		t.Fatalf("a miss after the officer kept it: %+v", e)
	}
}

// A miss taken back by a payment recorded after the sweep (one received by the due date)
// takes back the breach it made, but not the misses an officer already decided on: after
// the officer kept the arrangement, the third miss breached it again, and that miss paid
// on time leaves the first two standing, decided, and nothing awaiting review. With every
// miss taken back the 12 months are those before the first miss; an arrangement stored
// before they were kept (ControlLimitBefore nil) goes back to those from the notice.
func TestAWithdrawnMissTakesBackOnlyTheBreachItMade(t *testing.T) {
	c := newCase(t, 100000)
	if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 3, 9), AmountPence: 30000, Count: 4, Frequency: "weekly"}, testActor(t, referredOn)); err != nil {
		t.Fatal(err)
	}
	on := func(s string, hour int) Actor {
		d, _ := calendar.ParseDate(s)
		return testActor(t, d.StartOfDay().Add(time.Duration(hour)*time.Hour))
	}
	c.MarkMissedInstalment(on("2026-03-10", 9))
	c.MarkMissedInstalment(on("2026-03-17", 9))
	if _, err := c.ReviewArrangement(ReviewContinue, "New job starts next week.", on("2026-03-18", 9)); err != nil {
		t.Fatal(err)
	}
	if e, _ := c.MarkMissedInstalment(on("2026-03-24", 9)); e.Type != "arrangement.breached" {
		t.Fatalf("the third miss: %+v", e)
	}
	pay := func(id string, amount int64, received Actor, recorded Actor) Event {
		t.Helper()
		e, err := c.RecordPayment(NewPayment{ID: id, AmountPence: amount, ReceivedAt: received.Now, Source: SourcePayment}, false, recorded)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	// 90,000 received on 23 March pays the third on time, the first two late.
	e := pay("p1", 90000, on("2026-03-23", 12), on("2026-03-24", 13))
	if e.Detail["misses_withdrawn"] == nil || e.Detail["missed"] != 2 || e.Detail["review_pending"] != false || e.Detail["control_limit_date"] != nil ||
		c.ArrangementReviewPending() || c.Arrangement.BreachedAt != nil || ruleOf(c.enforcementHeld()) != "arrangement_in_place" ||
		c.Notice.ControlLimit.DueDate.String() != "2027-03-09" || len(c.ArrangementReviews) != 1 {
		t.Fatalf("the third paid on time: %+v %+v", e.Detail, c.Arrangement)
	}
	if got := e.Detail["misses_withdrawn"].([]int); len(got) != 1 || got[0] != 3 {
		t.Fatalf("withdrawn %v", got)
	}

	// An arrangement stored before the 12 months before its first miss were kept.
	c = newCase(t, 100000)
	if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 3, 9), AmountPence: 30000, Count: 4, Frequency: "weekly"}, testActor(t, referredOn)); err != nil {
		t.Fatal(err)
	}
	c.MarkMissedInstalment(on("2026-03-10", 0))
	c.Arrangement.ControlLimitBefore = nil
	e = pay("p2", 30000, on("2026-03-09", 15), on("2026-03-10", 9))
	if e.Detail["missed"] != 0 || e.Detail["control_limit_date"] != "2027-03-01" || c.Notice.ControlLimit.DueDate.String() != "2027-03-01" ||
		!c.Notice.ControlLimit.Start.Equal(referredOn) {
		t.Fatalf("the only miss withdrawn: %+v, control limit %+v", e.Detail, c.Notice.ControlLimit)
	}
}

func referAt(t *testing.T, at time.Time) (*Case, Actor) {
	t.Helper()
	a := testActor(t, at)
	choice, err := BuiltInSchedules().Choose(at)
	if err != nil {
		t.Fatal(err)
	}
	in := NewReferral{ClientReference: "CT-2", OrderDate: calendar.NewDate(2026, 1, 10), OrderReference: "LO-2",
		DebtorNames: []string{"A Debtor"}, Address: "1 High Street", AmountPence: 50000}
	c, _, err := Refer("id-2", "DEBT-2026-000002", Client{ID: "maidstone-council-tax", DebtType: "council_tax"}, in, choice, a)
	if err != nil {
		t.Fatal(err)
	}
	return c, a
}

// A notice across Easter: Good Friday, Easter Sunday and Easter Monday inside the 7 clear
// days do not count (SI 2013/1894 reg 6(2)); the day after them is a Sunday, and control may
// be taken on any day of the week (reg 12). A notice on Christmas Eve runs into January.
func TestNoticeAcrossEasterAndChristmas(t *testing.T) {
	london := calendar.London()
	c, a := referAt(t, time.Date(2026, 4, 1, 11, 0, 0, 0, london))
	if got := c.Notice.EarliestControl.DueDate.String(); got != "2026-04-12" {
		t.Fatalf("Easter: earliest control %s, want 2026-04-12", got)
	}
	a.Now = time.Date(2026, 4, 12, 12, 0, 0, 0, london)
	if _, err := c.RecordVisit(NewVisit{At: time.Date(2026, 4, 11, 10, 0, 0, 0, london), Outcome: OutcomeNoContact, BodyWornVideo: "B-1"}, false, a); ruleOf(err) != "notice_period" {
		t.Fatalf("Saturday 11 April: %v", err)
	}
	if _, err := c.RecordVisit(NewVisit{At: time.Date(2026, 4, 12, 10, 0, 0, 0, london), Outcome: OutcomeNoContact, BodyWornVideo: "B-2"}, false, a); err != nil {
		t.Fatalf("Sunday 12 April: %v", err)
	}
	xmas, _ := referAt(t, time.Date(2026, 12, 24, 16, 0, 0, 0, london))
	if got := xmas.Notice.EarliestControl.DueDate.String(); got != "2027-01-06" {
		t.Fatalf("Christmas Eve: earliest control %s, want 2027-01-06", got)
	}
}

// SI 2013/1894 reg 9: a kept arrangement is not returned when the 12 months from the notice
// pass; the debtor's breach starts 12 months again from the day after the unpaid due date.
func TestBrokenArrangementStartsTheTwelveMonthsAgain(t *testing.T) {
	c := newCase(t, 100000) // notice on 2 March 2026: control by 1 March 2027
	a := testActor(t, referredOn)
	if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 4, 1), AmountPence: 4500, Count: 24, Frequency: "monthly"}, a); err != nil {
		t.Fatal(err)
	}
	on := func(s string) Actor {
		d, _ := calendar.ParseDate(s)
		return testActor(t, d.StartOfDay().Add(12*time.Hour))
	}
	// Twelve instalments paid at once: kept to March 2027.
	if _, err := c.RecordPayment(NewPayment{ID: "p1", AmountPence: 12 * 4500, ReceivedAt: on("2026-04-01").Now}, false, on("2026-04-01")); err != nil {
		t.Fatal(err)
	}
	if c.ControlLimitPassed(calendar.NewDate(2027, 3, 20)) {
		t.Fatal("a kept arrangement was returned at the end of the 12 months from the notice")
	}
	e, ok := c.MarkMissedInstalment(on("2027-04-02"))
	if !ok || e.Detail["control_limit_date"] != "2028-04-01" || c.Notice.ControlLimit.DueDate.String() != "2028-04-01" {
		t.Fatalf("breach of 1 April 2027: %v %+v, limit %s", ok, e.Detail, c.Notice.ControlLimit.DueDate)
	}
	e, ok = c.MarkMissedInstalment(on("2027-05-02"))
	if !ok || e.Type != "arrangement.breached" || e.Detail["control_limit_date"] != nil || c.Notice.ControlLimit.DueDate.String() != "2028-04-01" {
		t.Fatalf("the second miss keeps the first breach's period: %+v, limit %s", e, c.Notice.ControlLimit.DueDate)
	}
	if c.ControlLimitPassed(calendar.NewDate(2028, 4, 2)) {
		t.Fatal("a breached arrangement awaiting review was returned")
	}
	if _, err := c.ReviewArrangement(ReviewEnd, "No payment since April.", on("2027-05-03")); err != nil {
		t.Fatal(err)
	}
	a = on("2027-05-03")
	if _, err := c.RecordVisit(NewVisit{At: a.Now, Outcome: OutcomeNoContact, BodyWornVideo: "BWV-9"}, false, a); err != nil {
		t.Fatalf("a visit within 12 months of the breach: %v", err)
	}
	if c.ControlLimitPassed(calendar.NewDate(2028, 4, 1)) || !c.ControlLimitPassed(calendar.NewDate(2028, 4, 2)) {
		t.Fatal("the new period ends on 1 April 2028")
	}
}

// A bank holiday announced after the notice was given moves the earliest day control may be
// taken while the notice period runs (the case in the compliance stage): Thursday 5 March
// 2026 made a holiday no longer counts, so the 7 clear days after Monday 2 March end a day
// later. The period records how it was counted, with the new table. A case an agent has
// attended keeps its period, and a period counted with the table already is left alone.
func TestANewHolidayMovesTheRunningNoticePeriod(t *testing.T) {
	announced, err := calendar.New(calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 3, 5), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	a := Actor{Officer: "system:holiday-table", Now: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC), Cal: announced}
	running := newCase(t, 100000)
	old := running.Notice.EarliestControl
	e, ok, err := running.RecomputeNoticePeriod(a)
	got := running.Notice.EarliestControl
	if err != nil || !ok || got.DueDate.String() != "2026-03-12" || !got.Due.Equal(calendar.NewDate(2026, 3, 12).StartOfDay()) ||
		got.HolidayTableVersion != announced.HolidayTableVersion() || got.HolidayTableVersion == old.HolidayTableVersion ||
		!got.Start.Equal(old.Start) || got.Skipped[0].Date.String() != "2026-03-05" {
		t.Fatalf("recomputed: %v %v %+v", ok, err, got)
	}
	if e.Type != "notice.recomputed" || e.Detail["earliest_control_date"] != "2026-03-12" || e.Detail["moved_from"] != "2026-03-11" ||
		e.Detail["holiday_table_version"] != announced.HolidayTableVersion() {
		t.Fatalf("event %+v", e)
	}
	a.Now = time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)
	if _, err := running.RecordVisit(NewVisit{At: a.Now.Add(-time.Hour), Outcome: OutcomeControlledGoods, BodyWornVideo: "B-1"}, false, a); ruleOf(err) != "notice_period" {
		t.Fatalf("a visit on 11 March: %v", err)
	}
	if _, ok, _ := running.RecomputeNoticePeriod(a); ok {
		t.Fatal("counted again with the same table")
	}

	attended := newCase(t, 100000)
	visited := testActor(t, time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC))
	if _, err := attended.RecordVisit(NewVisit{At: visited.Now.Add(-time.Hour), Outcome: OutcomeNoContact, BodyWornVideo: "B-2"}, false, visited); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := attended.RecomputeNoticePeriod(a); ok || err != nil || attended.Notice.EarliestControl.DueDate.String() != "2026-03-11" {
		t.Fatalf("an attended case: %v %v %s", ok, err, attended.Notice.EarliestControl.DueDate)
	}
}
