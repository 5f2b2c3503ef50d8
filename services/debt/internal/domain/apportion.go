package domain

// Allocation is how one payment (or the proceeds of a sale) is applied.
type Allocation struct {
	ToDebtPence int64
	ToFeesPence map[Stage]int64
	RefundPence int64 // an overpayment: refunded to the payer, never kept
	Rule        string
}

// FeesTotal is what went to fees, all stages.
func (a Allocation) FeesTotal() int64 {
	var n int64
	for _, v := range a.ToFeesPence {
		n += v
	}
	return n
}

// Apportion applies amount to a case's outstanding debt and fees as the Taking Control of
// Goods (Fees) Regulations 2014 reg 13 requires when it is less than the amount outstanding:
//
//   - reg 13(3): the compliance fee is recovered first (there are no auctioneer's fees
//     under reg 13(2) here: sales are not by public auction in this service);
//   - reg 13(4): the rest is applied pro rata between the sum to be recovered (the debt)
//     and the remaining fees;
//   - reg 13(5): where the creditor and the enforcement agent are the same legal person,
//     the remaining fees are paid before the debt instead.
//
// The pro rata share of the debt is rounded half up to the penny and the fees take the rest,
// enforcement fee before sale fee. An amount at or above everything outstanding pays it all;
// the excess is an overpayment to refund.
func Apportion(amount, debtOutstanding int64, fees []Fee, creditorIsAgent bool) Allocation {
	a := Allocation{ToFeesPence: map[Stage]int64{}}
	var feesOutstanding int64
	for _, f := range fees {
		feesOutstanding += f.Outstanding()
	}
	if amount >= debtOutstanding+feesOutstanding {
		a.ToDebtPence = debtOutstanding
		for _, f := range fees {
			if o := f.Outstanding(); o > 0 {
				a.ToFeesPence[f.Stage] += o
			}
		}
		a.RefundPence = amount - debtOutstanding - feesOutstanding
		a.Rule = "paid in full; any excess is refunded"
		return a
	}
	rest := amount
	var later []Fee
	for _, f := range fees {
		if f.Stage == StageCompliance {
			paid := min(rest, f.Outstanding())
			a.ToFeesPence[StageCompliance] += paid
			rest -= paid
			continue
		}
		later = append(later, f)
	}
	var laterOutstanding int64
	for _, f := range later {
		laterOutstanding += f.Outstanding()
	}
	toFees := int64(0)
	switch {
	case rest == 0:
	case creditorIsAgent:
		toFees = min(rest, laterOutstanding)
		a.Rule = "compliance fee first (reg 13(3)); creditor and enforcement agent are the same legal person, so fees before the debt (reg 13(5))"
	default:
		toDebt := (2*rest*debtOutstanding + laterOutstanding + debtOutstanding) / (2 * (debtOutstanding + laterOutstanding))
		toFees = rest - toDebt
		a.Rule = "compliance fee first (reg 13(3)); the rest pro rata between the debt and the remaining fees (reg 13(4))"
	}
	if a.Rule == "" {
		a.Rule = "compliance fee first (reg 13(3))"
	}
	for _, f := range later {
		paid := min(toFees, f.Outstanding())
		if paid > 0 {
			a.ToFeesPence[f.Stage] += paid
		}
		toFees -= paid
	}
	a.ToDebtPence = amount - a.FeesTotal()
	return a
}
