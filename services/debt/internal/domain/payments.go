package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Payment sources.
const (
	SourcePayment = "payment"
	SourceSale    = "sale"
)

// NewPayment is money received for a case: from the debtor, or the proceeds of a sale.
type NewPayment struct {
	ID          string
	AmountPence int64
	ReceivedAt  time.Time
	Source      string
}

// Payment is a payment as applied.
type Payment struct {
	ID          string
	ReceivedAt  time.Time
	AmountPence int64
	Source      string
	ToDebtPence int64
	ToFeesPence map[Stage]int64
	RefundPence int64
	Rule        string
	RecordedBy  string
}

// DebtOutstanding is the debt not yet paid, fees apart.
func (c *Case) DebtOutstanding() int64 {
	paid := int64(0)
	for _, p := range c.Payments {
		paid += p.ToDebtPence
	}
	return c.DebtPence - paid
}

// FeesOutstanding is the recoverable fees not yet paid.
func (c *Case) FeesOutstanding() int64 {
	var n int64
	for _, f := range c.Fees {
		n += f.Outstanding()
	}
	return n
}

// RecordPayment applies a payment in any amount (reg 13 of the Fees Regulations 2014, see
// Apportion) to what was owed when it was received: one received before a fee was charged
// or another payment received, recorded since, has every payment applied again in the order
// received (restate). When the debt and fees are paid the case goes back to the client as
// paid; anything over is recorded as a refund due to the payer. A payment that shows an
// instalment raised as missed was paid by its due date takes the miss back (withdrawMisses).
func (c *Case) RecordPayment(in NewPayment, creditorIsAgent bool, a Actor) (Event, error) {
	if err := c.refuseIfClosed("record a payment on"); err != nil {
		return Event{}, err
	}
	switch {
	case in.AmountPence <= 0:
		return Event{}, &casework.ValidationError{Field: "amount_pence", Detail: "must be a positive whole number of pence"}
	case in.AmountPence > MaxPence:
		return Event{}, &casework.ValidationError{Field: "amount_pence", Detail: fmt.Sprintf("must be at most %d pence", MaxPence)}
	case in.ReceivedAt.After(a.Now):
		return Event{}, &casework.ValidationError{Field: "received_at", Detail: "cannot be in the future"}
	case in.ReceivedAt.Before(c.ReferredAt):
		return Event{}, &casework.ValidationError{Field: "received_at", Detail: "cannot be before the referral"}
	}
	movedOn := c.movedOnSince(in.ReceivedAt)
	c.Payments = append(c.Payments, Payment{ID: in.ID, ReceivedAt: in.ReceivedAt, AmountPence: in.AmountPence, Source: in.Source,
		ToFeesPence: map[Stage]int64{}, RecordedBy: a.Officer})
	p := &c.Payments[len(c.Payments)-1]
	detail := map[string]any{"payment": p.ID, "source": p.Source}
	if movedOn {
		maps.Copy(detail, c.restate(creditorIsAgent, a.Schedules))
	} else {
		alloc := Apportion(in.AmountPence, c.DebtOutstanding(), c.Fees, creditorIsAgent)
		p.Rule = alloc.Rule
		c.credit(p, alloc)
	}
	// The schedule was set on what was owed when the arrangement was made, without a payment
	// received before then but recorded only since: it counts towards the instalments, as
	// the debtor paid it towards the balance the schedule covers (paidTowards).
	if arr := c.Arrangement; arr.Active() && in.ReceivedAt.Before(arr.MadeAt) {
		arr.EarlierPayments = append(arr.EarlierPayments, p.ID)
	}
	maps.Copy(detail, c.withdrawMisses(a))
	if c.closeIfPaid(a) {
		detail["returned"] = ReturnPaid
	}
	if p.RefundPence > 0 {
		detail["refund_due"] = true
	}
	return Event{Type: "payment.received", Detail: detail}, nil
}

// movedOnSince reports whether a fee was charged or a payment received after t.
func (c *Case) movedOnSince(t time.Time) bool {
	for _, f := range c.Fees {
		if f.ChargedAt.After(t) {
			return true
		}
	}
	for _, p := range c.Payments {
		if p.ReceivedAt.After(t) {
			return true
		}
	}
	return false
}

// restate applies every payment again as reg 13 applies it, to what was owed when it was
// received: in the order received, each to the fees charged by then, and each stage's fee
// computed again on the debt unpaid when the stage began (the sum to be recovered, reg 2(1)
// and the Schedule), under the schedule in force when the stage began (scheduleFor). So a payment received before a visit but recorded after it pays the
// compliance fee and the debt, and the enforcement fee's 7.5% is of the debt it left
// unpaid; the payments applied since are applied again after it (the adapter saves each
// allocation that changed, as for reapplyFeePaid). A fee keeps whether it is recoverable,
// but one whose stage began when nothing of the debt was unpaid is not recoverable: there
// was nothing to enforce. It returns the event's
// detail: applied_as_received, each fee that changed and refund_due when a payment has more
// to refund than before.
func (c *Case) restate(creditorIsAgent bool, schedules Schedules) map[string]any {
	detail := map[string]any{"applied_as_received": true}
	fees := slices.Clone(c.Fees)
	refunds := map[string]int64{}
	for i := range c.Payments {
		p := &c.Payments[i]
		refunds[p.ID] = p.RefundPence
		p.ToDebtPence, p.ToFeesPence, p.RefundPence, p.Rule = 0, map[Stage]int64{}, 0, ""
	}
	for i := range c.Fees {
		c.Fees[i].PaidPence = 0
	}
	order := make([]*Payment, len(c.Payments))
	for i := range c.Payments {
		order[i] = &c.Payments[i]
	}
	slices.SortStableFunc(order, func(x, y *Payment) int { // as the adapter reads them: by received_at, then id
		if n := x.ReceivedAt.Compare(y.ReceivedAt); n != 0 {
			return n
		}
		return strings.Compare(x.ID, y.ID)
	})
	charged := make([]bool, len(c.Fees))
	// chargeBy computes again each fee charged by t (every fee when t is zero) on the debt
	// unpaid when its stage began, in the order charged.
	chargeBy := func(t time.Time) {
		for {
			next := -1
			for i, f := range c.Fees {
				if !charged[i] && (t.IsZero() || !t.Before(f.ChargedAt)) && (next < 0 || f.ChargedAt.Before(c.Fees[next].ChargedAt)) {
					next = i
				}
			}
			if next < 0 {
				return
			}
			f := &c.Fees[next]
			fee := ComputeFee(c.scheduleFor(f.Stage, f.ChargedAt, schedules), f.Stage, c.DebtOutstanding(), f.ChargedAt)
			f.ScheduleID, f.SumToRecoverPence, f.FixedPence, f.PercentPence, f.TotalPence = fee.ScheduleID, fee.SumToRecoverPence, fee.FixedPence, fee.PercentPence, fee.TotalPence
			if f.Recoverable && f.Stage != StageCompliance && fee.SumToRecoverPence <= 0 {
				f.Recoverable, f.NotRecoverable = false, paidBeforeStage
			}
			charged[next] = true
		}
	}
	for _, p := range order {
		chargeBy(p.ReceivedAt)
		var owed []Fee
		for i, f := range c.Fees {
			if charged[i] {
				owed = append(owed, f)
			}
		}
		alloc := Apportion(p.AmountPence, c.DebtOutstanding(), owed, creditorIsAgent)
		p.Rule = alloc.Rule
		c.credit(p, alloc)
	}
	chargeBy(time.Time{})
	for i, f := range c.Fees {
		if f.TotalPence != fees[i].TotalPence {
			detail[string(f.Stage)+"_fee_pence"] = f.TotalPence
		}
		if f.Recoverable != fees[i].Recoverable {
			detail[string(f.Stage)+"_fee_recoverable"] = f.Recoverable
		}
	}
	for _, p := range c.Payments {
		if p.RefundPence > refunds[p.ID] {
			detail["refund_due"] = true
		}
	}
	return detail
}

// paidBeforeStage is why a stage's fee is not recoverable when the debt was paid before
// the stage began.
const paidBeforeStage = "the debt was paid by payments received before the stage began, so nothing was left to enforce"

// credit applies an allocation of (part of) payment p: to the debt, to the fees it pays,
// and any excess as a refund due to the payer.
func (c *Case) credit(p *Payment, alloc Allocation) {
	for i := range c.Fees {
		c.Fees[i].PaidPence += alloc.ToFeesPence[c.Fees[i].Stage]
	}
	if p.ToFeesPence == nil {
		p.ToFeesPence = map[Stage]int64{}
	}
	for st, n := range alloc.ToFeesPence {
		p.ToFeesPence[st] += n
	}
	p.ToDebtPence += alloc.ToDebtPence
	p.RefundPence += alloc.RefundPence
}

// closeIfPaid returns the open case to the client as paid once the debt and the
// recoverable fees are, and reports whether it did.
func (c *Case) closeIfPaid(a Actor) bool {
	if c.Closed() || c.DebtOutstanding() != 0 || c.FeesOutstanding() != 0 {
		return false
	}
	c.returnToClient(ReturnPaid, a)
	return true
}

// reapplyFeePaid takes back what payments paid towards a fee that is no longer recoverable
// and applies it again as Apportion applies any payment (Fees Regulations 2014 reg 13):
// each payment's part in the order received, to what is outstanding now without that fee
// (the compliance fee first, then the debt and the remaining fees), any excess refunded.
// So the debtor never pays more than the debt and the recoverable fees, and no payment is
// left recording money kept for a fee that may not be recovered. It returns the pence
// re-applied and whether any of them is now a refund.
func (c *Case) reapplyFeePaid(stage Stage, creditorIsAgent bool) (moved int64, refund bool) {
	f := c.Fee(stage)
	if f == nil || f.Recoverable {
		return 0, false
	}
	for i := range c.Payments {
		p := &c.Payments[i]
		part := p.ToFeesPence[stage]
		if part <= 0 {
			continue
		}
		delete(p.ToFeesPence, stage)
		f.PaidPence -= part
		alloc := Apportion(part, c.DebtOutstanding(), c.Fees, creditorIsAgent)
		c.credit(p, alloc)
		moved += part
		refund = refund || alloc.RefundPence > 0
	}
	return moved, refund
}

// Arrangement is an agreement to pay by instalments.
type Arrangement struct {
	MadeAt      time.Time
	MadeBy      string
	Instalments []Instalment
	// BreachedAt is when the sweep found the BreachAfterMissed-th instalment missed and
	// flagged the arrangement for an officer's review; nil when no review is awaited. The
	// arrangement stays in force meanwhile: only an officer ends it (ReviewArrangement).
	BreachedAt  *time.Time
	DefaultedAt *time.Time // when it ended: an officer's decision (before, the sweep's)
	// ControlLimitBefore is the 12 months for taking control as they stood before this
	// arrangement's first miss began them again (reg 9(2)): what they return to when every
	// miss is withdrawn (withdrawMisses). Nil while none began them again.
	ControlLimitBefore *calendar.Deadline
	// EarlierPayments are the ids of payments received before the arrangement was made but
	// recorded after it: they count towards its instalments (paidTowards).
	EarlierPayments []string
}

// ArrangementReview is an officer's decision on a breached arrangement, kept on the case
// (Case.ArrangementReviews) when a later arrangement replaces the one it was about. The
// reason is the officer's own words about the debtor's circumstances: personal data, kept
// with the debtor's and erased with it; the rest is anonymous.
type ArrangementReview struct {
	At                time.Time
	By                string
	ArrangementMadeAt time.Time // the arrangement it decided on
	BreachedAt        time.Time // and its breach
	Decision          string    // ReviewEnd or ReviewContinue
	Reason            string
}

// Decisions an officer may make on a breached arrangement.
const (
	ReviewEnd      = "end"      // the arrangement ends and enforcement goes on
	ReviewContinue = "continue" // the arrangement stays in force
)

// ArrangementDecisions are the values the API accepts.
var ArrangementDecisions = []string{ReviewEnd, ReviewContinue}

// Instalment is one scheduled payment of an arrangement.
type Instalment struct {
	N           int
	DueDate     calendar.Date
	AmountPence int64
	MissedAt    *time.Time // when the miss was raised; at most once
}

// BreachAfterMissed is how many missed instalments breach an arrangement (the agency's
// policy: one miss is raised and may be made good, a second breaches it). A breach is
// flagged for an officer's review and never ends the arrangement by itself: ending it lets
// enforcement resume against the debtor, a decision with a significant effect that the
// privacy notice promises is never made by automated means alone (UK GDPR Art 22).
const BreachAfterMissed = 2

// Active reports whether the arrangement is being kept: in force, awaiting review or not.
func (a *Arrangement) Active() bool { return a != nil && a.DefaultedAt == nil }

// PendingReview reports whether the arrangement was breached and awaits an officer's
// decision; enforcement stays held meanwhile.
func (a *Arrangement) PendingReview() bool { return a.Active() && a.BreachedAt != nil }

// ArrangementReviewPending reports whether the open case's instalment arrangement was
// breached and awaits an officer's decision (a case paid or returned meanwhile has none).
func (c *Case) ArrangementReviewPending() bool { return !c.Closed() && c.Arrangement.PendingReview() }

// Missed is how many of the arrangement's instalments were raised as missed.
func (a *Arrangement) Missed() int {
	n := 0
	for _, in := range a.Instalments {
		if in.MissedAt != nil {
			n++
		}
	}
	return n
}

// NewArrangement asks for count instalments of amount, weekly or monthly from first.
type NewArrangement struct {
	FirstDue    calendar.Date
	AmountPence int64
	Count       int
	Frequency   string // weekly or monthly
}

// MaxInstalments bounds an arrangement: two years of weekly instalments.
const MaxInstalments = 104

// FirstInstalmentWithinYears is how far ahead of the day an arrangement is made its first
// instalment may fall due: a year. The notice of enforcement gives 12 months to take control
// (SI 2013/1894 reg 9(1)), and the first missed instalment starts 12 months again (reg
// 9(2)); an arrangement holds enforcement meanwhile and keeps the case from being returned
// at the end of those 12 months (ControlLimitPassed). A first payment further off than the
// whole period the procedure allows for taking control is no repayment plan but the
// debt put aside, and an unbounded date would be stored and then break every reading of
// the case (a last instalment past the calendar's last day, 9998-12-31, cannot be read back).
const FirstInstalmentWithinYears = 1

// dueDate is instalment i (from 0) of an arrangement starting on first.
func dueDate(first calendar.Date, i int, frequency string) calendar.Date {
	if frequency == "monthly" {
		return first.AddMonths(i)
	}
	return first.AddDays(7 * i)
}

// MakeArrangement replaces enforcement by instalments. The schedule must cover what is
// outstanding (debt and recoverable fees) exactly as asked: count must be the number of
// instalments of amount that covers it, ceil(outstanding / amount), each of amount but the
// last, which takes the remainder (it may be smaller). Fewer is refused at amount_pence,
// more at count, each naming the count that covers it and what the last would be. The
// first instalment falls due from today to a year from today (FirstInstalmentWithinYears),
// so the last, at most 103 months later, is always a day the calendar can hold.
func (c *Case) MakeArrangement(in NewArrangement, a Actor) (Event, error) {
	if err := c.refuseIfClosed("make an arrangement on"); err != nil {
		return Event{}, err
	}
	if c.Arrangement.Active() {
		return Event{}, &casework.RuleError{Rule: "arrangement_exists", Detail: c.Reference + " already has an arrangement being kept"}
	}
	today := calendar.DateOf(a.Now)
	latestFirst := calendar.Limit{Date: calendar.YearsFrom(today, FirstInstalmentWithinYears), Name: "a year from today"}
	switch {
	case in.AmountPence <= 0 || in.AmountPence > MaxPence:
		return Event{}, &casework.ValidationError{Field: "amount_pence", Detail: "must be a positive whole number of pence"}
	case in.Count < 1 || in.Count > MaxInstalments:
		return Event{}, &casework.ValidationError{Field: "count", Detail: fmt.Sprintf("must be 1 to %d instalments", MaxInstalments)}
	case in.Frequency != "weekly" && in.Frequency != "monthly":
		return Event{}, &casework.ValidationError{Field: "frequency", Detail: "must be weekly or monthly"}
	case in.FirstDue.IsZero():
		return Event{}, &casework.ValidationError{Field: "first_due", Detail: "is required (YYYY-MM-DD)"}
	case in.FirstDue.Before(today):
		return Event{}, &casework.ValidationError{Field: "first_due", Detail: "cannot be in the past"}
	}
	if err := calendar.Within(in.FirstDue, calendar.Limit{}, latestFirst); err != nil {
		return Event{}, &casework.ValidationError{Field: "first_due", Detail: err.Error()}
	}
	// Unreachable unless the clock is within ten years of the calendar's last day; kept so
	// that no clock can store a schedule that could not be read back.
	if last := dueDate(in.FirstDue, in.Count-1, in.Frequency); last.After(calendar.LastDate) {
		return Event{}, &casework.ValidationError{Field: "first_due",
			Detail: fmt.Sprintf("the last instalment would fall due on %s, after %s", last, calendar.LastDate)}
	}
	total := c.DebtOutstanding() + c.FeesOutstanding()
	if total <= 0 {
		return Event{}, &casework.RuleError{Rule: "nothing_outstanding", Detail: c.Reference + " has nothing outstanding to pay by instalments"}
	}
	// The schedule is exactly what was asked: count instalments of amount, the last the
	// remainder. Fewer than cover the balance are refused, and so are more, which would
	// otherwise be cut short in silence (or hold instalments of nothing).
	needed := int((total + in.AmountPence - 1) / in.AmountPence)
	last := total - in.AmountPence*int64(needed-1)
	switch {
	case in.Count < needed && needed > MaxInstalments:
		return Event{}, &casework.ValidationError{Field: "amount_pence", Detail: fmt.Sprintf(
			"%s do not cover the %d pence outstanding, and %d instalments, the most allowed, cover it only at %d pence or more",
			instalments(in.Count, in.AmountPence), total, MaxInstalments, (total+MaxInstalments-1)/MaxInstalments)}
	case in.Count < needed:
		return Event{}, &casework.ValidationError{Field: "amount_pence", Detail: fmt.Sprintf(
			"%s do not cover the %d pence outstanding: %s", instalments(in.Count, in.AmountPence), total, covering(needed, in.AmountPence, last))}
	case in.Count > needed:
		return Event{}, &casework.ValidationError{Field: "count", Detail: fmt.Sprintf(
			"%s are more than the %d pence outstanding needs: %s", instalments(in.Count, in.AmountPence), total, covering(needed, in.AmountPence, last))}
	}
	arr := &Arrangement{MadeAt: a.Now, MadeBy: a.Officer}
	for i := range needed {
		amount := in.AmountPence
		if i == needed-1 {
			amount = last
		}
		arr.Instalments = append(arr.Instalments, Instalment{N: i + 1, DueDate: dueDate(in.FirstDue, i, in.Frequency), AmountPence: amount})
	}
	c.Arrangement = arr
	return Event{Type: "arrangement.made", Detail: map[string]any{"instalments": len(arr.Instalments),
		"first_due": arr.Instalments[0].DueDate.String(), "frequency": in.Frequency}}, nil
}

// instalments says n instalments of amount pence.
func instalments(n int, amount int64) string {
	if n == 1 {
		return fmt.Sprintf("1 instalment of %d pence", amount)
	}
	return fmt.Sprintf("%d instalments of %d pence", n, amount)
}

// covering says which schedule of instalments of amount covers the balance: needed of
// them, the last (when needed > 1) of last pence.
func covering(needed int, amount, last int64) string {
	switch {
	case needed == 1:
		return fmt.Sprintf("1 instalment covers it (of %d pence)", last)
	case last == amount:
		return fmt.Sprintf("%s cover it", instalments(needed, amount))
	}
	return fmt.Sprintf("%s cover it, the last of %d pence", instalments(needed, amount), last)
}

// paidTowards is what was paid towards the arrangement by t: the payments received from
// when it was made until t, and those received before it but recorded since (the schedule
// was set on what was owed without them), less what of them is refunded. Payments recorded
// before it was made are in the balance the schedule covers, so they do not count again.
func (c *Case) paidTowards(t time.Time) int64 {
	arr := c.Arrangement
	var n int64
	for _, p := range c.Payments {
		if p.ReceivedAt.Before(t) && (!p.ReceivedAt.Before(arr.MadeAt) || slices.Contains(arr.EarlierPayments, p.ID)) {
			n += p.AmountPence - p.RefundPence
		}
	}
	return n
}

// instalmentPaid reports whether the arrangement's instalment i (from 0) was paid by the end
// of its due date (London): the payments received by then cover it and every one before it.
// What matters is when the money was received, never when it was recorded: a bank transfer
// received on the due date and recorded the next morning paid the instalment on time.
func (c *Case) instalmentPaid(i int) bool {
	var due int64
	for _, in := range c.Arrangement.Instalments[:i+1] {
		due += in.AmountPence
	}
	return c.paidTowards(c.Arrangement.Instalments[i].DueDate.EndOfDay()) >= due
}

// NextInstalmentCheck is the due date of the first instalment not paid by its due date nor
// raised as missed: the day after it, the sweep looks again. Zero when nothing is due.
func (c *Case) NextInstalmentCheck() calendar.Date {
	if !c.Arrangement.Active() || c.Closed() {
		return calendar.Date{}
	}
	for i, in := range c.Arrangement.Instalments {
		if in.MissedAt == nil && !c.instalmentPaid(i) {
			return in.DueDate
		}
	}
	return calendar.Date{}
}

// firstMissed is the due date of the earliest instalment raised as missed; zero when none is.
func (a *Arrangement) firstMissed() calendar.Date {
	for _, in := range a.Instalments {
		if in.MissedAt != nil {
			return in.DueDate
		}
	}
	return calendar.Date{}
}

// restartControlLimit begins the 12 months for taking control again with the day after the
// unpaid due date of the first instalment missed, the debtor's breach (SI 2013/1894 reg 9(2)),
// keeping what they were the first time this arrangement does so.
func (c *Case) restartControlLimit(due calendar.Date, a Actor) {
	if c.Arrangement.ControlLimitBefore == nil {
		before := c.Notice.ControlLimit
		c.Arrangement.ControlLimitBefore = &before
	}
	c.Notice.ControlLimit = controlLimitAfter(due, a)
}

// controlLimitAfter is the 12 months beginning with the day after an unpaid due date.
func controlLimitAfter(due calendar.Date, a Actor) calendar.Deadline {
	return a.Cal.MonthsBeginningWith(due.AddDays(1).StartOfDay(), 12)
}

// MarkMissedInstalment raises the first instalment whose due date has passed unpaid, once.
// The BreachAfterMissed-th miss (and any later one after an officer kept the arrangement)
// breaches the arrangement: it is flagged for an officer's review and stays in force, and
// enforcement waits for the officer's decision (ReviewArrangement). ok is false when
// nothing is missed.
//
// The first miss is the debtor's breach of the repayment arrangement, and the 12 months for
// taking control then begin again with the date of the breach (SI 2013/1894 reg 9(2)): the
// day after the unpaid due date. A later miss does not move it again, so the period runs from
// the earliest breach, never later than the regulation allows.
func (c *Case) MarkMissedInstalment(a Actor) (Event, bool) {
	next := c.NextInstalmentCheck()
	today := calendar.DateOf(a.Now)
	if next.IsZero() || !next.Before(today) {
		return Event{}, false
	}
	var n int
	for i := range c.Arrangement.Instalments {
		in := &c.Arrangement.Instalments[i]
		if in.DueDate == next && in.MissedAt == nil && n == 0 {
			at := a.Now
			in.MissedAt, n = &at, in.N
		}
	}
	missed := c.Arrangement.Missed()
	detail := map[string]any{"instalment": n, "due_date": next.String(), "missed": missed}
	if missed == 1 {
		c.restartControlLimit(next, a)
		detail["control_limit_date"] = c.Notice.ControlLimit.DueDate.String()
	}
	if missed >= BreachAfterMissed && !c.Arrangement.PendingReview() {
		at := a.Now
		c.Arrangement.BreachedAt = &at
		detail["review_pending"] = true
		return Event{Type: "arrangement.breached", Detail: detail}, true
	}
	if c.Arrangement.PendingReview() {
		detail["review_pending"] = true
	}
	return Event{Type: "arrangement.instalment_missed", Detail: detail}, true
}

// withdrawMisses takes back each miss the sweep raised on an instalment that the payments
// now recorded show was paid by its due date (the sweep runs on what is recorded, and money
// received on the due date may be recorded after it ran), with what the miss caused unless
// another miss still stands for it: the breach awaiting review, and the 12 months for taking
// control begun again (reg 9(2)), which run from the earliest miss standing or, with none,
// return to what they were before. An officer's decision already made stays on the case,
// and an arrangement an officer ended is not judged again. It returns the detail for the
// payment's event, so the case's history shows what was withdrawn; nil when nothing was.
func (c *Case) withdrawMisses(a Actor) map[string]any {
	arr := c.Arrangement
	if !arr.Active() {
		return nil
	}
	first := arr.firstMissed()
	var withdrawn []int
	for i := range arr.Instalments {
		if in := &arr.Instalments[i]; in.MissedAt != nil && c.instalmentPaid(i) {
			in.MissedAt = nil
			withdrawn = append(withdrawn, in.N)
		}
	}
	if withdrawn == nil {
		return nil
	}
	detail := map[string]any{"misses_withdrawn": withdrawn, "missed": arr.Missed()}
	if arr.BreachedAt != nil {
		arr.BreachedAt = c.breachedAt()
		detail["review_pending"] = arr.BreachedAt != nil
	}
	if now := arr.firstMissed(); now != first {
		switch {
		case !now.IsZero():
			c.Notice.ControlLimit = controlLimitAfter(now, a)
		case arr.ControlLimitBefore != nil:
			c.Notice.ControlLimit, arr.ControlLimitBefore = *arr.ControlLimitBefore, nil
		case !c.replacedArrangement():
			// Stored before ControlLimitBefore was kept: the case's first arrangement began
			// again the 12 months from the notice (reg 9(1)). After an earlier arrangement
			// what they were is not known, and they stay as they are.
			c.Notice.ControlLimit = a.Cal.MonthsBeginningWith(c.Notice.IssuedAt, 12)
		}
		detail["control_limit_date"] = c.Notice.ControlLimit.DueDate.String()
	}
	return detail
}

// breachedAt is when the misses standing breached the arrangement: when the miss that made
// them BreachAfterMissed was raised, or, after an officer kept it, the first miss raised
// since. Nil when they do not breach it.
func (c *Case) breachedAt() *time.Time {
	arr := c.Arrangement
	var kept time.Time
	for _, r := range c.ArrangementReviews {
		if r.ArrangementMadeAt.Equal(arr.MadeAt) && r.Decision == ReviewContinue {
			kept = r.At
		}
	}
	n := 0
	for _, in := range arr.Instalments {
		if in.MissedAt == nil {
			continue
		}
		if n++; n >= BreachAfterMissed && in.MissedAt.After(kept) {
			at := *in.MissedAt
			return &at
		}
	}
	return nil
}

// replacedArrangement reports whether the case had an arrangement before its current one
// (one ends only on an officer's decision, kept in ArrangementReviews).
func (c *Case) replacedArrangement() bool {
	return slices.ContainsFunc(c.ArrangementReviews, func(r ArrangementReview) bool { return !r.ArrangementMadeAt.Equal(c.Arrangement.MadeAt) })
}

// ReviewArrangement records an officer's decision on a breached arrangement, with their
// reason (required, stored exactly as sent). ReviewEnd ends it, as the breach once did by
// itself, and enforcement may go on; ReviewContinue keeps it in force and clears the flag
// (a later miss flags it again). Neither the reason nor anything else personal is on the
// event: it is the officer's words, kept with the debtor's data.
func (c *Case) ReviewArrangement(decision, reason string, a Actor) (Event, error) {
	if err := c.refuseIfClosed("review the arrangement of"); err != nil {
		return Event{}, err
	}
	switch {
	case !slices.Contains(ArrangementDecisions, decision):
		return Event{}, &casework.ValidationError{Field: "decision", Detail: "must be one of " + strings.Join(ArrangementDecisions, ", ")}
	case Blank(reason) || Chars(reason) > 2000:
		return Event{}, &casework.ValidationError{Field: "reason", Detail: "give the reason for the decision (at most 2000 characters)"}
	}
	if err := CheckText("reason", reason); err != nil {
		return Event{}, err
	}
	if !c.ArrangementReviewPending() {
		return Event{}, &casework.RuleError{Rule: "no_arrangement_review_pending", Detail: c.Reference + " has no breached arrangement awaiting an officer's review"}
	}
	arr := c.Arrangement
	c.ArrangementReviews = append(c.ArrangementReviews, ArrangementReview{At: a.Now, By: a.Officer, ArrangementMadeAt: arr.MadeAt,
		BreachedAt: *arr.BreachedAt, Decision: decision, Reason: reason})
	arr.BreachedAt = nil
	detail := map[string]any{"decision": decision, "missed": arr.Missed()}
	if decision == ReviewContinue {
		return Event{Type: "arrangement.continued", Detail: detail}, nil
	}
	// Ended: the event is the one the sweep raised when a breach ended the arrangement by
	// itself, naming the last instalment missed, so what follows from it is unchanged.
	for _, in := range arr.Instalments {
		if in.MissedAt != nil {
			detail["instalment"], detail["due_date"] = in.N, in.DueDate.String()
		}
	}
	at := a.Now
	arr.DefaultedAt = &at
	return Event{Type: "arrangement.defaulted", Detail: detail}, nil
}
