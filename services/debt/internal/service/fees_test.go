package service_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/service"
)

// reform is the 2025 announcement as a deployment would add it (DEBT_FEES_FILE): fixed fees
// up 5%, 14 clear days' notice, from a date. The date here is the test's own.
const reform = `[{
  "id": "tcg-fees-reform",
  "effective_from": "2026-04-06",
  "source": "the reform announced in 2025: fixed fees up 5%, 14 clear days' notice",
  "notice_clear_days": 14,
  "compliance": {"fixed_pence": 7875, "percent_basis_points": 0},
  "enforcement": {"fixed_pence": 24675, "percent_basis_points": 750},
  "sale": {"fixed_pence": 11550, "percent_basis_points": 750},
  "percent_over_pence": 150000
}]`

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A dated schedule added as data applies to cases referred from its date, chosen by the day
// the instructions were received and recorded with how: their compliance fee and notice
// period. A later stage's fee is the schedule's in force on the day the stage began, so a
// case referred before the reform and first visited after it owes the reform's
// enforcement fee, its compliance fee and notice staying as referred.
func TestAReformScheduleAddedAsDataIsChosenByDate(t *testing.T) {
	schedules, err := service.LoadSchedules(writeFile(t, "fees.json", reform))
	if err != nil {
		t.Fatal(err)
	}
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	e := newEnvOn(t, db, testkit.NewNATS(t), calendar.NewManualClock(start), schedules)

	before := e.referOne("maidstone-council-tax", "CT-F1", 300000)
	c := e.Must(200, "GET", "/cases/"+before, e.officer(), nil)
	wantHow := "instructions received on 2026-03-02; schedule tcg-fees-2014 is the latest in force that day (effective from 2014-04-06); not yet in force: [tcg-fees-reform from 2026-04-06]"
	if fs := c["fee_schedule"].(map[string]any); fs["id"] != "tcg-fees-2014" || fs["how"] != wantHow || fs["chosen_on"] != "2026-03-02" {
		t.Fatalf("before the reform: %v", fs)
	}
	if c["notice_of_enforcement"].(map[string]any)["earliest_control_date"] != "2026-03-11" || c["fees_outstanding_pence"] != float64(7500) {
		t.Fatalf("before the reform: %v %v", c["notice_of_enforcement"], c["fees_outstanding_pence"])
	}

	// Tuesday 7 April 2026, the day after the reform took effect.
	e.Clock.Set(time.Date(2026, 4, 7, 9, 0, 0, 0, time.UTC))
	after := e.referOne("maidstone-council-tax", "CT-F2", 300000)
	c = e.Must(200, "GET", "/cases/"+after, e.officer(), nil)
	wantHow = "instructions received on 2026-04-07; schedule tcg-fees-reform is the latest in force that day (effective from 2026-04-06)"
	if fs := c["fee_schedule"].(map[string]any); fs["id"] != "tcg-fees-reform" || fs["how"] != wantHow || fs["effective_from"] != "2026-04-06" {
		t.Fatalf("after the reform: %v", fs)
	}
	// 14 clear days, Sundays 12 and 19 April not counted: control from Friday 24 April.
	notice := c["notice_of_enforcement"].(map[string]any)
	earliest := notice["earliest_control"].(map[string]any)
	var skipped []string
	for _, s := range earliest["skipped"].([]any) {
		skipped = append(skipped, s.(map[string]any)["date"].(string))
	}
	if notice["earliest_control_date"] != "2026-04-24" || earliest["amount"] != float64(14) || strings.Join(skipped, ",") != "2026-04-12,2026-04-19" ||
		c["fees_outstanding_pence"] != float64(7875) {
		t.Fatalf("reform notice %v, fees %v", notice, c["fees_outstanding_pence"])
	}

	// The day before, 7 clear days have long passed but 14 have not.
	e.Clock.Set(time.Date(2026, 4, 23, 12, 0, 0, 0, time.UTC))
	p := problemOf(t, e.Call("POST", "/cases/"+after+"/visits", e.agent(),
		map[string]any{"at": "2026-04-23T10:00:00Z", "outcome": "no_contact", "body_worn_video": "BWV-R1"}), 409, "conflict")
	if p["rule"] != "notice_period" {
		t.Fatalf("visit inside 14 clear days: %v", p)
	}
	e.Clock.Set(time.Date(2026, 4, 24, 12, 0, 0, 0, time.UTC))
	visit := map[string]any{"at": "2026-04-24T10:00:00Z", "outcome": "no_contact", "body_worn_video": "BWV-R2"}
	// Enforcement fee on GBP 3,000 under the reform in force on the day of the visit: the
	// fixed part plus 7.5% of the GBP 1,500 above GBP 1,500, whenever the case was referred.
	for _, id := range []string{before, after} {
		c = e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), visit)
		f := c["fees"].([]any)[1].(map[string]any)
		got := [3]float64{f["fixed_pence"].(float64), f["percent_pence"].(float64), f["total_pence"].(float64)}
		if want := [3]float64{24675, 11250, 35925}; got != want || f["sum_to_recover_pence"] != float64(300000) || f["schedule_id"] != "tcg-fees-reform" {
			t.Errorf("%s: enforcement fee %v, want %v (schedule %v)", id, got, want, f["schedule_id"])
		}
	}
	if c := e.Must(200, "GET", "/cases/"+before, e.officer(), nil); c["fees"].([]any)[0].(map[string]any)["schedule_id"] != "tcg-fees-2014" ||
		c["fees"].([]any)[0].(map[string]any)["total_pence"] != float64(7500) || c["fee_schedule"].(map[string]any)["id"] != "tcg-fees-2014" {
		t.Errorf("the case referred before keeps its compliance fee and schedule: %v %v", c["fees"], c["fee_schedule"])
	}
}

// A fees file that could not be applied stops the service at start, saying why.
func TestAFeesFileThatCannotApplyIsRefused(t *testing.T) {
	for name, tc := range map[string]struct{ file, want string }{
		"notice shorter than the regulations": {strings.Replace(reform, `"notice_clear_days": 14`, `"notice_clear_days": 6`, 1),
			"fee schedule tcg-fees-reform: notice_clear_days 6 is below the 7 of SI 2013/1894 reg 6(1)"},
		"the statutory schedule's date": {strings.Replace(reform, `"2026-04-06"`, `"2014-04-06"`, 1),
			"fee schedule tcg-fees-reform: effective_from missing or shared with another schedule"},
		"the statutory schedule's id": {strings.Replace(reform, `"tcg-fees-reform"`, `"tcg-fees-2014"`, 1),
			`fee schedules: id "tcg-fees-2014" is empty or repeated`},
		"a negative fee": {strings.Replace(reform, `"fixed_pence": 7875`, `"fixed_pence": -1`, 1),
			"fee schedule tcg-fees-reform: the compliance fee is out of range"},
		"pounds, not pence": {strings.Replace(reform, `"fixed_pence": 7875`, `"fixed_pence": 78.75`, 1),
			"fee schedules: json: cannot unmarshal number 78.75 into Go struct field StageFee.compliance.fixed_pence of type int64"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := service.LoadSchedules(writeFile(t, "fees.json", tc.file))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err %v\nwant %s", err, tc.want)
			}
		})
	}
	if s, err := service.LoadSchedules(""); err != nil || !reflect.DeepEqual([]string{s[0].ID}, []string{"tcg-fees-2014"}) || len(s) != 1 {
		t.Fatalf("no file: %v %v", s, err)
	}
}

// paymentsOf are a case's payments by their amounts (each amount once in these tests).
func paymentsOf(c map[string]any) map[float64]map[string]any {
	out := map[float64]map[string]any{}
	for _, x := range c["payments"].([]any) {
		p := x.(map[string]any)
		out[p["amount_pence"].(float64)] = p
	}
	return out
}

// A visit recorded after a payment received since it charges the enforcement fee on the debt
// unpaid when the visit began the stage (reg 2(1)): GBP 3,000, so 235.00 + 112.50. The
// payment of 1,000.00 received at 11:00, recorded before the 09:30 visit was, is applied
// again with the fee it followed, and stored so: the compliance fee first, then 925.00 pro
// rata between the debt and the fee (reg 13(4)).
func TestAVisitRecordedAfterALaterPaymentChargesOnTheDebtThenUnpaid(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-V1", 300000)
	e.Clock.Set(time.Date(2026, 3, 16, 11, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 100000})
	e.Clock.Set(time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC))
	c := e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-16T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-V1"})
	wantFee := map[string]any{"stage": "enforcement", "schedule_id": "tcg-fees-2014", "sum_to_recover_pence": float64(300000), "fixed_pence": float64(23500),
		"percent_pence": float64(11250), "total_pence": float64(34750), "recoverable": true, "paid_pence": float64(9602)}
	p := paymentsOf(c)[100000]
	if !reflect.DeepEqual(c["fees"].([]any)[1], wantFee) || p["to_debt_pence"] != float64(82898) ||
		!reflect.DeepEqual(p["to_fees_pence"], map[string]any{"compliance": float64(7500), "enforcement": float64(9602)}) ||
		c["debt_outstanding_pence"] != float64(217102) || c["fees_outstanding_pence"] != float64(25148) {
		t.Fatalf("fees %v, payment %v, outstanding %v + %v", c["fees"], p, c["debt_outstanding_pence"], c["fees_outstanding_pence"])
	}
	var stored struct{ Debt, Compliance, Enforcement int64 }
	if err := e.DB.Get(&stored, `SELECT to_debt_pence AS debt, to_compliance_pence AS compliance, to_enforcement_pence AS enforcement
		FROM debt_payments WHERE id = $1`, p["id"]); err != nil || stored.Debt != 82898 || stored.Compliance != 7500 || stored.Enforcement != 9602 {
		t.Fatalf("stored allocation %+v %v", stored, err)
	}
}

// A payment is applied to what was owed when it was received (Fees Regulations 2014 reg 13),
// and the enforcement fee's 7.5% is of the debt unpaid when the stage began, however late the
// payment is recorded. 600.00 received on 5 March and recorded after the visit of 16 March
// paid the compliance fee and 525.00 of the debt, so the enforcement fee is on 1,475.00: GBP
// 235, nothing over GBP 1,500. A payment received after the visit but recorded before the
// backdated one is applied again after it, and its stored allocation with it. A payment that
// had paid everything before the visit leaves nothing to enforce: the enforcement fee is not
// recoverable and the case is paid.
func TestABackdatedPaymentIsAppliedToWhatWasOwedWhenReceived(t *testing.T) {
	e := newEnv(t)
	only := e.referOne("maidstone-council-tax", "CT-B1", 200000)
	earlier := e.referOne("maidstone-council-tax", "CT-B2", 200000)
	paid := e.referOne("maidstone-council-tax", "CT-B3", 100000)
	e.Clock.Set(time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC))
	for _, id := range []string{only, earlier, paid} {
		e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-16T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-B"})
	}
	e.Clock.Set(time.Date(2026, 3, 16, 11, 0, 0, 0, time.UTC))
	c := e.Must(200, "POST", "/cases/"+earlier+"/payments", e.officer(), map[string]any{"amount_pence": 10000})
	if p := paymentsOf(c)[10000]; p["to_debt_pence"] != float64(2200) || !reflect.DeepEqual(p["to_fees_pence"], map[string]any{"compliance": float64(7500), "enforcement": float64(300)}) {
		t.Fatalf("10,000 received after the visit: %v", p)
	}

	e.Clock.Set(time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC))
	backdated := map[string]any{"amount_pence": 60000, "received_at": "2026-03-05T10:00:00Z"}
	wantFee := map[string]any{"stage": "enforcement", "schedule_id": "tcg-fees-2014", "sum_to_recover_pence": float64(147500), "fixed_pence": float64(23500),
		"percent_pence": float64(0), "total_pence": float64(23500), "recoverable": true, "paid_pence": float64(0)}
	c = e.Must(200, "POST", "/cases/"+only+"/payments", e.officer(), backdated)
	p := paymentsOf(c)[60000]
	if p["to_debt_pence"] != float64(52500) || !reflect.DeepEqual(p["to_fees_pence"], map[string]any{"compliance": float64(7500)}) || p["refund_pence"] != float64(0) ||
		!reflect.DeepEqual(c["fees"].([]any)[1], wantFee) || c["fees_outstanding_pence"] != float64(23500) || c["debt_outstanding_pence"] != float64(147500) {
		t.Fatalf("600.00 received on 5 March: %v; fees %v, outstanding %v + %v", p, c["fees"], c["debt_outstanding_pence"], c["fees_outstanding_pence"])
	}
	entry := lastTrailEntry(e.Must(200, "GET", "/cases/"+only, e.officer(), nil))
	if want := map[string]any{"payment": p["id"], "source": "payment", "applied_as_received": true, "enforcement_fee_pence": float64(23500)}; !reflect.DeepEqual(entry["detail"], want) {
		t.Fatalf("audit entry %v", entry)
	}

	// The payment recorded first, received after the visit, now meets the fee of 235.00:
	// 10,000 pro rata between 1,475.00 of debt and 235.00 (reg 13(4)).
	c = e.Must(200, "POST", "/cases/"+earlier+"/payments", e.officer(), backdated)
	later := paymentsOf(c)[10000]
	wantFee["paid_pence"] = float64(1374)
	if p := paymentsOf(c)[60000]; p["to_debt_pence"] != float64(52500) || later["to_debt_pence"] != float64(8626) ||
		!reflect.DeepEqual(later["to_fees_pence"], map[string]any{"enforcement": float64(1374)}) ||
		!reflect.DeepEqual(c["fees"].([]any)[1], wantFee) || c["fees_outstanding_pence"] != float64(23500-1374) {
		t.Fatalf("applied again: %v and %v; fees %v", p, later, c["fees"])
	}
	var stored struct{ Debt, Compliance, Enforcement int64 }
	if err := e.DB.Get(&stored, `SELECT to_debt_pence AS debt, to_compliance_pence AS compliance, to_enforcement_pence AS enforcement
		FROM debt_payments WHERE id = $1`, later["id"]); err != nil || stored.Debt != 8626 || stored.Compliance != 0 || stored.Enforcement != 1374 {
		t.Fatalf("stored allocation %+v %v", stored, err)
	}

	// 1,075.00 received on 5 March paid the debt and the compliance fee before the visit.
	c = e.Must(200, "POST", "/cases/"+paid+"/payments", e.officer(), map[string]any{"amount_pence": 107500, "received_at": "2026-03-05T10:00:00Z"})
	fee := c["fees"].([]any)[1].(map[string]any)
	if c["status"] != "paid" || fee["recoverable"] != false || fee["sum_to_recover_pence"] != float64(0) || fee["paid_pence"] != float64(0) ||
		fee["not_recoverable"] != "the debt was paid by payments received before the stage began, so nothing was left to enforce" ||
		paymentsOf(c)[107500]["refund_pence"] != float64(0) || c["fees_outstanding_pence"] != float64(0) || c["debt_outstanding_pence"] != float64(0) {
		t.Fatalf("paid before the visit: status %v fee %v payments %v", c["status"], fee, c["payments"])
	}
	entry = lastTrailEntry(e.Must(200, "GET", "/cases/"+paid, e.officer(), nil))
	if d := entry["detail"].(map[string]any); d["applied_as_received"] != true || d["enforcement_fee_recoverable"] != false || d["returned"] != "paid" ||
		d["enforcement_fee_pence"] != nil {
		t.Fatalf("audit entry %v", entry)
	}
}
