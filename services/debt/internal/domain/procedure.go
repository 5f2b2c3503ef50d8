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

// Visiting hours: SI 2013/1894 reg 13(1), the agent "may not take control of goods of the
// debtor before 6 a.m. or after 9 p.m. on any day" (Europe/London wall clock; 06:00:00 and
// 21:00:00 are allowed), unless reg 13(2) applies: (a) the court orders otherwise, (b) trade
// premises open at that hour, (c) control begun in permitted hours that it is reasonably
// necessary to finish. Reg 12 allows any day of the week, Sundays and bank holidays
// included; the days the regulations rule out are those before the notice period ends
// (reg 6) and after the 12 months (reg 9).
var (
	VisitFrom = calendar.ClockTime{Hour: 6}
	VisitTo   = calendar.ClockTime{Hour: 21}
)

// NewVisit is what an agent records of one attendance.
type NewVisit struct {
	At            time.Time
	Outcome       string
	BodyWornVideo string
	Exception     string
}

// withinVisitingHours refuses an attendance at the debtor's premises outside the hours of
// reg 13(1) when no reg 13(2) exception is recorded for it. Every attendance an agent
// records is held to it: a visit, and an attendance to remove goods for sale or prepare
// them for sale.
func withinVisitingHours(what string, at time.Time, exception string) error {
	if calendar.WithinLondonHours(at, VisitFrom, VisitTo) || exception != "" {
		return nil
	}
	return &casework.RuleError{Rule: "visiting_hours",
		Detail: fmt.Sprintf("%s at %s (Europe/London) is outside 06:00-21:00; record the exception that applies (SI 2013/1894 reg 13)",
			what, calendar.LondonClockTime(at))}
}

func (c *Case) refuseIfClosed(action string) error {
	if c.Closed() {
		return &TransitionError{Kind: Kind, Action: action, Status: c.Status, Allowed: []string{"read"}}
	}
	return nil
}

// enforcementHeld refuses enforcement while any debtor's vulnerability awaits review or
// an arrangement is being kept, a breached one included until an officer ends it. Every
// step an agent takes against the debtor or their goods is enforcement and asks it: a
// visit, the notice of sale, a removal attendance and the sale itself.
func (c *Case) enforcementHeld() error {
	if c.VulnerabilityReviewPending() {
		return &casework.RuleError{Rule: "vulnerability_review_pending",
			Detail: c.Reference + " is held: an officer must review the debtor's vulnerability before enforcement goes on"}
	}
	if c.Arrangement.PendingReview() {
		return &casework.RuleError{Rule: "arrangement_review_pending",
			Detail: c.Reference + " is held: its instalment arrangement was breached and an officer must decide whether it ends before enforcement goes on"}
	}
	if c.Arrangement.Active() {
		return &casework.RuleError{Rule: "arrangement_in_place", Detail: c.Reference + " has an instalment arrangement that is being kept"}
	}
	return nil
}

// RecordVisit records an enforcement agent's attendance. The first moves the case to the
// enforcement stage and charges its fee, dated at the visit (Fees Regulations 2014 reg
// 5(1)(b)); a controlled goods agreement or removal takes control of goods; nulla bona
// returns the case. A visit recorded after a payment received since it has the stage's
// fee charged as it stood when the stage began (chargeStage).
func (c *Case) RecordVisit(in NewVisit, creditorIsAgent bool, a Actor) (Event, error) {
	if err := c.refuseIfClosed("record a visit on"); err != nil {
		return Event{}, err
	}
	if c.Stage == StageSale {
		return Event{}, &TransitionError{Kind: Kind, Action: "record a visit on", Status: c.Status, Allowed: []string{"record_sale", "record_payment"}}
	}
	switch {
	case in.At.IsZero():
		return Event{}, &casework.ValidationError{Field: "at", Detail: "is required"}
	case in.At.After(a.Now):
		return Event{}, &casework.ValidationError{Field: "at", Detail: "cannot be in the future"}
	case in.At.Before(c.ReferredAt):
		return Event{}, &casework.ValidationError{Field: "at", Detail: "cannot be before the referral"}
	case !slices.Contains(VisitOutcomes, in.Outcome):
		return Event{}, &casework.ValidationError{Field: "outcome", Detail: "must be one of " + strings.Join(VisitOutcomes, ", ")}
	case in.Exception != "" && !slices.Contains(VisitExceptions, in.Exception):
		return Event{}, &casework.ValidationError{Field: "exception", Detail: "must be one of " + strings.Join(VisitExceptions, ", ")}
	case Blank(in.BodyWornVideo) || Chars(in.BodyWornVideo) > 100:
		return Event{}, &casework.ValidationError{Field: "body_worn_video", Detail: "the body-worn video reference is required (at most 100 characters)"}
	case EdgeSpace(in.BodyWornVideo):
		return Event{}, &casework.ValidationError{Field: "body_worn_video", Detail: EdgeSpaceDetail}
	}
	if err := CheckText("body_worn_video", in.BodyWornVideo); err != nil {
		return Event{}, err
	}
	if err := c.enforcementHeld(); err != nil {
		return Event{}, err
	}
	if in.At.Before(c.Notice.EarliestControl.Due) {
		return Event{}, &casework.RuleError{Rule: "notice_period",
			Detail: fmt.Sprintf("control of goods may not be taken before %s: %s (SI 2013/1894 reg 6)",
				c.Notice.EarliestControl.DueDate, c.Notice.EarliestControl.Description)}
	}
	if c.GoodsControlled == nil && !in.At.Before(c.Notice.ControlLimit.Due) {
		return Event{}, &casework.RuleError{Rule: "control_limit_passed",
			Detail: fmt.Sprintf("the 12 months for taking control ended on %s (SI 2013/1894 reg 9)", c.Notice.ControlLimit.DueDate)}
	}
	if err := withinVisitingHours("a visit", in.At, in.Exception); err != nil {
		return Event{}, err
	}
	v := Visit{N: len(c.Visits) + 1, At: in.At, Agent: a.Officer, Outcome: in.Outcome,
		BodyWornVideo: in.BodyWornVideo, Exception: in.Exception}
	c.Visits = append(c.Visits, v)
	detail := map[string]any{"visit": v.N, "outcome": v.Outcome, "exception": v.Exception}
	if c.Stage == StageCompliance {
		c.Stage, c.Status = StageEnforcement, StatusEnforcement
		fee := c.chargeStage(StageEnforcement, in.At, creditorIsAgent, a, detail) // the stage began with the visit, not its recording
		detail["enforcement_fee_pence"], detail["enforcement_fee_recoverable"] = fee.TotalPence, fee.Recoverable
	}
	switch in.Outcome {
	case OutcomeControlledGoods, OutcomeGoodsRemoved:
		if c.GoodsControlled == nil {
			c.GoodsControlled = &GoodsControl{At: in.At, How: in.Outcome, By: a.Officer}
		}
	case OutcomeNullaBona:
		c.returnToClient(ReturnNullaBona, a)
		detail["returned"] = ReturnNullaBona
	}
	return Event{Type: "visit.recorded", Detail: detail}, nil
}

// chargeStage charges the fee of a stage that began at at, recorded now. A payment
// received after the stage began but recorded before the attendance that began it was
// applied without the stage's fee, and took off the debt the fee's percentage is of: so
// the payments are applied again as received (restate), the fee computed on the debt
// unpaid when the stage began (the sum to be recovered, Fees Regulations 2014 reg 2(1))
// and each payment since apportioned with it (reg 13). What that changed joins detail.
func (c *Case) chargeStage(stage Stage, at time.Time, creditorIsAgent bool, a Actor, detail map[string]any) Fee {
	fee := c.charge(stage, at, a.Schedules)
	if !c.movedOnSince(at) {
		return fee
	}
	restated := c.restate(creditorIsAgent, a.Schedules)
	delete(restated, string(stage)+"_fee_pence") // the fee is new: detail has it as charged
	maps.Copy(detail, restated)
	return *c.Fee(stage)
}

// IssueNoticeOfSale gives the debtor notice of the sale of goods under control: the sale
// may not be before 7 clear days (SI 2013/1894 reg 37). It charges no fee and does not
// begin the sale stage: that begins with the agent's first attendance to remove the goods
// for sale or to prepare them for sale where they are (RecordRemovalAttendance).
func (c *Case) IssueNoticeOfSale(a Actor) (Event, error) {
	if err := c.refuseIfClosed("issue a notice of sale on"); err != nil {
		return Event{}, err
	}
	if c.Stage == StageCompliance || c.GoodsControlled == nil || c.SaleNotice != nil {
		allowed := []string{"record_visit", "record_payment"}
		if c.SaleNotice != nil {
			allowed = []string{"record_removal_attendance", "record_sale", "record_payment"}
		}
		return Event{}, &TransitionError{Kind: Kind, Action: "issue a notice of sale on", Status: c.Status, Allowed: allowed}
	}
	if err := c.enforcementHeld(); err != nil {
		return Event{}, err
	}
	// Reg 37(1): 7 clear days before the sale, every day counting (only the notice of
	// enforcement's period leaves out Sundays and holidays, reg 6(2)).
	c.SaleNotice = &SaleNotice{IssuedAt: a.Now, EarliestSale: a.Cal.ClearDays(a.Now, 7)}
	return Event{Type: "sale.notice_issued", Detail: map[string]any{"earliest_sale_date": c.SaleNotice.EarliestSale.DueDate.String()}}, nil
}

// Removal attendance purposes: the two ways the Fees Regulations 2014 Schedule 1 begins the
// sale stage.
const (
	RemovalForSale  = "remove_for_sale"  // attending the premises to remove the goods for sale
	PrepareForSale  = "prepare_for_sale" // attending to prepare the goods for sale on the premises
	OutcomeRemoval  = "removal_attendance"
	removalActivity = "record_removal_attendance"
)

// RemovalPurposes are the values the API accepts.
var RemovalPurposes = []string{RemovalForSale, PrepareForSale}

// NewRemovalAttendance is what an agent records of attending to remove goods for sale, or
// to prepare them for sale where they are.
type NewRemovalAttendance struct {
	At            time.Time
	Purpose       string
	BodyWornVideo string
	Exception     string // the reg 13(2) exception relied on outside 06:00-21:00, as for a visit
}

// RecordRemovalAttendance records the agent's attendance at the premises where goods under
// control are, to remove them for sale or to prepare them for sale there. The first begins
// the sale stage and charges its fee (Fees Regulations 2014 Schedule 1: the sale or
// disposal stage begins with that first attendance), computed on the debt then unpaid and
// dated at the attendance (chargeStage); a later one charges nothing. Like a visit it keeps
// to the hours of SI 2013/1894 reg 13 unless an exception is recorded.
func (c *Case) RecordRemovalAttendance(in NewRemovalAttendance, creditorIsAgent bool, a Actor) (Event, error) {
	if err := c.refuseIfClosed("record a removal attendance on"); err != nil {
		return Event{}, err
	}
	if c.Stage == StageCompliance || c.GoodsControlled == nil || (c.SaleNotice != nil && c.SaleNotice.SoldAt != nil) {
		return Event{}, &TransitionError{Kind: Kind, Action: "record a removal attendance on", Status: c.Status,
			Allowed: []string{"record_visit", "record_payment"}}
	}
	switch {
	case in.At.IsZero():
		return Event{}, &casework.ValidationError{Field: "at", Detail: "is required"}
	case in.At.After(a.Now):
		return Event{}, &casework.ValidationError{Field: "at", Detail: "cannot be in the future"}
	case in.At.Before(c.GoodsControlled.At):
		return Event{}, &casework.ValidationError{Field: "at", Detail: "cannot be before control of the goods was taken"}
	case !slices.Contains(RemovalPurposes, in.Purpose):
		return Event{}, &casework.ValidationError{Field: "purpose", Detail: "must be one of " + strings.Join(RemovalPurposes, ", ")}
	case in.Exception != "" && !slices.Contains(VisitExceptions, in.Exception):
		return Event{}, &casework.ValidationError{Field: "exception", Detail: "must be one of " + strings.Join(VisitExceptions, ", ")}
	case Blank(in.BodyWornVideo) || Chars(in.BodyWornVideo) > 100:
		return Event{}, &casework.ValidationError{Field: "body_worn_video", Detail: "the body-worn video reference is required (at most 100 characters)"}
	case EdgeSpace(in.BodyWornVideo):
		return Event{}, &casework.ValidationError{Field: "body_worn_video", Detail: EdgeSpaceDetail}
	}
	if err := CheckText("body_worn_video", in.BodyWornVideo); err != nil {
		return Event{}, err
	}
	if err := c.enforcementHeld(); err != nil {
		return Event{}, err
	}
	if err := withinVisitingHours("a removal attendance", in.At, in.Exception); err != nil {
		return Event{}, err
	}
	v := Visit{N: len(c.Visits) + 1, At: in.At, Agent: a.Officer, Outcome: OutcomeRemoval, Purpose: in.Purpose,
		BodyWornVideo: in.BodyWornVideo, Exception: in.Exception}
	c.Visits = append(c.Visits, v)
	detail := map[string]any{"visit": v.N, "outcome": v.Outcome, "purpose": v.Purpose, "exception": v.Exception}
	if c.Stage != StageSale {
		c.Stage, c.Status = StageSale, StatusSale
		fee := c.chargeStage(StageSale, in.At, creditorIsAgent, a, detail) // the stage began with the attendance, not its recording
		detail["sale_fee_pence"] = fee.TotalPence
	}
	return Event{Type: "sale.removal_attendance", Detail: detail}, nil
}

// RecordSale records the sale; its proceeds are applied like a payment. Selling the goods is
// enforcement like any step before it, so it is held as they are (enforcementHeld).
func (c *Case) RecordSale(proceeds int64, at time.Time, paymentID string, creditorIsAgent bool, a Actor) (Event, error) {
	if err := c.refuseIfClosed("record a sale on"); err != nil {
		return Event{}, err
	}
	if c.Stage != StageSale || c.SaleNotice == nil || c.SaleNotice.SoldAt != nil {
		// The goods are sold after the notice of sale and once the agent attended to remove
		// them or prepare them for sale (the sale stage).
		allowed := []string{"record_payment"}
		switch {
		case c.GoodsControlled != nil && c.SaleNotice == nil && c.Stage != StageCompliance:
			allowed = []string{"issue_notice_of_sale", removalActivity, "record_payment"}
		case c.SaleNotice != nil && c.SaleNotice.SoldAt == nil && c.Stage != StageSale:
			allowed = []string{removalActivity, "record_payment"}
		}
		return Event{}, &TransitionError{Kind: Kind, Action: "record a sale on", Status: c.Status, Allowed: allowed}
	}
	// The proceeds are applied as a payment received at the sale, whose checks would name
	// received_at: the request's field is sold_at.
	switch {
	case at.IsZero():
		return Event{}, &casework.ValidationError{Field: "sold_at", Detail: "is required"}
	case at.After(a.Now):
		return Event{}, &casework.ValidationError{Field: "sold_at", Detail: "cannot be in the future"}
	}
	if err := c.enforcementHeld(); err != nil {
		return Event{}, err
	}
	if at.Before(c.SaleNotice.EarliestSale.Due) {
		return Event{}, &casework.RuleError{Rule: "sale_notice_period", Detail: fmt.Sprintf("the goods may not be sold before %s (SI 2013/1894 reg 37)", c.SaleNotice.EarliestSale.DueDate)}
	}
	e, err := c.RecordPayment(NewPayment{ID: paymentID, AmountPence: proceeds, ReceivedAt: at, Source: SourceSale}, creditorIsAgent, a)
	if err != nil {
		return Event{}, err
	}
	c.SaleNotice.SoldAt = &at
	e.Type = "sale.completed"
	return e, nil
}
