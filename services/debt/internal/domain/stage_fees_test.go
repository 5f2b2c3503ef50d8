package domain

import (
	"testing"
	"time"
)

// feeIs checks a charged fee field by field.
func feeIs(t *testing.T, c *Case, stage Stage, schedule string, sum, fixed, percent int64) {
	t.Helper()
	f := c.Fee(stage)
	if f == nil || f.ScheduleID != schedule || f.SumToRecoverPence != sum || f.FixedPence != fixed || f.PercentPence != percent ||
		f.TotalPence != fixed+percent || !f.Recoverable {
		t.Fatalf("%s fee %+v, want schedule %s on %d: %d + %d", stage, f, schedule, sum, fixed, percent)
	}
}

// A stage's fee is the one of the schedule in force on the day the stage began, not the
// one chosen when the case was referred: a case referred on 2 March 2026 under the 2014
// schedule and first visited on 6 April 2026, the reform's first day, owes the reform's
// enforcement and sale fees; its compliance fee and notice stay as referred. A visit the
// evening before owes the 2014 fee.
func TestEachStageFeeIsTheScheduleInForceWhenTheStageBegan(t *testing.T) {
	all := append(BuiltInSchedules(), reform2025)
	c := newCase(t, 300000)
	a := testActor(t, time.Date(2026, 4, 6, 12, 0, 0, 0, time.UTC))
	a.Schedules = all
	if _, err := c.RecordVisit(NewVisit{At: time.Date(2026, 4, 6, 7, 0, 0, 0, time.UTC), Outcome: OutcomeControlledGoods, BodyWornVideo: "BWV-1"}, false, a); err != nil {
		t.Fatal(err)
	}
	feeIs(t, c, StageCompliance, "tcg-fees-2014", 300000, 7500, 0)
	feeIs(t, c, StageEnforcement, "tcg-fees-reform", 300000, 24675, 11250) // 246.75 + 7.5% of GBP 1,500
	if _, err := c.IssueNoticeOfSale(a); err != nil {
		t.Fatal(err)
	}
	a.Now = time.Date(2026, 4, 8, 12, 0, 0, 0, time.UTC)
	if _, err := c.RecordRemovalAttendance(NewRemovalAttendance{At: time.Date(2026, 4, 8, 10, 0, 0, 0, time.UTC), Purpose: PrepareForSale, BodyWornVideo: "BWV-2"}, false, a); err != nil {
		t.Fatal(err)
	}
	feeIs(t, c, StageSale, "tcg-fees-reform", 300000, 11550, 11250)
	if c.Schedule.Schedule.ID != "tcg-fees-2014" || c.Notice.EarliestControl.Amount != 7 {
		t.Fatalf("the case keeps the schedule and notice it was referred under: %s, %d clear days", c.Schedule.Schedule.ID, c.Notice.EarliestControl.Amount)
	}

	// Applied again as received, a payment recorded late keeps each fee under its stage's schedule.
	a.Now = time.Date(2026, 4, 9, 9, 0, 0, 0, time.UTC)
	if _, err := c.RecordPayment(NewPayment{ID: "p1", AmountPence: 50000, ReceivedAt: time.Date(2026, 4, 6, 6, 30, 0, 0, time.UTC), Source: SourcePayment}, false, a); err != nil {
		t.Fatal(err)
	}
	feeIs(t, c, StageEnforcement, "tcg-fees-reform", 257500, 24675, 8062) // 7.5% of GBP 1,075 = 80.625
	feeIs(t, c, StageSale, "tcg-fees-reform", 257500, 11550, 8062)

	before := newCase(t, 300000)
	b := testActor(t, time.Date(2026, 4, 5, 19, 30, 0, 0, time.UTC))
	b.Schedules = all
	if _, err := before.RecordVisit(NewVisit{At: time.Date(2026, 4, 5, 19, 0, 0, 0, time.UTC), Outcome: OutcomeNoContact, BodyWornVideo: "BWV-3"}, false, b); err != nil {
		t.Fatal(err) // 20:00 BST on Sunday 5 April
	}
	feeIs(t, before, StageEnforcement, "tcg-fees-2014", 300000, 23500, 11250)
}

// A visit recorded after a payment received since the visit charges the enforcement fee on
// the debt unpaid when the visit began the stage (the sum to be recovered, reg 2(1)), not on
// what the later payment left, and that payment is apportioned again with the fee it now
// follows (reg 13): the compliance fee first, the rest pro rata between the debt and the
// enforcement fee.
func TestAVisitRecordedAfterALaterPaymentChargesOnTheDebtThenUnpaid(t *testing.T) {
	c := newCase(t, 300000)
	a := testActor(t, time.Date(2026, 3, 12, 13, 0, 0, 0, time.UTC))
	if _, err := c.RecordPayment(NewPayment{ID: "p1", AmountPence: 100000, ReceivedAt: time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC), Source: SourcePayment}, false, a); err != nil {
		t.Fatal(err)
	}
	a.Now = time.Date(2026, 3, 12, 15, 0, 0, 0, time.UTC)
	e, err := c.RecordVisit(NewVisit{At: time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC), Outcome: OutcomeNoContact, BodyWornVideo: "BWV-1"}, false, a)
	if err != nil {
		t.Fatal(err)
	}
	feeIs(t, c, StageEnforcement, "tcg-fees-2014", 300000, 23500, 11250)
	// 92,500 after the compliance fee: 92,500 x 300,000 / 334,750 = 82,897.68 to the debt.
	p := c.Payments[0]
	if p.ToDebtPence != 82898 || p.ToFeesPence[StageCompliance] != 7500 || p.ToFeesPence[StageEnforcement] != 9602 || p.RefundPence != 0 ||
		p.Rule != "compliance fee first (reg 13(3)); the rest pro rata between the debt and the remaining fees (reg 13(4))" {
		t.Fatalf("payment %+v", p)
	}
	if c.DebtOutstanding() != 217102 || c.FeesOutstanding() != 25148 || c.Fee(StageEnforcement).PaidPence != 9602 {
		t.Fatalf("outstanding: debt %d, fees %d", c.DebtOutstanding(), c.FeesOutstanding())
	}
	if e.Detail["enforcement_fee_pence"] != int64(34750) || e.Detail["applied_as_received"] != true {
		t.Fatalf("event %v", e.Detail)
	}
}
