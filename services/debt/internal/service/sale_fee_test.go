package service_test

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"casework.dev/contracts/rights"
)

// The sale fee is charged when the sale stage begins: on the agent's first attendance to
// remove the goods for sale or to prepare them for sale where they are (Fees Regulations
// 2014 Schedule 1), never on the notice of sale. Goods under a controlled goods agreement
// that are never attended for removal bear no sale fee. The fee is GBP 110 plus 7.5% of the
// debt then unpaid over GBP 1,500, once.
func TestSaleFeeIsChargedOnTheRemovalAttendanceNotTheNoticeOfSale(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-S1", 250000)
	other := e.referOne("maidstone-council-tax", "CT-S2", 250000)
	c := "/cases/" + id
	var agent string
	attend := func(at, purpose string) map[string]any {
		return map[string]any{"at": at, "purpose": purpose, "body_worn_video": "BWV-S1"}
	}
	// Before control of goods is taken there is nothing to remove.
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	agent = e.agent()
	p := problemOf(t, e.Call("POST", c+"/removal-attendance", agent, attend("2026-03-12T09:00:00Z", "remove_for_sale")), 409, "illegal-transition")
	if !reflect.DeepEqual(p["allowed_actions"], []any{"record_visit", "record_payment"}) {
		t.Fatalf("attendance before control: %v", p)
	}
	e.Must(200, "POST", c+"/visits", agent, map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-S0"})
	e.Must(200, "POST", "/cases/"+other+"/visits", agent, map[string]any{"at": "2026-03-12T09:40:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-S2"})

	// The notice of sale charges nothing and leaves the case at the enforcement stage.
	got := e.Must(200, "POST", c+"/notice-of-sale", agent, nil)
	if len(got["fees"].([]any)) != 2 || got["stage"] != "enforcement" || got["status"] != "enforcement" ||
		got["fees_outstanding_pence"] != float64(7500+23500+7500) || got["earliest_sale_date"] != "2026-03-20" { // 7 clear days, 13 to 19 March, the Sunday counted (reg 37(1))
		t.Fatalf("after the notice of sale: stage %v fees %v outstanding %v earliest %v", got["stage"], got["fees"], got["fees_outstanding_pence"], got["earliest_sale_date"])
	}
	// No sale without the attendance that begins the sale stage.
	e.Clock.Set(time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC))
	agent = e.agent()
	p = problemOf(t, e.Call("POST", c+"/sale", agent, map[string]any{"proceeds_pence": 5000, "sold_at": "2026-03-30T09:00:00Z"}), 409, "illegal-transition")
	if !reflect.DeepEqual(p["allowed_actions"], []any{"record_removal_attendance", "record_payment"}) || p["case_status"] != "enforcement" {
		t.Fatalf("sale before the attendance: %v", p)
	}
	before := e.snapshot()
	p = problemOf(t, e.Call("POST", c+"/removal-attendance", agent, attend("2026-03-30T09:00:00Z", "look_around")), 400, "validation")
	if got := pointersOf(p); !reflect.DeepEqual(got, []string{"/purpose"}) {
		t.Fatalf("bad purpose: %v", got)
	}
	p = problemOf(t, e.Call("POST", c+"/removal-attendance", agent, attend("2026-03-12T09:00:00Z", "remove_for_sale")), 400, "validation")
	if got := pointersOf(p); !reflect.DeepEqual(got, []string{"/at"}) {
		t.Fatalf("attendance before control was taken: %v", got)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused attendance changed the database")
	}

	// The first attendance to remove the goods begins the sale stage and charges its fee.
	got = e.Must(200, "POST", c+"/removal-attendance", agent, attend("2026-03-30T09:00:00Z", "remove_for_sale"))
	fees := got["fees"].([]any)
	wantSale := map[string]any{"stage": "sale", "schedule_id": fees[1].(map[string]any)["schedule_id"], "sum_to_recover_pence": float64(250000),
		"fixed_pence": float64(11000), "percent_pence": float64(7500), "total_pence": float64(18500), "recoverable": true, "paid_pence": float64(0)}
	if len(fees) != 3 || !reflect.DeepEqual(fees[2], wantSale) || got["stage"] != "sale" || got["status"] != "sale" ||
		got["fees_outstanding_pence"] != float64(7500+31000+18500) {
		t.Fatalf("after the attendance: stage %v fees %v outstanding %v", got["stage"], fees, got["fees_outstanding_pence"])
	}
	visits := got["visits"].([]any)
	if last := visits[len(visits)-1].(map[string]any); len(visits) != 2 || last["outcome"] != "removal_attendance" || last["purpose"] != "remove_for_sale" || last["agent"] != "arthur" {
		t.Fatalf("visits %v", visits)
	}
	// A second attendance charges nothing more.
	got = e.Must(200, "POST", c+"/removal-attendance", agent, attend("2026-03-30T09:30:00Z", "prepare_for_sale"))
	if len(got["fees"].([]any)) != 3 {
		t.Fatalf("second attendance fees %v", got["fees"])
	}
	e.Must(200, "POST", c+"/sale", agent, map[string]any{"proceeds_pence": 5000, "sold_at": "2026-03-30T10:00:00Z"})

	// Goods left under a controlled goods agreement: a notice of sale, and still no sale fee.
	got = e.Must(200, "POST", "/cases/"+other+"/notice-of-sale", agent, nil)
	for _, f := range got["fees"].([]any) {
		if f.(map[string]any)["stage"] == "sale" {
			t.Fatalf("a sale fee on goods never attended for removal: %v", got["fees"])
		}
	}
	// A second notice of sale is refused.
	p = problemOf(t, e.Call("POST", "/cases/"+other+"/notice-of-sale", agent, nil), 409, "illegal-transition")
	if !reflect.DeepEqual(p["allowed_actions"], []any{"record_removal_attendance", "record_sale", "record_payment"}) {
		t.Fatalf("second notice of sale: %v", p)
	}
}

// An attendance to remove goods for sale is an agent at the premises as a visit is: at
// 03:00 it is refused as a visit at 03:00 is (409, rule visiting_hours) and changes
// nothing, unless a reg 13(2) exception is recorded. The sale fee it charges is dated at
// the attendance, not when the agent recorded it, as the enforcement fee is dated at the
// visit.
func TestARemovalAttendanceKeepsToTheVisitingHoursAndDatesTheSaleFee(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-S3", 250000)
	other := e.referOne("maidstone-council-tax", "CT-S4", 250000)
	e.Clock.Set(time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC))
	agent := e.agent()
	for _, c := range []string{id, other} { // visited on the 12th, recorded on the 13th
		e.Must(200, "POST", "/cases/"+c+"/visits", agent, map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-S3"})
		e.Must(200, "POST", "/cases/"+c+"/notice-of-sale", agent, nil)
	}
	e.Clock.Set(time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC))
	agent = e.agent()
	attend := map[string]any{"at": "2026-03-28T03:00:00Z", "purpose": "remove_for_sale", "body_worn_video": "BWV-S5"}

	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/removal-attendance", agent, attend), 409, "conflict")
	if p["rule"] != "visiting_hours" ||
		p["detail"] != "a removal attendance at 03:00:00 (Europe/London) is outside 06:00-21:00; record the exception that applies (SI 2013/1894 reg 13)" {
		t.Fatalf("a removal attendance at 03:00: %v", p)
	}
	attend["exception"] = "at_night"
	if got := pointersOf(problemOf(t, e.Call("POST", "/cases/"+id+"/removal-attendance", agent, attend), 400, "validation")); !reflect.DeepEqual(got, []string{"/exception"}) {
		t.Fatalf("an exception the regulations do not know: %v", got)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused attendance changed the database")
	}

	// Under a court order (reg 13(2)(a)) it goes ahead, recorded with the exception.
	attend["exception"] = "court_order"
	got := e.Must(200, "POST", "/cases/"+id+"/removal-attendance", agent, attend)
	visits := got["visits"].([]any)
	if last := visits[len(visits)-1].(map[string]any); got["stage"] != "sale" || last["outcome"] != "removal_attendance" || last["exception"] != "court_order" {
		t.Fatalf("attendance under a court order: stage %v visit %v", got["stage"], last)
	}
	// In hours on Saturday 28 March, recorded on Monday 30: the sale fee is dated Saturday.
	e.Must(200, "POST", "/cases/"+other+"/removal-attendance", agent, map[string]any{"at": "2026-03-28T19:00:00Z", "purpose": "prepare_for_sale", "body_worn_video": "BWV-S6"})
	var charged []string
	if err := e.DB.Select(&charged, `SELECT f->>'charged_at' FROM debt_cases, jsonb_array_elements(fees) f WHERE id = $1`, other); err != nil {
		t.Fatal(err)
	}
	if want := []string{"2026-03-02T10:00:00Z", "2026-03-12T09:30:00Z", "2026-03-28T19:00:00Z"}; !reflect.DeepEqual(charged, want) {
		t.Fatalf("fees charged at %v, want %v (compliance at the referral, enforcement at the visit, sale at the attendance)", charged, want)
	}
	exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-s", RecordIDs: []string{other}}).Records
	var on []any
	for _, f := range exported[0].Held["fees"].([]any) {
		on = append(on, f.(map[string]any)["charged_on"])
	}
	if want := []any{"2026-03-02", "2026-03-12", "2026-03-28"}; !reflect.DeepEqual(on, want) {
		t.Fatalf("the debtor is told the fees were charged on %v, want %v", on, want)
	}
}

// The sale is enforcement, held as every step before it is: while a debtor's vulnerability
// awaits review, and while an instalment arrangement is being kept, the sale of goods
// already removed is refused (409 with the hold's rule) and changes nothing; once the hold
// ends it goes through.
func TestTheSaleIsHeldAsEveryEnforcementStepIs(t *testing.T) {
	e := newEnv(t)
	vulnerable := e.referOne("maidstone-council-tax", "CT-H1", 100000)
	arranged := e.referOne("maidstone-council-tax", "CT-H2", 100000)
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	agent := e.agent()
	for i, id := range []string{vulnerable, arranged} {
		e.Must(200, "POST", "/cases/"+id+"/visits", agent, map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-H" + strconv.Itoa(i)})
		e.Must(200, "POST", "/cases/"+id+"/notice-of-sale", agent, nil)
		e.Must(200, "POST", "/cases/"+id+"/removal-attendance", agent, map[string]any{"at": "2026-03-12T09:45:00Z", "purpose": "remove_for_sale", "body_worn_video": "BWV-R" + strconv.Itoa(i)})
	}
	e.Must(200, "POST", "/cases/"+vulnerable+"/vulnerability", agent, map[string]any{"nature": nature})
	c := e.Must(200, "POST", "/cases/"+arranged+"/arrangement", e.officer(), map[string]any{"first_due": "2026-04-01", "amount_pence": 50000, "count": 3, "frequency": "monthly"})
	if c["fees_outstanding_pence"] != float64(7500+23500+11000) {
		t.Fatalf("outstanding %v", c["fees_outstanding_pence"])
	}

	e.Clock.Set(time.Date(2026, 3, 21, 10, 0, 0, 0, time.UTC)) // past the earliest sale, 20 March
	agent = e.agent()
	sale := map[string]any{"proceeds_pence": 50000, "sold_at": "2026-03-21T09:00:00Z"}
	for id, want := range map[string]struct{ rule, detail string }{
		vulnerable: {"vulnerability_review_pending", " is held: an officer must review the debtor's vulnerability before enforcement goes on"},
		arranged:   {"arrangement_in_place", " has an instalment arrangement that is being kept"},
	} {
		ref := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)["reference"].(string)
		before := e.snapshot()
		p := problemOf(t, e.Call("POST", "/cases/"+id+"/sale", agent, sale), 409, "conflict")
		if p["rule"] != want.rule || p["detail"] != ref+want.detail {
			t.Errorf("sale held by %s: %v", want.rule, p)
		}
		if after := e.snapshot(); !reflect.DeepEqual(after, before) {
			t.Errorf("the sale held by %s changed the database", want.rule)
		}
	}

	e.Must(200, "POST", "/cases/"+vulnerable+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": true, "continue_enforcement": true})
	c = e.Must(200, "POST", "/cases/"+vulnerable+"/sale", agent, sale)
	if p := c["payments"].([]any); len(p) != 1 || p[0].(map[string]any)["source"] != "sale" || c["earliest_sale_date"] != "2026-03-20" {
		t.Fatalf("the sale once reviewed: %v", c["payments"])
	}
}
