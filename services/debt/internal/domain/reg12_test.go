package domain

import (
	"errors"
	"maps"
	"testing"
	"time"
)

// visitedAndPaid is a case of debt whose agent attended on Thursday 12 March 2026 (the
// enforcement fee charged, and with controlled goods their removal for sale too) and whose
// debtor then paid each of payments, apportioned under reg 13 as creditorIsAgent says.
func visitedAndPaid(t *testing.T, debt int64, outcome string, creditorIsAgent bool, payments ...int64) (*Case, Actor) {
	t.Helper()
	c := newCase(t, debt)
	a := testActor(t, time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	if _, err := c.RecordVisit(NewVisit{At: a.Now.Add(-30 * time.Minute), Outcome: outcome, BodyWornVideo: "BWV-1"}, false, a); err != nil {
		t.Fatal(err)
	}
	if outcome == OutcomeControlledGoods {
		if _, err := c.RecordRemovalAttendance(NewRemovalAttendance{At: a.Now.Add(-15 * time.Minute), Purpose: RemovalForSale, BodyWornVideo: "BWV-2"}, false, a); err != nil {
			t.Fatal(err)
		}
	}
	for i, amount := range payments {
		if _, err := c.RecordPayment(NewPayment{ID: "p" + string(rune('1'+i)), AmountPence: amount, ReceivedAt: a.Now}, creditorIsAgent, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.FlagVulnerability("Recently bereaved.", 0, false, a); err != nil {
		t.Fatal(err)
	}
	return c, a
}

// allocation is a payment as applied: to the debt, each fee paid (none when nothing), refunded.
type allocation struct {
	debt   int64
	fees   map[Stage]int64
	refund int64
}

func allocationOf(p Payment) allocation {
	fees := map[Stage]int64{}
	for st, n := range p.ToFeesPence {
		if n != 0 {
			fees[st] = n
		}
	}
	return allocation{debt: p.ToDebtPence, fees: fees, refund: p.RefundPence}
}

func sameAllocation(a, b allocation) bool {
	return a.debt == b.debt && a.refund == b.refund && maps.Equal(a.fees, b.fees)
}

// When a review finds a vulnerable debtor had no adequate opportunity to get advice, the
// enforcement fee may not be recovered (Fees Regulations 2014 reg 12), and what payments
// already paid towards it is applied again as any payment is (reg 13): the compliance fee
// first, then the debt and the remaining fees pro rata, or the fees first where the
// creditor is the enforcement agent (reg 13(5)); an excess is refunded and a case so paid
// goes back as paid. The debtor never pays more than the debt and the recoverable fees, and
// no payment keeps anything for the fee.
func TestAFeeNotRecoverableGivesBackWhatWasPaidTowardsIt(t *testing.T) {
	tests := []struct {
		name            string
		debt            int64
		outcome         string
		creditorIsAgent bool
		payments        []int64
		paidBefore      []allocation
		paidAfter       []allocation
		debtOutstanding int64
		status          Status
	}{
		{"part paid: the fee's share goes to the debt", 100000, OutcomeNoContact, false, []int64{20000},
			[]allocation{{10121, map[Stage]int64{StageCompliance: 7500, StageEnforcement: 2379}, 0}},
			[]allocation{{12500, map[Stage]int64{StageCompliance: 7500}, 0}}, 87500, StatusEnforcement},
		{"creditor and agent the same person: the sale fee before the debt", 250000, OutcomeControlledGoods, true, []int64{40000},
			[]allocation{{0, map[Stage]int64{StageCompliance: 7500, StageEnforcement: 31000, StageSale: 1500}, 0}},
			[]allocation{{14000, map[Stage]int64{StageCompliance: 7500, StageSale: 18500}, 0}}, 236000, StatusSale},
		{"what it took pays the rest: the excess refunded and the case paid", 100000, OutcomeNoContact, false, []int64{20000, 88000},
			[]allocation{{10121, map[Stage]int64{StageCompliance: 7500, StageEnforcement: 2379}, 0}, {71255, map[Stage]int64{StageEnforcement: 16745}, 0}},
			[]allocation{{12500, map[Stage]int64{StageCompliance: 7500}, 0}, {87500, map[Stage]int64{}, 500}}, 0, StatusPaid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, a := visitedAndPaid(t, tc.debt, tc.outcome, tc.creditorIsAgent, tc.payments...)
			for i, p := range c.Payments {
				if got := allocationOf(p); !sameAllocation(got, tc.paidBefore[i]) {
					t.Fatalf("payment %d before the review: %+v, want %+v", i+1, got, tc.paidBefore[i])
				}
			}
			var moved int64
			for _, want := range tc.paidBefore {
				moved += want.fees[StageEnforcement]
			}
			e, err := c.ReviewVulnerability(0, false, true, tc.creditorIsAgent, a)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range c.Payments {
				if got := allocationOf(p); !sameAllocation(got, tc.paidAfter[i]) || got.debt+got.refund+sum(got.fees) != p.AmountPence {
					t.Errorf("payment %d after the review: %+v, want %+v", i+1, got, tc.paidAfter[i])
				}
			}
			f := c.Fee(StageEnforcement)
			if f.Recoverable || f.NotRecoverable != reg12 || f.PaidPence != 0 || c.FeesOutstanding() != 0 ||
				c.DebtOutstanding() != tc.debtOutstanding || c.Status != tc.status {
				t.Errorf("after the review: fee %+v, fees outstanding %d, debt outstanding %d, status %s", f, c.FeesOutstanding(), c.DebtOutstanding(), c.Status)
			}
			for _, f := range c.Fees {
				if f.PaidPence > f.TotalPence || (f.Recoverable && f.PaidPence != paidTowards(c, f.Stage)) {
					t.Errorf("%s fee %+v: paid %d by the payments", f.Stage, f, paidTowards(c, f.Stage))
				}
			}
			if e.Detail["enforcement_fee_reapplied_pence"] != moved || (tc.status == StatusPaid) != (e.Detail["returned"] == ReturnPaid) ||
				(tc.status == StatusPaid) != (e.Detail["refund_due"] == true) {
				t.Errorf("event %+v", e.Detail)
			}
		})
	}
}

func sum(m map[Stage]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func paidTowards(c *Case, stage Stage) int64 {
	var n int64
	for _, p := range c.Payments {
		n += p.ToFeesPence[stage]
	}
	return n
}

// An acute vulnerability returns the case at once, before any review; the review may still
// be recorded on it, so that whether the debtor had an adequate opportunity to get advice,
// and so whether the enforcement fee may be recovered, is decided. The case stays returned
// as it was: enforcement cannot go on (continue refused, the case unchanged), and the status
// event names the case's return. Once reviewed, or on a case returned for anything else,
// a review is refused as every action on a closed case is.
func TestAnAcuteVulnerabilityMayStillBeReviewedForTheFee(t *testing.T) {
	c := newCase(t, 100000)
	a := testActor(t, time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	if _, err := c.RecordVisit(NewVisit{At: a.Now.Add(-30 * time.Minute), Outcome: OutcomeNoContact, BodyWornVideo: "BWV-1"}, false, a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecordPayment(NewPayment{ID: "p1", AmountPence: 20000, ReceivedAt: a.Now}, false, a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FlagVulnerability("Terminal illness.", 0, true, a); err != nil || c.Status != StatusReturned {
		t.Fatalf("acute: %v %s", err, c.Status)
	}
	returned := *c.Returned
	later := testActor(t, a.Now.Add(24*time.Hour))

	before := caseJSON(t, c)
	_, err := c.ReviewVulnerability(0, false, true, false, later)
	var refused *TransitionError
	if !errors.As(err, &refused) || refused.Action != "continue enforcement on" || refused.Status != StatusReturned || caseJSON(t, c) != before {
		t.Fatalf("continue on a returned case: %v", err)
	}

	e, err := c.ReviewVulnerability(0, false, false, false, later)
	if err != nil || c.Status != StatusReturned || *c.Returned != returned || c.VulnerabilityReviewPending() ||
		e.StatusChange() != ChangeCaseReturned || e.Detail["returned"] != nil {
		t.Fatalf("reviewed: %v %s %+v %+v", err, c.Status, c.Returned, e)
	}
	if f := c.Fee(StageEnforcement); f.Recoverable || f.PaidPence != 0 || c.FeesOutstanding() != 0 || c.DebtOutstanding() != 87500 ||
		!sameAllocation(allocationOf(c.Payments[0]), allocation{12500, map[Stage]int64{StageCompliance: 7500}, 0}) {
		t.Fatalf("the fee after the review: %+v, payment %+v", f, c.Payments[0])
	}
	if _, err := c.ReviewVulnerability(0, true, false, false, later); !errors.As(err, &refused) || refused.Action != "review vulnerability on" {
		t.Fatalf("a second review: %v", err)
	}

	recalled := newCase(t, 100000)
	if _, err := recalled.FlagVulnerability("Recently bereaved.", 0, false, a); err != nil {
		t.Fatal(err)
	}
	if _, err := recalled.Recall(a); err != nil {
		t.Fatal(err)
	}
	if _, err := recalled.ReviewVulnerability(0, false, false, false, later); !errors.As(err, &refused) || refused.Action != "review vulnerability on" {
		t.Fatalf("a review on a recalled case: %v", err)
	}
}
