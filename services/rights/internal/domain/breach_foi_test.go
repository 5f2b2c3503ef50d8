package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

func aBreach(aware time.Time) NewBreach {
	return NewBreach{Confirmed: true, DiscoveredAt: aware.Add(-time.Hour), AwareAt: aware,
		Nature: "A letter about a noise complaint was posted to the wrong address.", Released: "the complainant's name and address",
		ReleasedTo: "a neighbour", CategoriesAffected: []string{"identity", "contact"}, PeopleAffected: 1, RecordsAffected: 1,
		ReportedBy: Person{Name: "Olly Officer", Email: "olly@maidstone.gov.uk"}}
}

// The ICO's 72 hours run in elapsed time from awareness: the weekend counts and the clock
// change does not move the deadline.
func TestBreachClock(t *testing.T) {
	cal := testCalendar(t)
	cases := []struct {
		name, aware, wantDue, wantLondon string
	}{
		{"Friday afternoon", "2026-03-06 15:30", "2026-03-09T15:30:00Z", "Mon 9 Mar 15:30 GMT"},
		// Friday 23 October 2026 16:30 BST; the clocks go back on Sunday 25 October: 72 hours
		// later is Monday 15:30 GMT, an hour earlier on the wall clock.
		{"across the October clock change", "2026-10-23 16:30", "2026-10-26T15:30:00Z", "Mon 26 Oct 15:30 GMT"},
		// Friday before Christmas: bank holidays count too.
		{"over Christmas", "2026-12-24 09:00", "2026-12-27T09:00:00Z", "Sun 27 Dec 09:00 GMT"},
	}
	for _, tc := range cases {
		aware := london(t, tc.aware)
		b, e, err := RecordBreach(aBreach(aware), Actor{Officer: "dora", Now: aware.Add(time.Minute), Cal: cal})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Deadline.Due.UTC().Format(time.RFC3339); got != tc.wantDue {
			t.Errorf("%s: due %s, want %s", tc.name, got, tc.wantDue)
		}
		if got := b.Deadline.Due.In(calendar.London()).Format("Mon 2 Jan 15:04 MST"); got != tc.wantLondon {
			t.Errorf("%s: due in London %s, want %s", tc.name, got, tc.wantLondon)
		}
		if b.Deadline.Due.Sub(b.AwareAt) != 72*time.Hour || b.Deadline.Rule != calendar.RuleHours || e.Detail["report_due_at"] != b.Deadline.Due {
			t.Errorf("%s: %+v", tc.name, b.Deadline)
		}
		if _, ok := b.MarkReportOverdue(b.Deadline.Due.Add(-time.Second)); ok {
			t.Errorf("%s: overdue a second early", tc.name)
		}
		if _, ok := b.MarkReportOverdue(b.Deadline.Due); ok { // "not later than 72 hours": still on time
			t.Errorf("%s: overdue at the 72nd hour itself", tc.name)
		}
		if _, ok := b.MarkReportOverdue(b.Deadline.Due.Add(time.Second)); !ok {
			t.Errorf("%s: not overdue a second after the 72nd hour", tc.name)
		}
		if _, ok := b.MarkReportOverdue(b.Deadline.Due.Add(time.Hour)); ok {
			t.Errorf("%s: overdue twice", tc.name)
		}
	}
}

func TestBreachDecisionsAndReview(t *testing.T) {
	cal := testCalendar(t)
	aware := london(t, "2026-03-06 15:30")
	a := Actor{Officer: "dora", Now: aware.Add(time.Hour), Cal: cal}
	b, _, err := RecordBreach(aBreach(aware), a)
	if err != nil {
		t.Fatal(err)
	}
	// The deadline managers see: the ICO report while owed, the review once raised.
	due := func(when string, want string) {
		t.Helper()
		got := "none"
		if d := b.DueAt(); d != nil {
			got = d.UTC().Format(time.RFC3339)
		}
		if got != want {
			t.Errorf("%s: due at %s, want %s", when, got, want)
		}
	}
	due("recorded", "2026-03-09T15:30:00Z")
	var invalid *ValidationError
	if _, err := b.Assess(Assessment{Reportable: false, Reason: "r", HighRisk: true, TellReason: "x"}, a); !errors.As(err, &invalid) || invalid.Field != "high_risk" {
		t.Errorf("high risk without reportable: %v", err)
	}
	if _, err := b.Assess(Assessment{Reportable: true, Reason: "r", HighRisk: true, TellPeople: true}, a); !errors.As(err, &invalid) || invalid.Field != "tell_reason" {
		t.Errorf("telling people without a reason: %v", err)
	}
	if _, err := b.Close(10, a); err == nil {
		t.Error("closed before assessment")
	}
	if _, err := b.Assess(Assessment{Reportable: true, Reason: "home address to a neighbour in a dispute", HighRisk: true, TellPeople: true, TellReason: "she can take steps to protect herself"}, a); err != nil {
		t.Fatal(err)
	}
	late := Actor{Officer: "dora", Now: b.Deadline.Due.Add(time.Hour), Cal: cal}
	if _, err := b.ReportToICO(BreachReport{Consequences: "c", Measures: "m"}, late); !errors.As(err, &invalid) || invalid.Field != "late_reason" {
		t.Errorf("late report without reasons: %v", err)
	}
	due("assessed reportable", "2026-03-09T15:30:00Z")
	if _, err := b.ReportToICO(BreachReport{Consequences: "c", Measures: "m"}, a); err != nil || !b.Report.OnTime {
		t.Fatalf("report: %v %+v", err, b.Report)
	}
	due("reported", "none")
	var rule *RuleError
	if _, err := b.Close(10, a); !errors.As(err, &rule) || rule.Rule != "people_not_told" {
		t.Errorf("closed before telling the person: %v", err)
	}
	if _, err := b.RecordPeopleTold(PeopleTold{On: calendar.DateOf(a.Now), Method: "letter", Count: 1}, a); err != nil {
		t.Fatal(err)
	}
	closeAt := Actor{Officer: "dora", Now: london(t, "2026-05-20 10:00"), Cal: cal}
	if _, err := b.Close(10, closeAt); err != nil {
		t.Fatal(err)
	}
	// 10 years plus the current year: closed in 2026, kept to the end of 2036.
	if b.ReviewDue.String() != "2037-01-01" {
		t.Errorf("review due %s", b.ReviewDue)
	}
	due("closed, its review years away", "none")
	if _, ok := b.RaiseReview(Actor{Now: london(t, "2036-12-31 23:00"), Cal: cal}); ok {
		t.Error("review raised early")
	}
	e, ok := b.RaiseReview(Actor{Now: london(t, "2037-01-01 00:10"), Cal: cal})
	if !ok || b.Status != BreachReviewDue || e.Type != "breach.review_due" || b.Nature == "" {
		t.Fatalf("review: %v %s, personal data kept: %v", ok, b.Status, b.Nature != "")
	}
	due("review raised", "2037-01-02T00:00:00Z") // by the end of 1 January 2037 in London
	if _, err := b.Review("keep", "litigation still possible", 2, Actor{Officer: "dora", Now: london(t, "2037-01-05 10:00"), Cal: cal}); err != nil {
		t.Fatal(err)
	}
	if b.Status != BreachClosed || b.ReviewDue.String() != "2039-01-05" {
		t.Errorf("after keep: %s %s", b.Status, b.ReviewDue)
	}
	due("kept", "none")
	// Years to keep a record being erased are refused, not dropped.
	if _, ok := b.RaiseReview(Actor{Now: london(t, "2039-01-05 00:10"), Cal: cal}); !ok {
		t.Fatal("second review not raised")
	}
	due("second review raised", "2039-01-06T00:00:00Z")
	erase := Actor{Officer: "dora", Now: london(t, "2039-01-06 10:00"), Cal: cal}
	if _, err := b.Review("erase", "no claim came", 2, erase); !errors.As(err, &invalid) || invalid.Field != "keep_years" {
		t.Errorf("erased with years to keep: %v", err)
	}
	if b.ErasedAt != nil || b.Status != BreachReviewDue || len(b.Reviews) != 1 || b.Nature == "" {
		t.Errorf("the refused review changed the breach: %s erased %v reviews %d", b.Status, b.ErasedAt, len(b.Reviews))
	}
	if _, err := b.Review("erase", "no claim came", 0, erase); err != nil || b.ErasedAt == nil {
		t.Errorf("erase: %v", err)
	}
	due("erased", "none")
}

func ukCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(calendar.Config{Holidays: calendar.UnitedKingdomHolidays()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func anFOI(received time.Time) NewFOIRequest {
	return NewFOIRequest{Regime: RegimeFOI, ReceivedAt: received, Requester: Person{Name: "Fred Asker", Email: "fred@example.org"},
		Details: "How many fly-tipping reports did you receive in 2025?", Summary: "Fly-tipping reports received in 2025"}
}

// FOIA s10(1): the twentieth working day following the date of receipt, with no bank
// holiday anywhere in the UK counting (ICO).
func TestFOIWorkingDays(t *testing.T) {
	cal := ukCalendar(t)
	cases := []struct {
		name, received, want string
	}{
		// Christmas Day, the Boxing Day substitute, New Year's Day and Scotland's 2 January
		// substitute (Monday 4 January 2027) do not count.
		{"over Christmas", "2026-12-18 10:00", "2027-01-21"},
		// St Patrick's Day, Good Friday and Easter Monday do not count.
		{"over Easter", "2026-03-12 10:00", "2026-04-14"},
		// Received on a Saturday: day one is Monday, the first working day after.
		{"received on a Saturday", "2026-03-07 11:00", "2026-04-08"},
	}
	for _, tc := range cases {
		f, e, err := ReceiveFOI(anFOI(london(t, tc.received)), Actor{Officer: "fiona", Now: london(t, tc.received).Add(time.Hour), Cal: cal})
		if err != nil {
			t.Fatal(err)
		}
		if f.Deadline.DueDate.String() != tc.want || e.Detail["due_date"] != tc.want {
			t.Errorf("%s: due %s, want %s (%s)", tc.name, f.Deadline.DueDate, tc.want, f.Deadline.Description)
		}
	}
}

func TestFOIClarificationRestartsAndEIRExtends(t *testing.T) {
	cal := ukCalendar(t)
	a := Actor{Officer: "fiona", Now: london(t, "2026-03-02 10:00"), Cal: cal}
	f, _, err := ReceiveFOI(anFOI(a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	if f.Deadline.DueDate.String() != "2026-03-31" { // St Patrick's Day passed over
		t.Fatalf("due %s", f.Deadline.DueDate)
	}
	if _, err := f.StopClock(Actor{Officer: "fiona", Now: london(t, "2026-03-03 10:00"), Cal: cal}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.MarkOverdue(london(t, "2026-05-01 00:00")); ok {
		t.Error("overdue while waiting for clarification")
	}
	if _, err := f.RestartClock(london(t, "2026-03-10 15:00"), Actor{Officer: "fiona", Now: london(t, "2026-03-10 16:00"), Cal: cal}); err != nil {
		t.Fatal(err)
	}
	// 20 working days from 10 March: St Patrick's Day, Good Friday and Easter Monday skipped.
	if f.Deadline.DueDate.String() != "2026-04-10" || f.Status != FOIOpen {
		t.Errorf("after clarification: %s %s", f.Deadline.DueDate, f.Status)
	}
	var rule *RuleError
	if _, err := f.ChangeRegime(RegimeEIR, "the information is on the state of the land (reg 2(1)(a))", a); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Extend("complex and voluminous: 12 years of site inspection records", Actor{Officer: "fiona", Now: london(t, "2026-03-11 10:00"), Cal: cal}); err != nil {
		t.Fatal(err)
	}
	if f.Deadline.DueDate.String() != "2026-05-11" { // 40 working days after 10 March: the early May bank holiday passed over too
		t.Errorf("extended: %s (%s)", f.Deadline.DueDate, f.Deadline.Description)
	}
	if _, err := f.ChangeRegime(RegimeFOI, "changed mind", a); !errors.As(err, &rule) || rule.Rule != "extended" {
		t.Errorf("regime changed after an EIR extension: %v", err)
	}
}

func TestFOIPartsAndReview(t *testing.T) {
	cal := ukCalendar(t)
	a := Actor{Officer: "fiona", Now: london(t, "2026-03-02 10:00"), Cal: cal}
	f, _, _ := ReceiveFOI(anFOI(a.Now), a)
	var invalid *ValidationError
	for _, tc := range []struct {
		part  Part
		field string
	}{
		{Part{Description: "d", Outcome: "maybe"}, "parts/0/outcome"},
		{Part{Description: "d", Outcome: PartWithheld, Exemption: "reg12(5)(b)"}, "parts/0/exemption"},
		{Part{Description: "d", Outcome: PartWithheld, Exemption: "s43"}, "parts/0/public_interest"},
		{Part{Description: "d", Outcome: PartWithheld, Exemption: "s40(2)", PublicInterest: &PublicInterest{ForDisclosure: "a", ForWithholding: "b", Conclusion: "c", FavoursWithhold: true}}, "parts/0/public_interest"},
		{Part{Description: "d", Outcome: PartWithheld, Exemption: "s43", PublicInterest: &PublicInterest{ForDisclosure: "a", ForWithholding: "b", Conclusion: "c"}}, "parts/0/public_interest"},
		{Part{Description: "d", Outcome: PartReleased, Exemption: "s43"}, "parts/0/exemption"},
		{Part{Description: "d", Outcome: PartReleased, PublicInterest: &PublicInterest{ForDisclosure: "a", ForWithholding: "b", Conclusion: "c"}}, "parts/0/public_interest"},
	} {
		if _, err := f.Respond([]Part{tc.part}, true, 2, a); !errors.As(err, &invalid) || invalid.Field != tc.field {
			t.Errorf("%+v: %v, want %s", tc.part, err, tc.field)
		}
	}
	parts := []Part{
		{Description: "number of reports in 2025", Outcome: PartReleased},
		{Description: "names of those reported", Outcome: PartWithheld, Exemption: "s40(2)"},
		{Description: "contractor's prices", Outcome: PartWithheld, Exemption: "s43", PublicInterest: &PublicInterest{
			ForDisclosure: "transparency of spending", ForWithholding: "prejudice to the next tender", Conclusion: "withhold until the tender closes", FavoursWithhold: true}},
	}
	e, err := f.Respond(parts, true, 2, Actor{Officer: "fiona", Now: london(t, "2026-03-20 10:00"), Cal: cal})
	if err != nil || f.Outcome() != PartPartly || e.Detail["on_time"] != true || f.RetentionDue.String() != "2028-03-20" {
		t.Fatalf("respond: %v %s %+v %s", err, f.Outcome(), e, f.RetentionDue)
	}
	if _, err := f.RequestReview(london(t, "2026-03-25 10:00"), Actor{Officer: "fiona", Now: london(t, "2026-03-25 11:00"), Cal: cal}); err != nil {
		t.Fatal(err)
	}
	if f.Review.Deadline.DueDate.String() != "2026-04-24" { // 20 working days: Good Friday and Easter Monday skipped
		t.Errorf("review due %s", f.Review.Deadline.DueDate)
	}
	if _, err := f.ExtendReview(Actor{Officer: "fiona", Now: london(t, "2026-04-01 10:00"), Cal: cal}); err != nil || f.Review.Deadline.DueDate.String() != "2026-05-26" {
		t.Errorf("extended review: %v %s", err, f.Review.Deadline.DueDate)
	}
	if _, ok := f.Erase(Actor{Now: london(t, "2028-03-21 10:00"), Cal: cal}); ok {
		t.Error("erased while the review runs")
	}
	if _, err := f.DecideReview("upheld", "the exemptions were rightly applied", 3, Actor{Officer: "rita", Now: london(t, "2026-05-01 10:00"), Cal: cal}); err != nil {
		t.Fatal(err)
	}
	if f.RetentionDue.String() != "2029-05-01" {
		t.Errorf("retention after review %s", f.RetentionDue)
	}
}

// FOIA gives a request whose qualified exemption needs its public interest weighed 20 more
// working days (s10(3)), once, told within the first 20; the cost limit (s12) and a
// vexatious or repeated request (s14) refuse without a public interest test.
func TestFOIPublicInterestExtensionAndRefusalGrounds(t *testing.T) {
	cal := ukCalendar(t)
	a := Actor{Officer: "fiona", Now: london(t, "2026-03-02 10:00"), Cal: cal}
	f, _, err := ReceiveFOI(anFOI(a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	var invalid *ValidationError
	if _, err := f.Extend(" ", a); !errors.As(err, &invalid) || !strings.Contains(invalid.Detail, "s10(3)") {
		t.Errorf("an extension without its reason: %v", err)
	}
	for _, reason := range []string{"Need more time", "the cost limit, s12", "personal data, s40(2), absolute", "s14(1)"} {
		if _, err := f.Extend(reason, a); !errors.As(err, &invalid) || invalid.Field != "reason" {
			t.Errorf("extended for %q: %v", reason, err)
		}
	}
	if _, err := f.Extend("s43 commercial interests: the contractor is being consulted", a); err != nil {
		t.Fatal(err)
	}
	if f.Deadline.DueDate.String() != "2026-04-30" { // 40 working days: St Patrick's Day, Good Friday and Easter Monday passed over
		t.Errorf("extended: %s (%s)", f.Deadline.DueDate, f.Deadline.Description)
	}
	var rule *RuleError
	if _, err := f.Extend("again", a); !errors.As(err, &rule) || rule.Rule != "already_extended" {
		t.Errorf("extended twice: %v", err)
	}
	late, _, _ := ReceiveFOI(anFOI(a.Now), a)
	if _, err := late.Extend("s43", Actor{Officer: "fiona", Now: london(t, "2026-04-01 10:00"), Cal: cal}); !errors.As(err, &rule) ||
		rule.Rule != "deadline_passed" || !strings.Contains(rule.Detail, "s17(2)") {
		t.Errorf("extended after the 20 working days: %v", err)
	}
	for _, ground := range []string{"s12", "s14(1)", "s14(2)"} {
		g, _, _ := ReceiveFOI(anFOI(a.Now), a)
		if _, err := g.Respond([]Part{{Description: "every email since 2010", Outcome: PartWithheld, Exemption: ground}}, false, 2, a); err != nil {
			t.Errorf("refused under %s: %v", ground, err)
		}
		if _, err := g.Respond(nil, false, 2, a); err == nil {
			t.Errorf("responded twice")
		}
	}
	// s12 and s14 refuse the request as a whole, never a part of it.
	for _, parts := range [][]Part{
		{{Description: "all emails", Outcome: PartWithheld, Exemption: "s14(1)"}, {Description: "the budget", Outcome: PartReleased}},
		{{Description: "the budget", Outcome: PartReleased}, {Description: "all emails", Outcome: PartWithheld, Exemption: "s12"}},
		{{Description: "all emails", Outcome: PartPartly, Exemption: "s14(1)"}},
		{{Description: "a", Outcome: PartWithheld, Exemption: "s12"}, {Description: "b", Outcome: PartWithheld, Exemption: "s14(2)"}},
	} {
		g, _, _ := ReceiveFOI(anFOI(a.Now), a)
		if _, err := g.Respond(parts, false, 2, a); !errors.As(err, &invalid) || !strings.HasSuffix(invalid.Field, "/exemption") {
			t.Errorf("%+v: %v", parts, err)
		}
	}
	// Three months from 30 November end on the last day of February.
	n := Actor{Officer: "fiona", Now: london(t, "2026-11-30 10:00"), Cal: cal}
	unclear, _, _ := ReceiveFOI(anFOI(n.Now), n)
	if _, err := unclear.StopClock(n); err != nil {
		t.Fatal(err)
	}
	if _, err := unclear.Lapse(2, Actor{Officer: "fiona", Now: london(t, "2027-02-27 23:59"), Cal: cal}); !errors.As(err, &rule) ||
		rule.Rule != "clarification_awaited" || !strings.Contains(rule.Detail, "from 2027-02-28") {
		t.Errorf("lapsed before 28 February: %v", err)
	}
	if _, err := unclear.Lapse(2, Actor{Officer: "fiona", Now: london(t, "2027-02-28 00:00"), Cal: cal}); err != nil || unclear.Status != FOILapsed {
		t.Errorf("lapse on 28 February: %v %s", err, unclear.Status)
	}
	h, _, _ := ReceiveFOI(anFOI(a.Now), a)
	if _, err := h.Respond([]Part{{Description: "d", Outcome: PartWithheld, Exemption: "s12",
		PublicInterest: &PublicInterest{ForDisclosure: "a", ForWithholding: "b", Conclusion: "c", FavoursWithhold: true}}}, false, 2, a); !errors.As(err, &invalid) ||
		invalid.Field != "parts/0/public_interest" {
		t.Errorf("the cost limit weighed: %v", err)
	}
}

// Lawful refusals the register must take: under the EIR, information not held cites reg
// 12(4)(a) (the reg 14 refusal) with no public interest test, and only for a part not held;
// under FOIA, s12 and s14 may neither confirm nor deny (s12(2)), still for the whole request.
func TestFOINotHeldAndNeitherConfirmNorDenyOnTheRefusalGrounds(t *testing.T) {
	cal := ukCalendar(t)
	a := Actor{Officer: "fiona", Now: london(t, "2026-03-02 10:00"), Cal: cal}
	eir := func() *FOIRequest {
		f, _, _ := ReceiveFOI(anFOI(a.Now), a)
		f.Regime = RegimeEIR
		return f
	}
	if _, err := eir().Respond([]Part{{Description: "noise readings for 2019", Outcome: PartNotHeld, Exemption: "reg12(4)(a)"}}, false, 2, a); err != nil {
		t.Errorf("EIR not held under reg 12(4)(a): %v", err)
	}
	if _, err := eir().Respond([]Part{{Description: "noise readings for 2019", Outcome: PartNotHeld}}, false, 2, a); err != nil {
		t.Errorf("EIR not held without an exception named: %v", err)
	}
	var invalid *ValidationError
	for _, tc := range []struct {
		part  Part
		field string
	}{
		{Part{Description: "d", Outcome: PartWithheld, Exemption: "reg12(4)(a)"}, "parts/0/exemption"},
		{Part{Description: "d", Outcome: PartNotHeld, Exemption: "reg12(4)(a)", PublicInterest: &PublicInterest{ForDisclosure: "a", ForWithholding: "b", Conclusion: "c"}}, "parts/0/public_interest"},
		{Part{Description: "d", Outcome: PartNotHeld, Exemption: "reg12(4)(b)"}, "parts/0/exemption"},
	} {
		if _, err := eir().Respond([]Part{tc.part}, false, 2, a); !errors.As(err, &invalid) || invalid.Field != tc.field {
			t.Errorf("EIR %+v: %v, want %s", tc.part, err, tc.field)
		}
	}
	foi, _, _ := ReceiveFOI(anFOI(a.Now), a)
	if _, err := foi.Respond([]Part{{Description: "whether any such report exists", Outcome: PartNeitherDenied, Exemption: "s12"},
		{Description: "the reports themselves", Outcome: PartWithheld, Exemption: "s12"}}, false, 2, a); err != nil {
		t.Errorf("s12(2) neither confirm nor deny: %v", err)
	}
	mixed, _, _ := ReceiveFOI(anFOI(a.Now), a)
	if _, err := mixed.Respond([]Part{{Description: "a", Outcome: PartNeitherDenied, Exemption: "s12"}, {Description: "b", Outcome: PartReleased}}, false, 2, a); !errors.As(err, &invalid) {
		t.Errorf("s12 on one part only: %v", err)
	}
}

// "Not later than 72 hours after having become aware" (Art 33(1)): a report at the 72nd hour
// itself is on time and needs no reasons, and the overdue sweep waits until after it; a second
// later it is late.
func TestBreachReportAtTheSeventySecondHourIsOnTime(t *testing.T) {
	cal := testCalendar(t)
	aware := london(t, "2026-03-06 15:30")
	reportable := func() *Breach {
		t.Helper()
		a := Actor{Officer: "dora", Now: aware.Add(time.Hour), Cal: cal}
		b, _, err := RecordBreach(aBreach(aware), a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Assess(Assessment{Reportable: true, Reason: "home address to a neighbour"}, a); err != nil {
			t.Fatal(err)
		}
		return b
	}
	due := aware.Add(72 * time.Hour)
	b := reportable()
	if _, marked := b.MarkReportOverdue(due); marked {
		t.Error("marked overdue at the 72nd hour itself")
	}
	if _, err := b.ReportToICO(BreachReport{Consequences: "c", Measures: "m"}, Actor{Officer: "dora", Now: due, Cal: cal}); err != nil || !b.Report.OnTime {
		t.Fatalf("report at the 72nd hour: %v %+v", err, b.Report)
	}
	b = reportable()
	if _, marked := b.MarkReportOverdue(due.Add(time.Second)); !marked {
		t.Error("not marked overdue a second after the 72 hours")
	}
	var invalid *ValidationError
	if _, err := b.ReportToICO(BreachReport{Consequences: "c", Measures: "m"}, Actor{Officer: "dora", Now: due.Add(time.Second), Cal: cal}); !errors.As(err, &invalid) || invalid.Field != "late_reason" {
		t.Errorf("a report a second late without reasons: %v", err)
	}
}
