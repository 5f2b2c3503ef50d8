package domain

import (
	"fmt"
	"net/mail"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// MaxPence bounds any amount (GBP 10 million), so pro rata arithmetic cannot overflow.
const MaxPence int64 = 1_000_000_000

// MaxNameLength bounds one debtor's name, in characters, wherever it comes from: a referral
// or a rectification.
const MaxNameLength = 200

// nameLengthFault says a name is too long, or "".
func nameLengthFault(n string) string {
	if Chars(n) > MaxNameLength {
		return fmt.Sprintf("a name is at most %d characters", MaxNameLength)
	}
	return ""
}

// NewReferral is one debt a client refers: a row of a referral file.
type NewReferral struct {
	ClientReference       string
	OrderDate             calendar.Date
	OrderReference        string
	DebtorNames           []string
	Address               string
	AmountPence           int64
	Phone                 string
	Email                 string
	VehicleRegistration   string
	Employment            string
	ReportedVulnerability string
	// VulnerableDebtor is whose the reported vulnerability is: a position in DebtorNames
	// from 1. Required when the referral names more than one debtor; Check makes it 1 when
	// it names one.
	VulnerableDebtor int
}

// Check returns every problem with the referral, field by field, so a referral file's
// report can name them all. Nothing is changed but VulnerableDebtor of a referral of one
// debtor: every text is stored exactly as sent or the row refused.
func (r *NewReferral) Check(now time.Time) []*casework.ValidationError {
	var errs []*casework.ValidationError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &casework.ValidationError{Field: field, Detail: fmt.Sprintf(format, args...)})
	}
	// A reference is matched on (a client reference says whether the debt was referred
	// before): " CT-1" would be another debt than "CT-1", so it is refused, never trimmed.
	reference := func(field, v string) {
		switch {
		case Blank(v) || Chars(v) > 64:
			bad(field, "is required, at most 64 characters")
		case EdgeSpace(v):
			bad(field, "%s", EdgeSpaceDetail)
		}
	}
	reference("client_reference", r.ClientReference)
	switch {
	case r.OrderDate.IsZero():
		bad("order_date", "is required (YYYY-MM-DD)")
	case r.OrderDate.After(calendar.DateOf(now)):
		bad("order_date", "cannot be in the future")
	case r.OrderDate.Before(calendar.Earliest):
		// No order a council enforces now was made before 1900; an earlier date is a
		// mistyped year, and one before the calendar's first day could not be read back.
		bad("order_date", "cannot be before %s", calendar.Earliest)
	}
	reference("order_reference", r.OrderReference)
	switch {
	case len(r.DebtorNames) == 0 || len(r.DebtorNames) > 4:
		bad("debtor_names", "name one to four debtors")
	case slices.ContainsFunc(r.DebtorNames, Blank):
		bad("debtor_names", "a debtor's name is empty or white space only: name one to four debtors")
	}
	for _, n := range r.DebtorNames {
		if fault := nameLengthFault(n); fault != "" {
			bad("debtor_names", "%s", fault)
		}
	}
	if Blank(r.Address) || Chars(r.Address) > 500 {
		bad("address", "is required, at most 500 characters")
	}
	switch {
	case r.AmountPence <= 0:
		bad("amount_pence", "must be a positive whole number of pence")
	case r.AmountPence > MaxPence:
		bad("amount_pence", "must be at most %d pence", MaxPence)
	}
	for _, x := range []struct {
		field, value string
		identifier   bool // a phone number, an e-mail address, a registration: refused with white space at an end
	}{{"phone", r.Phone, true}, {"email", r.Email, true}, {"vehicle_registration", r.VehicleRegistration, true},
		{"employment", r.Employment, false}, {"vulnerability", r.ReportedVulnerability, false}} {
		switch {
		case x.value == "":
		case Chars(x.value) > 1000:
			bad(x.field, "is at most 1000 characters")
		case x.identifier && EdgeSpace(x.value):
			bad(x.field, "%s", EdgeSpaceDetail)
		case Blank(x.value):
			bad(x.field, "%s", BlankDetail)
		case x.field == "email":
			if a, err := mail.ParseAddress(x.value); err != nil || a.Address != x.value {
				bad("email", "is not an e-mail address")
			}
		}
	}
	switch n := len(r.DebtorNames); {
	case r.ReportedVulnerability == "" && r.VulnerableDebtor != 0:
		bad("vulnerable_debtor", "is only for a reported vulnerability")
	case r.ReportedVulnerability == "" || n == 0:
	case r.VulnerableDebtor == 0 && n == 1:
		r.VulnerableDebtor = 1
	case r.VulnerableDebtor == 0:
		bad("vulnerable_debtor", "name the debtor the vulnerability concerns: their position among the debtors, 1 to %d", n)
	case r.VulnerableDebtor < 0 || r.VulnerableDebtor > n:
		bad("vulnerable_debtor", "the referral names no debtor %d", r.VulnerableDebtor)
	}
	texts := []struct{ field, value string }{{"client_reference", r.ClientReference}, {"order_reference", r.OrderReference},
		{"address", r.Address}, {"phone", r.Phone}, {"email", r.Email}, {"vehicle_registration", r.VehicleRegistration},
		{"employment", r.Employment}, {"vulnerability", r.ReportedVulnerability}}
	for _, n := range r.DebtorNames {
		texts = append(texts, struct{ field, value string }{"debtor_names", n})
	}
	for _, x := range texts {
		if fault := TextFault(x.value); fault != "" && !slices.ContainsFunc(errs, func(e *casework.ValidationError) bool { return e.Field == x.field }) {
			bad(x.field, "%s", fault)
		}
	}
	return errs
}

// Refer opens a case for a checked referral: the compliance stage begins on receipt of the
// client's instructions, the compliance fee is charged (Fees Regulations 2014 reg 5(1)(a)),
// and the notice of enforcement is given now with the earliest day control may be taken
// (at least the schedule's clear days, SI 2013/1894 reg 6) and the last (12 months beginning
// with the notice, reg 9(1)). A vulnerability the client reports holds enforcement until an
// officer reviews it.
func Refer(id, reference string, client Client, in NewReferral, schedule ScheduleChoice, a Actor) (*Case, Event, error) {
	earliest, err := a.Cal.ClearDaysTCG(a.Now, schedule.Schedule.NoticeClearDays)
	if err != nil {
		return nil, Event{}, calendarRefusal(err)
	}
	c := &Case{
		ID: id, Reference: reference, ClientID: client.ID, ClientReference: in.ClientReference, DebtType: client.DebtType,
		Order:     Order{Kind: DebtTypes[client.DebtType], Date: in.OrderDate, Reference: in.OrderReference},
		DebtPence: in.AmountPence, Stage: StageCompliance, Status: StatusCompliance, ReferredAt: a.Now, Schedule: schedule,
		Debtor: Debtor{Names: in.DebtorNames, Address: in.Address, Phone: in.Phone, Email: in.Email,
			VehicleRegistration: in.VehicleRegistration, Employment: in.Employment, ReportedVulnerability: in.ReportedVulnerability,
			ReportedVulnerableDebtor: in.VulnerableDebtor},
	}
	c.Notice = NoticeOfEnforcement{IssuedAt: a.Now,
		EarliestControl: earliest,
		ControlLimit:    a.Cal.MonthsBeginningWith(a.Now, 12)}
	fee := c.charge(StageCompliance, a.Now, a.Schedules)
	if in.ReportedVulnerability != "" {
		c.Vulnerabilities = []Vulnerability{{Debtor: in.VulnerableDebtor, FlaggedAt: a.Now, FlaggedBy: a.Officer}}
	}
	return c, Event{Type: "case.referred", Detail: map[string]any{
		"client": client.ID, "schedule": schedule.Schedule.ID, "compliance_fee_pence": fee.TotalPence,
		"earliest_control_date": c.Notice.EarliestControl.DueDate.String(),
		"control_limit_date":    c.Notice.ControlLimit.DueDate.String(),
		"vulnerability_hold":    len(c.Vulnerabilities) > 0}}, nil
}

// NoticePeriodRunning reports whether the notice of enforcement's period still matters: the
// case is open and in the compliance stage, so no agent has attended and control of goods
// has not been taken. Once an agent has attended, the period is spent: moving it then would
// put an attendance already recorded inside it.
func (c *Case) NoticePeriodRunning() bool { return !c.Closed() && c.Stage == StageCompliance }

// RecomputeNoticePeriod counts the notice of enforcement's clear days again with the
// calendar's current bank holiday table, so that a newly announced holiday moves the
// earliest day control may be taken while the period still runs (a holiday within it does
// not count, SI 2013/1894 reg 6(2)). The deadline records how it was counted, the table
// version with it, and is saved even when the day does not move, so the case is counted
// once for each table. ok is false when there is nothing to count again; a period the
// table cannot count (its years are outside it) is an error, and the case stays as it was.
func (c *Case) RecomputeNoticePeriod(a Actor) (e Event, ok bool, err error) {
	version := a.Cal.HolidayTableVersion()
	if !c.NoticePeriodRunning() || c.Notice.EarliestControl.HolidayTableVersion == version {
		return Event{}, false, nil
	}
	before := c.Notice.EarliestControl.DueDate
	recomputed, err := a.Cal.Recompute(c.Notice.EarliestControl)
	if err != nil {
		return Event{}, false, fmt.Errorf("recompute the notice period of %s: %w", c.Reference, err)
	}
	c.Notice.EarliestControl = recomputed
	detail := map[string]any{"earliest_control_date": recomputed.DueDate.String(), "holiday_table_version": version}
	if recomputed.DueDate != before {
		detail["moved_from"] = before.String()
	}
	return Event{Type: "notice.recomputed", Detail: detail}, true, nil
}
