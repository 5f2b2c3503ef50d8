package calendar

import "fmt"

// Extend lengthens a deadline by n more units of its rule and records the
// extension and its reason:
//   - RuleWorkingDays: n more working days counted after the current DueDate
//     (Complaint Handling Code extensions);
//   - RuleCalendarMonths: n more calendar months, counted from the start like
//     the original period (UK GDPR: "extend by a further two months").
//
// A new due date outside the holiday table's years is refused with
// *OutsideTableError. Other rules cannot be extended; Extend panics for them
// or if n < 0.
func (c *Calendar) Extend(d Deadline, n int, reason string) (Deadline, error) {
	mustNotBeNegative("extension", n)
	return c.applyExtension(d, Extension{Amount: n, Reason: reason})
}

// Recompute computes the deadline again from the same start with the same
// rule, amount and extensions, using this calendar's holiday table, so that a
// newly announced holiday moves a deadline that is still running. A deadline
// this table cannot count (its years are outside it) is refused with
// *OutsideTableError. Rules that count no working days (RuleHours, RuleYears,
// RuleMonths, RuleMonthsBeginningWith, RuleClearDays, RuleSetDate) come back
// unchanged but for the table version. It panics for an unknown rule.
func (c *Calendar) Recompute(d Deadline) (Deadline, error) {
	var (
		out Deadline
		err error
	)
	switch d.Rule {
	case RuleWorkingDays:
		out, err = c.AddWorkingDays(d.Start, d.Amount)
	case RuleCalendarMonths:
		out, err = c.AddCalendarMonths(d.Start, d.Amount)
	case RuleHours:
		out = c.AddHours(d.Start, d.Amount)
	case RuleYears:
		out = c.AddYears(d.Start, d.Amount)
	case RuleMonths:
		out = c.AddMonths(d.Start, d.Amount)
	case RuleMonthsBeginningWith:
		out = c.MonthsBeginningWith(d.Start, d.Amount)
	case RuleClearDays:
		out = c.ClearDays(d.Start, d.Amount)
	case RuleClearDaysTCG:
		out, err = c.ClearDaysTCG(d.Start, d.Amount)
	case RuleSetDate:
		d.HolidayTableVersion = c.version // a date someone set does not move with the holidays
		return d, nil
	default:
		panic(fmt.Sprintf("calendar: cannot recompute unknown rule %q", d.Rule))
	}
	if err != nil {
		return Deadline{}, err
	}
	for _, e := range d.Extensions {
		if out, err = c.applyExtension(out, e); err != nil {
			return Deadline{}, err
		}
	}
	if len(d.Stops) > 0 {
		out.Stops = d.Stops
		// Each extension extended the due date as it stood when it was granted, the pauses
		// before it included, which counting again from the start does not know: the date it
		// was granted after stays as recorded.
		for i := range out.Extensions {
			out.Extensions[i].FromDueDate = d.Extensions[i].FromDueDate
		}
		return c.recount(out)
	}
	return out, nil
}

func (c *Calendar) applyExtension(d Deadline, e Extension) (Deadline, error) {
	e.FromDueDate = d.DueDate
	out := d
	out.Extensions = append(append([]Extension(nil), d.Extensions...), e)
	out.HolidayTableVersion = c.version
	switch d.Rule {
	case RuleWorkingDays:
		due, skipped, err := c.countWorkingDays(d.StartDate, d.DueDate, e.Amount)
		if err != nil {
			return Deadline{}, err
		}
		out.Skipped = append(append([]SkippedDay{}, d.Skipped...), skipped...)
		out.DueDate = due
		// The reason stays in Extensions only: it is free text that may name people, and the
		// description must survive their erasure.
		out.Description = fmt.Sprintf("%s; extended by %s after %s",
			d.Description, plural(e.Amount, "working day"), e.FromDueDate)
	case RuleCalendarMonths:
		// The whole period is counted from the start again, so the days
		// skipped for the old due date no longer matter.
		total := d.Amount + d.ExtendedBy() + e.Amount
		due, skipped, err := c.nextWorkingDay(d.StartDate, addMonthsClamped(d.StartDate, total))
		if err != nil {
			return Deadline{}, err
		}
		out.Skipped = skipped
		out.DueDate = due
		out.Description = fmt.Sprintf("%s; extended by %s",
			d.Description, plural(e.Amount, "calendar month"))
	default:
		panic(fmt.Sprintf("calendar: a %q deadline cannot be extended", d.Rule))
	}
	out.Due = out.DueDate.EndOfDay()
	if len(out.Stops) > 0 {
		return c.recount(out) // the days the clock stood still still do not count
	}
	return out, nil
}
