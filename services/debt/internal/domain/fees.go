package domain

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"casework.dev/pkg/calendar"
)

// StageFee is one stage's fee in a schedule: a fixed part and a percentage of the sum to be
// recovered above the schedule's threshold (Fees Regulations 2014 reg 7 and Schedule).
type StageFee struct {
	FixedPence int64 `json:"fixed_pence"`
	// PercentBasisPoints of the sum to be recovered over the threshold: 750 is 7.5%.
	PercentBasisPoints int64 `json:"percent_basis_points"`
}

// FeeSchedule is a dated set of fees and the notice period that goes with it. Schedules are
// data: a new one (such as the reform announced in 2025) is added with the date it takes
// effect, and cases referred from that date use it, without a change to this code.
type FeeSchedule struct {
	ID              string        `json:"id"`
	EffectiveFrom   calendar.Date `json:"effective_from"`
	Source          string        `json:"source"`
	NoticeClearDays int           `json:"notice_clear_days"` // SI 2013/1894 reg 6(1): 7
	Compliance      StageFee      `json:"compliance"`
	Enforcement     StageFee      `json:"enforcement"`
	Sale            StageFee      `json:"sale"`
	// PercentOverPence: the percentage part applies to the sum to be recovered above this
	// (GBP 1,500 in the 2014 Schedule).
	PercentOverPence int64 `json:"percent_over_pence"`
}

// FeeFor is the stage's fee in this schedule.
func (s FeeSchedule) FeeFor(stage Stage) StageFee {
	switch stage {
	case StageEnforcement:
		return s.Enforcement
	case StageSale:
		return s.Sale
	}
	return s.Compliance
}

// Schedules are the fee schedules known to the service, oldest first.
type Schedules []FeeSchedule

// ParseSchedules reads a JSON array of schedules and checks each.
func ParseSchedules(raw []byte) (Schedules, error) {
	var s Schedules
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("fee schedules: %w", err)
	}
	return s, s.Check()
}

// Check refuses schedules that could not be applied: no schedule, a duplicate id or date,
// a missing date, negative amounts or fewer than 7 clear days' notice.
func (s Schedules) Check() error {
	if len(s) == 0 {
		return fmt.Errorf("fee schedules: none given")
	}
	ids, dates := map[string]bool{}, map[calendar.Date]bool{}
	for _, f := range s {
		switch {
		case f.ID == "" || ids[f.ID]:
			return fmt.Errorf("fee schedules: id %q is empty or repeated", f.ID)
		case !f.EffectiveFrom.IsValid() || dates[f.EffectiveFrom]:
			return fmt.Errorf("fee schedule %s: effective_from missing or shared with another schedule", f.ID)
		case f.NoticeClearDays < 7:
			return fmt.Errorf("fee schedule %s: notice_clear_days %d is below the 7 of SI 2013/1894 reg 6(1)", f.ID, f.NoticeClearDays)
		case f.PercentOverPence < 0:
			return fmt.Errorf("fee schedule %s: percent_over_pence is negative", f.ID)
		}
		for _, st := range Stages {
			if fee := f.FeeFor(st); fee.FixedPence < 0 || fee.PercentBasisPoints < 0 || fee.PercentBasisPoints > 10000 {
				return fmt.Errorf("fee schedule %s: the %s fee is out of range", f.ID, st)
			}
		}
		ids[f.ID], dates[f.EffectiveFrom] = true, true
	}
	return nil
}

// ScheduleChoice records which schedule a case uses and how it was chosen.
type ScheduleChoice struct {
	Schedule FeeSchedule
	ChosenOn calendar.Date
	How      string
}

// Choose picks the schedule in force on the London day of received: the latest whose
// effective date is on or before that day. A case's is chosen on the day the client's
// instructions were received (the referral): the compliance stage begins then (Fees
// Regulations 2014 reg 5(1)), and it sets the compliance fee and the notice of
// enforcement's clear days, the notice being given then. A later stage's fee is the
// schedule's in force on the day that stage began (Case.scheduleFor).
func (s Schedules) Choose(received time.Time) (ScheduleChoice, error) {
	day := calendar.DateOf(received)
	sorted := append(Schedules(nil), s...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].EffectiveFrom.Before(sorted[j].EffectiveFrom) })
	var chosen *FeeSchedule
	var later []string
	for i := range sorted {
		if sorted[i].EffectiveFrom.After(day) {
			later = append(later, fmt.Sprintf("%s from %s", sorted[i].ID, sorted[i].EffectiveFrom))
			continue
		}
		chosen = &sorted[i]
	}
	if chosen == nil {
		return ScheduleChoice{}, fmt.Errorf("no fee schedule is in force on %s", day)
	}
	how := fmt.Sprintf("instructions received on %s; schedule %s is the latest in force that day (effective from %s)",
		day, chosen.ID, chosen.EffectiveFrom)
	if len(later) > 0 {
		how += fmt.Sprintf("; not yet in force: %v", later)
	}
	return ScheduleChoice{Schedule: *chosen, ChosenOn: day, How: how}, nil
}

// Fee is one stage fee charged to a case.
type Fee struct {
	Stage             Stage
	ScheduleID        string
	SumToRecoverPence int64
	FixedPence        int64
	PercentPence      int64
	TotalPence        int64
	ChargedAt         time.Time
	Recoverable       bool
	NotRecoverable    string // why, when it is not
	PaidPence         int64
}

// Outstanding is what is still recoverable of the fee.
func (f Fee) Outstanding() int64 {
	if !f.Recoverable {
		return 0
	}
	return f.TotalPence - f.PaidPence
}

// ComputeFee is the stage's fee under schedule s for a sum to be recovered: the fixed fee
// plus the percentage of the part above the threshold (Fees Regulations 2014 reg 7 and the
// Schedule: compliance GBP 75; enforcement GBP 235 + 7.5%; sale GBP 110 + 7.5%, each over
// GBP 1,500). The "sum to be recovered" is "the amount of the debt which remains unpaid, or
// an amount that the creditor agrees to accept in full satisfaction of the debt" (reg 2(1)):
// the debt alone, never the fees already charged. A fraction of a penny is dropped, in the
// debtor's favour.
func ComputeFee(s FeeSchedule, stage Stage, sumToRecover int64, at time.Time) Fee {
	fee := s.FeeFor(stage)
	var percent int64
	if over := sumToRecover - s.PercentOverPence; over > 0 {
		percent = over * fee.PercentBasisPoints / 10000
	}
	return Fee{Stage: stage, ScheduleID: s.ID, SumToRecoverPence: sumToRecover, FixedPence: fee.FixedPence,
		PercentPence: percent, TotalPence: fee.FixedPence + percent, ChargedAt: at, Recoverable: true}
}

// Fee returns the case's fee for a stage, or nil when not charged.
func (c *Case) Fee(stage Stage) *Fee {
	for i := range c.Fees {
		if c.Fees[i].Stage == stage {
			return &c.Fees[i]
		}
	}
	return nil
}

// scheduleFor is the schedule a stage's fee is charged under when the stage began at at:
// the compliance fee under the case's, chosen on the day the instructions were received
// (reg 5(1)(a)); the enforcement and sale fees under the one in force on the London day
// their stage began (the fee is recoverable for the stage once begun, reg 4(3)), so a
// reform in force by the first visit sets the enforcement fee of a case referred before it.
// The case's own when schedules has none in force that day at least as recent as it.
func (c *Case) scheduleFor(stage Stage, at time.Time, schedules Schedules) FeeSchedule {
	if stage == StageCompliance || len(schedules) == 0 {
		return c.Schedule.Schedule
	}
	choice, err := schedules.Choose(at)
	if err != nil || choice.Schedule.EffectiveFrom.Before(c.Schedule.Schedule.EffectiveFrom) {
		return c.Schedule.Schedule
	}
	return choice.Schedule
}

// charge adds the stage fee, under the schedule in force when the stage began
// (scheduleFor), computed on the debt still unpaid then (the sum to be recovered, reg
// 2(1)), fees apart.
func (c *Case) charge(stage Stage, at time.Time, schedules Schedules) Fee {
	f := ComputeFee(c.scheduleFor(stage, at, schedules), stage, c.DebtOutstanding(), at)
	if stage == StageEnforcement && c.adviceOpportunityDenied() {
		f.Recoverable, f.NotRecoverable = false, reg12
	}
	c.Fees = append(c.Fees, f)
	return f
}

// reg12 is why an enforcement fee is not recoverable from a vulnerable debtor.
const reg12 = "the debtor is vulnerable and was not given an adequate opportunity to get assistance and advice (Fees Regulations 2014 reg 12)"
