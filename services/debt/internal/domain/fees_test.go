package domain

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

var referredOn = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // Monday 2 March 2026

// reform2025 is the reform announced in 2025 as a dated schedule: fixed fees up 5% and 14
// clear days' notice. The effective date is the test's own.
var reform2025 = FeeSchedule{ID: "tcg-fees-reform", EffectiveFrom: calendar.NewDate(2026, 4, 6), Source: "test",
	NoticeClearDays: 14, Compliance: StageFee{FixedPence: 7875}, Enforcement: StageFee{FixedPence: 24675, PercentBasisPoints: 750},
	Sale: StageFee{FixedPence: 11550, PercentBasisPoints: 750}, PercentOverPence: 150000}

func TestFeesEachStageAndThePercentageOverGBP1500(t *testing.T) {
	s := BuiltInSchedules()[0]
	tests := []struct {
		stage                Stage
		sum                  int64
		fixed, percent, want int64
	}{
		{StageCompliance, 500000, 7500, 0, 7500},       // no percentage at compliance
		{StageEnforcement, 100000, 23500, 0, 23500},    // GBP 1,000: under the threshold
		{StageEnforcement, 150000, 23500, 0, 23500},    // exactly GBP 1,500: nothing over
		{StageEnforcement, 150100, 23500, 7, 23507},    // GBP 1 over: 7.5p, the half penny dropped
		{StageEnforcement, 250000, 23500, 7500, 31000}, // GBP 2,500: 235 + 7.5% of 1,000
		{StageSale, 250000, 11000, 7500, 18500},        // GBP 2,500: 110 + 75
		{StageSale, 1234567, 11000, 81342, 92342},      // 7.5% of 10,845.67 = 813.42525
		{StageEnforcement, MaxPence, 23500, 74988750, 75012250},
	}
	for _, tc := range tests {
		f := ComputeFee(s, tc.stage, tc.sum, referredOn)
		if f.FixedPence != tc.fixed || f.PercentPence != tc.percent || f.TotalPence != tc.want || !f.Recoverable || f.ScheduleID != "tcg-fees-2014" {
			t.Errorf("%s on %d: %+v, want fixed %d percent %d total %d", tc.stage, tc.sum, f, tc.fixed, tc.percent, tc.want)
		}
	}
}

func TestSchedulesAreChosenByTheDayOfInstructions(t *testing.T) {
	all := append(BuiltInSchedules(), reform2025)
	if err := all.Check(); err != nil {
		t.Fatal(err)
	}
	before, err := all.Choose(time.Date(2026, 4, 5, 22, 30, 0, 0, time.UTC)) // 23:30 BST on 5 April
	if err != nil {
		t.Fatal(err)
	}
	if before.Schedule.ID != "tcg-fees-2014" || before.ChosenOn.String() != "2026-04-05" ||
		!strings.Contains(before.How, "not yet in force: [tcg-fees-reform from 2026-04-06]") {
		t.Fatalf("before the reform: %+v", before)
	}
	after, err := all.Choose(time.Date(2026, 4, 5, 23, 30, 0, 0, time.UTC)) // 00:30 BST on 6 April
	if err != nil {
		t.Fatal(err)
	}
	if after.Schedule.ID != "tcg-fees-reform" || after.Schedule.NoticeClearDays != 14 || after.ChosenOn.String() != "2026-04-06" {
		t.Fatalf("from the reform: %+v", after)
	}
	if f := ComputeFee(after.Schedule, StageEnforcement, 250000, referredOn); f.TotalPence != 24675+7500 {
		t.Fatalf("reform enforcement fee %d", f.TotalPence)
	}
	if _, err := BuiltInSchedules().Choose(time.Date(2014, 4, 5, 12, 0, 0, 0, time.UTC)); err == nil {
		t.Fatal("a day before any schedule must have none")
	}
	bad := append(BuiltInSchedules(), FeeSchedule{ID: "short", EffectiveFrom: calendar.NewDate(2027, 1, 1), NoticeClearDays: 5})
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "below the 7") {
		t.Fatalf("a schedule under 7 clear days must be refused: %v", err)
	}
}

// The worked example: a debt of GBP 1,000 at the enforcement stage owes the compliance fee
// GBP 75 and the enforcement fee GBP 235. A part payment of GBP 500 pays the compliance fee
// first (reg 13(3)); the GBP 425 left is shared pro rata between the debt (1,000) and the
// enforcement fee (235): 425 x 1000/1235 = 344.129..., so GBP 344.13 to the debt and GBP 80.87
// to the fee (reg 13(4)).
func TestApportionmentWorkedExample(t *testing.T) {
	fees := []Fee{{Stage: StageCompliance, TotalPence: 7500, Recoverable: true}, {Stage: StageEnforcement, TotalPence: 23500, Recoverable: true}}
	got := Apportion(50000, 100000, fees, false)
	want := Allocation{ToDebtPence: 34413, ToFeesPence: map[Stage]int64{StageCompliance: 7500, StageEnforcement: 8087},
		Rule: "compliance fee first (reg 13(3)); the rest pro rata between the debt and the remaining fees (reg 13(4))"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// Same legal person as creditor and agent: fees before the debt (reg 13(5)).
	got = Apportion(50000, 100000, fees, true)
	if got.ToDebtPence != 19000 || got.ToFeesPence[StageCompliance] != 7500 || got.ToFeesPence[StageEnforcement] != 23500 {
		t.Fatalf("reg 13(5): %+v", got)
	}
	// Less than the compliance fee: all of it to that fee.
	got = Apportion(5000, 100000, fees, false)
	if got.ToDebtPence != 0 || got.ToFeesPence[StageCompliance] != 5000 || got.FeesTotal() != 5000 {
		t.Fatalf("under the compliance fee: %+v", got)
	}
	// An enforcement fee not recoverable (reg 12) takes no share: all to the debt.
	noEnf := []Fee{{Stage: StageCompliance, TotalPence: 7500, Recoverable: true}, {Stage: StageEnforcement, TotalPence: 23500}}
	got = Apportion(50000, 100000, noEnf, false)
	if got.ToDebtPence != 42500 || got.ToFeesPence[StageEnforcement] != 0 {
		t.Fatalf("unrecoverable fee: %+v", got)
	}
	// Overpayment: everything paid, the excess refunded, never kept.
	got = Apportion(140000, 100000, fees, false)
	if got.ToDebtPence != 100000 || got.FeesTotal() != 31000 || got.RefundPence != 9000 {
		t.Fatalf("overpayment: %+v", got)
	}
}

func TestRoundingNeverLosesAPenny(t *testing.T) {
	fees := []Fee{{Stage: StageCompliance, TotalPence: 7500, Recoverable: true}, {Stage: StageEnforcement, TotalPence: 23513, Recoverable: true},
		{Stage: StageSale, TotalPence: 11077, Recoverable: true}}
	for amount := int64(1); amount < 300000; amount += 997 {
		a := Apportion(amount, 254321, fees, false)
		if a.ToDebtPence+a.FeesTotal()+a.RefundPence != amount || a.ToDebtPence < 0 || a.ToFeesPence[StageEnforcement] > 23513 || a.ToFeesPence[StageSale] > 11077 {
			t.Fatalf("amount %d: %+v", amount, a)
		}
	}
}
