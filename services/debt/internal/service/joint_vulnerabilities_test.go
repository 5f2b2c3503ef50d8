package service_test

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/testkit"
)

const (
	natureOfFirst  = "Sole carer for a parent with dementia"
	natureOfSecond = "Recovering from a stroke; cannot read letters"
)

// validationAt checks that r is a validation problem with one error, at pointer with detail.
func validationAt(t *testing.T, r testkit.Response, pointer, detail string) {
	t.Helper()
	p := problemOf(t, r, 400, "validation")
	errs, _ := p["errors"].([]any)
	if len(errs) != 1 || !reflect.DeepEqual(errs[0], map[string]any{"pointer": pointer, "detail": detail}) {
		t.Fatalf("errors %v, want one at %s: %s", p["errors"], pointer, detail)
	}
}

// On a case of joint debtors each keeps their own vulnerability: flagging the second debtor
// adds theirs beside the first's, whose flag, review and nature stay. Enforcement is held
// until every one is reviewed, a review names whose it is when more than one awaits it, the
// welfare team is given one vulnerable debtor's data, each debtor's subject access answer
// carries their own vulnerability alone, and erasing one debtor takes theirs and leaves the
// other's whole.
func TestJointDebtorsEachKeepTheirOwnVulnerability(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.welfare-team.debt.>")
	_, joint, _ := e.referRightsCases() // debtors "Sam Spouse" and "dora  debtor"
	c, ref := "/cases/"+joint, e.reference(joint)

	e.Must(200, "POST", c+"/vulnerability", e.officer(), map[string]any{"nature": natureOfFirst, "debtor": 1})
	e.Clock.Set(start.Add(time.Hour))
	got := e.Must(200, "POST", c+"/vulnerability", e.officer(), map[string]any{"nature": natureOfSecond, "debtor": 2})
	first := map[string]any{"debtor": float64(1), "flagged_at": "2026-03-02T10:00:00Z", "acute": false, "pending_review": true,
		"advice_opportunity_given": false, "nature": natureOfFirst}
	second := map[string]any{"debtor": float64(2), "flagged_at": "2026-03-02T11:00:00Z", "acute": false, "pending_review": true,
		"advice_opportunity_given": false, "nature": natureOfSecond}
	latest := map[string]any{"debtor": float64(2), "flagged_at": "2026-03-02T11:00:00Z", "acute": false, "pending_review": true,
		"advice_opportunity_given": false}
	for what, view := range map[string]map[string]any{"the flag's answer": got, "GET": e.Must(200, "GET", c, e.officer(), nil)} {
		if !reflect.DeepEqual(view["vulnerabilities"], []any{first, second}) {
			t.Fatalf("%s: vulnerabilities\n got %v\nwant %v", what, view["vulnerabilities"], []any{first, second})
		}
		// The single vulnerability of before is the most recently flagged, its nature with it.
		if !reflect.DeepEqual(view["vulnerability"], latest) || view["debtor"].(map[string]any)["vulnerability_nature"] != natureOfSecond {
			t.Fatalf("%s: vulnerability %v, nature %v", what, view["vulnerability"], view["debtor"].(map[string]any)["vulnerability_nature"])
		}
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id = $1 AND vulnerability_natures =
		jsonb_build_array(jsonb_build_object('debtor', 1, 'nature', $2::text), jsonb_build_object('debtor', 2, 'nature', $3::text))`,
		joint, natureOfFirst, natureOfSecond); n != 1 {
		t.Fatal("each debtor's vulnerability and nature were not stored")
	}
	if n := e.Count(`SELECT jsonb_array_length(vulnerabilities) FROM debt_cases WHERE id = $1`, joint); n != 2 {
		t.Fatalf("%d flags stored, want 2", n)
	}

	// Two await review: a review must name whose it is, and one naming nothing refused changes nothing.
	before := e.snapshot()
	validationAt(t, e.Call("POST", c+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": true, "continue_enforcement": true}),
		"/debtor", "name the debtor whose vulnerability is reviewed: the vulnerabilities of debtors 1 and 2 await review")
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused review changed the database")
	}
	e.Clock.Set(start.Add(2 * time.Hour))
	got = e.Must(200, "POST", c+"/vulnerability/review", e.officer(), map[string]any{"debtor": 1, "advice_opportunity_given": true, "continue_enforcement": true})
	first["pending_review"], first["advice_opportunity_given"] = false, true
	if !reflect.DeepEqual(got["vulnerabilities"], []any{first, second}) || !reflect.DeepEqual(got["vulnerability"], latest) || got["status"] != "compliance" {
		t.Fatalf("after debtor 1's review: %v %v %v", got["vulnerabilities"], got["vulnerability"], got["status"])
	}
	for _, debtor := range []int{1, 3} {
		p := problemOf(t, e.Call("POST", c+"/vulnerability/review", e.officer(), map[string]any{"debtor": debtor, "advice_opportunity_given": true,
			"continue_enforcement": true}), 409, "conflict")
		if want := ref + " has no vulnerability of debtor " + string(rune('0'+debtor)) + " awaiting review"; p["rule"] != "no_review_pending" || p["detail"] != want {
			t.Fatalf("review of debtor %d: %v", debtor, p)
		}
	}

	// Debtor 2's still awaits review: enforcement is held.
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	held := problemOf(t, e.Call("POST", c+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-JV"}), 409, "conflict")
	if held["rule"] != "vulnerability_review_pending" {
		t.Fatalf("a visit while debtor 2's awaits review: %v", held)
	}
	list := e.Must(200, "GET", "/cases?status=compliance", e.officer(), nil)["items"].([]any)
	for _, x := range list {
		if s := x.(map[string]any); s["id"] == joint && s["vulnerability_hold"] != true {
			t.Fatalf("the list: %v", s)
		}
	}

	// The welfare team is given one vulnerable debtor's data: which, when two are, must be said.
	necessity := "Debtor told the agent they cannot read the letters we send."
	validationAt(t, e.Call("POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": necessity}),
		"/debtor", "name the debtor whose data the welfare team is given: debtors 1 and 2 have a vulnerability recorded")
	validationAt(t, e.Call("POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "courts", "purpose": "court_proceedings", "debtor": 2}),
		"/debtor", "names whose data the council's welfare team is given, and is for the welfare team only")
	e.Must(201, "POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": necessity, "debtor": 2})
	data := testkit.Decode(t, share.WaitFor(t, 1)[0])["data"].(map[string]any)
	if !reflect.DeepEqual(data["debtor_names"], []any{"dora  debtor"}) || data["vulnerability_nature"] != natureOfSecond {
		t.Fatalf("the welfare team received %v", data)
	}

	// Each debtor's answer carries their own vulnerability and nature, never the other's,
	// and does not say one was left out.
	for _, tc := range []struct {
		record, nature, other string // other: a word of the other debtor's nature
		vulnerability         map[string]any
		findings              int
	}{
		{joint + "/debtor-1", natureOfFirst, "stroke", map[string]any{"flagged_on": "2026-03-02", "acute": false, "pending_review": false,
			"reviewed_on": "2026-03-02", "advice_opportunity_given": true}, 0},
		{joint + "/debtor-2", natureOfSecond, "dementia", map[string]any{"flagged_on": "2026-03-02", "acute": false, "pending_review": true}, 1},
	} {
		rec := e.exportOf(tc.record)
		if !reflect.DeepEqual(rec.Held["vulnerability"], tc.vulnerability) || rec.Held["vulnerability_nature"] != tc.nature {
			t.Errorf("%s: vulnerability %v nature %v", tc.record, rec.Held["vulnerability"], rec.Held["vulnerability_nature"])
		}
		if findings, _ := rec.Held["welfare_necessity_findings"].([]any); len(findings) != tc.findings {
			t.Errorf("%s: findings %v", tc.record, rec.Held["welfare_necessity_findings"])
		}
		if !reflect.DeepEqual(rec.Redactions, []string{"the names of the other debtors on the case: other people's personal data"}) {
			t.Errorf("%s: redactions %v", tc.record, rec.Redactions)
		}
		if raw := string(mustJSON(t, rec)); strings.Contains(raw, tc.other) {
			t.Errorf("%s is told of the other debtor's vulnerability: %s", tc.record, raw)
		}
	}

	// The client council is told nothing more of either.
	client := e.Call("GET", c, e.client("maidstone-council-tax"), nil)
	if client.Status != 200 || strings.Contains(string(client.Body), "vulnerab") || strings.Contains(string(client.Body), "dementia") ||
		strings.Contains(string(client.Body), "stroke") {
		t.Fatalf("the client's view: %d %s", client.Status, client.Body)
	}

	// Paid, and past its retention, the second debtor asks for erasure: their vulnerability,
	// nature and the finding about them go; the first debtor's stay as they were.
	e.Must(200, "POST", c+"/payments", e.officer(), map[string]any{"amount_pence": 57500})
	e.Clock.Set(time.Date(2033, 6, 1, 9, 0, 0, 0, time.UTC))
	out := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-jv", RecordIDs: []string{joint + "/debtor-2"}}).Outcomes
	if len(out) != 1 || !out[0].Done || out[0].Refusal != nil {
		t.Fatalf("erase of the second debtor: %+v", out)
	}
	staff := e.Must(200, "GET", c, e.manager(), nil)
	kept := map[string]any{"debtor": float64(1), "flagged_at": "2026-03-02T10:00:00Z", "acute": false, "pending_review": false,
		"advice_opportunity_given": true}
	if !reflect.DeepEqual(staff["vulnerabilities"], []any{first}) || !reflect.DeepEqual(staff["vulnerability"], kept) ||
		staff["debtor"].(map[string]any)["vulnerability_nature"] != natureOfFirst ||
		!reflect.DeepEqual(staff["debtor"].(map[string]any)["names"], []any{"Sam Spouse", ""}) {
		t.Fatalf("after the second debtor's erasure: %v %v %v", staff["vulnerabilities"], staff["vulnerability"], staff["debtor"])
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id = $1 AND vulnerability_natures =
		jsonb_build_array(jsonb_build_object('debtor', 1, 'nature', $2::text))`, joint, natureOfFirst); n != 1 {
		t.Error("the first debtor's vulnerability is not held as it was, or the second's still is")
	}
	if n := e.Count(`SELECT count(*) FROM debt_necessity_findings WHERE case_id = $1`, joint); n != 0 {
		t.Errorf("%d findings about the erased debtor are still held", n)
	}
	rec := e.exportOf(joint + "/debtor-1")
	if !reflect.DeepEqual(rec.Held["vulnerability"], map[string]any{"flagged_on": "2026-03-02", "acute": false, "pending_review": false,
		"reviewed_on": "2026-03-02", "advice_opportunity_given": true}) || rec.Held["vulnerability_nature"] != natureOfFirst {
		t.Errorf("the first debtor's answer after the other's erasure: %+v", rec.Held)
	}
	// Neither nature is on an event, in the audit trail or a log.
	e.noPersonalValueOutsideTheCase(t, nil, natureOfFirst, natureOfSecond, "dementia", "stroke")
}

// Each joint debtor's vulnerability is reviewed on its own: enforcement waits for the last
// review; a review that found no advice opportunity makes the enforcement fee not
// recoverable (reg 12) whichever debtor's it was; flagged again, a debtor's vulnerability is
// replaced and held again while the other's review stands; an acute flag returns the case.
// The managers' status events say enforcement resumed only once no review is pending.
func TestEachJointDebtorsVulnerabilityIsReviewedOnItsOwn(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	_, joint, _ := e.referRightsCases()
	c := "/cases/" + joint
	e.Must(200, "POST", c+"/vulnerability", e.officer(), map[string]any{"nature": natureOfFirst, "debtor": 1})
	e.Must(200, "POST", c+"/vulnerability", e.agent(), map[string]any{"nature": natureOfSecond, "debtor": 2})
	e.Must(200, "POST", c+"/vulnerability/review", e.officer(), map[string]any{"debtor": 2, "advice_opportunity_given": false, "continue_enforcement": true})

	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	visit := map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-JR"}
	if p := problemOf(t, e.Call("POST", c+"/visits", e.agent(), visit), 409, "conflict"); p["rule"] != "vulnerability_review_pending" {
		t.Fatalf("a visit while debtor 1's awaits review: %v", p)
	}
	// Flagged again, debtor 1's is replaced: its nature and flag are new, the other's review stays.
	again := "Sole carer; now in hospital herself"
	got := e.Must(200, "POST", c+"/vulnerability", e.officer(), map[string]any{"nature": again, "debtor": 1})
	first := map[string]any{"debtor": float64(1), "flagged_at": "2026-03-12T10:00:00Z", "acute": false, "pending_review": true,
		"advice_opportunity_given": false, "nature": again}
	second := map[string]any{"debtor": float64(2), "flagged_at": "2026-03-02T10:00:00Z", "acute": false, "pending_review": false,
		"advice_opportunity_given": false, "nature": natureOfSecond}
	if !reflect.DeepEqual(got["vulnerabilities"], []any{first, second}) || got["vulnerability"].(map[string]any)["debtor"] != float64(1) ||
		got["debtor"].(map[string]any)["vulnerability_nature"] != again {
		t.Fatalf("flagged again: %v %v", got["vulnerabilities"], got["vulnerability"])
	}
	// With one awaiting review, the review need not say whose, as before.
	got = e.Must(200, "POST", c+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": true, "continue_enforcement": true})
	first["pending_review"], first["advice_opportunity_given"] = false, true
	if !reflect.DeepEqual(got["vulnerabilities"], []any{first, second}) {
		t.Fatalf("reviewed: %v", got["vulnerabilities"])
	}
	var detail string
	if err := e.DB.Get(&detail, `SELECT detail::text FROM audit_log WHERE chain = $1 AND action = 'case.vulnerability.reviewed' ORDER BY seq DESC LIMIT 1`,
		"debt_case:"+joint); err != nil {
		t.Fatal(err)
	}
	if detail != `{"debtor": 1, "continue": true, "advice_opportunity": true}` {
		t.Errorf("the review's audit detail: %s", detail)
	}
	got = e.Must(200, "POST", c+"/visits", e.agent(), visit)
	reg12 := "the debtor is vulnerable and was not given an adequate opportunity to get assistance and advice (Fees Regulations 2014 reg 12)"
	if enf := got["fees"].([]any)[1].(map[string]any); enf["stage"] != "enforcement" || enf["recoverable"] != false || enf["not_recoverable"] != reg12 {
		t.Fatalf("the enforcement fee after debtor 2's review without advice: %v", enf)
	}
	// An acute flag returns the case; the other debtor's vulnerability stays as it was.
	got = e.Must(200, "POST", c+"/vulnerability", e.officer(), map[string]any{"nature": natureOfSecond, "debtor": 2, "acute": true})
	second = map[string]any{"debtor": float64(2), "flagged_at": "2026-03-12T10:00:00Z", "acute": true, "pending_review": true,
		"advice_opportunity_given": false, "nature": natureOfSecond}
	if got["status"] != "returned" || got["returned"].(map[string]any)["reason"] != "vulnerable" || !reflect.DeepEqual(got["vulnerabilities"], []any{first, second}) {
		t.Fatalf("acute: %v %v %v", got["status"], got["returned"], got["vulnerabilities"])
	}
	var changes []string
	for _, m := range status.WaitFor(t, 3+7) {
		if s := testkit.Decode(t, m); s["case_id"] == joint {
			changes = append(changes, s["change"].(string))
		}
	}
	want := []string{"case.referred", "enforcement.held", "enforcement.held", "enforcement.held", "enforcement.held", "enforcement.resumed",
		"visit.recorded", "case.returned"}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("status changes\n got %v\nwant %v", changes, want)
	}
}

// Migration 00007 carries each case's one vulnerability forward as its only one, with its
// debtor (null, not known, stays so) and nature; its Down puts them back where they were,
// and refuses while a case holds more than one, rather than lose a debtor's.
func TestTheVulnerabilityMigrationCarriesEveryCaseForward(t *testing.T) {
	e := newEnv(t)
	single, joint, none := e.referRightsCases()
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", "client_reference,order_date,order_reference,debtor_name,second_debtor_name,address,amount_pence\n"+
		"CT-MJ,2026-01-10,LO-MJ,Ann Able,Ben Bond,1 Mill Lane,50000\n", "")
	legacy := r.JSON(t)["rows"].([]any)[0].(map[string]any)["case_id"].(string)
	e.Must(200, "POST", "/cases/"+single+"/vulnerability", e.officer(), map[string]any{"nature": natureOfFirst})
	e.Must(200, "POST", "/cases/"+single+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": false, "continue_enforcement": true})
	e.Must(200, "POST", "/cases/"+joint+"/vulnerability", e.officer(), map[string]any{"nature": natureOfFirst, "debtor": 1})
	e.Must(200, "POST", "/cases/"+joint+"/vulnerability", e.officer(), map[string]any{"nature": natureOfSecond, "debtor": 2})
	e.Must(200, "POST", "/cases/"+legacy+"/vulnerability", e.officer(), map[string]any{"nature": natureOfSecond, "debtor": 2, "acute": true})
	raw, err := fs.ReadFile(migrations.Debt(), "00007_vulnerability_per_debtor.sql")
	if err != nil {
		t.Fatal(err)
	}
	up, down, ok := strings.Cut(string(raw), "-- +goose Down")
	if !ok {
		t.Fatal("no Down section")
	}

	before := e.snapshot()
	if _, err := e.DB.Exec(down); err == nil || !strings.Contains(err.Error(), "more than one debtor's vulnerability") {
		t.Fatalf("down with two debtors' vulnerabilities on a case: %v", err)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("the refused down migration changed the database")
	}
	// The joint case keeps the second debtor's only, so it can go down.
	e.Must(200, "POST", "/cases/"+joint+"/vulnerability/review", e.officer(), map[string]any{"debtor": 1, "advice_opportunity_given": true, "continue_enforcement": true})
	if _, err := e.DB.Exec(`UPDATE debt_cases SET vulnerabilities = vulnerabilities - 0 WHERE id = $1`, joint); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(`UPDATE debt_personal_data SET vulnerability_natures = vulnerability_natures - 0 WHERE case_id = $1`, joint); err != nil {
		t.Fatal(err)
	}
	views := map[string]map[string]any{}
	for _, id := range []string{single, joint, legacy, none} {
		views[id] = e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
		delete(views[id], "history")
	}
	if _, err := e.DB.Exec(down); err != nil {
		t.Fatal(err)
	}
	var old []struct {
		ID         string  `db:"id"`
		Flag       *string `db:"flag"`
		Nature     string  `db:"vulnerability_nature"`
		Debtor     *int    `db:"vulnerable_debtor"`
		ReviewedBy *string `db:"reviewed_by"`
	}
	if err := e.DB.Select(&old, `SELECT c.id, c.vulnerability->>'flagged_by' AS flag, c.vulnerability->>'reviewed_by' AS reviewed_by,
		p.vulnerability_nature, p.vulnerable_debtor FROM debt_cases c JOIN debt_personal_data p ON p.case_id = c.id`); err != nil {
		t.Fatal(err)
	}
	for _, o := range old {
		var want string
		switch o.ID {
		case single:
			want = "olive olive " + natureOfFirst + " 1"
		case joint:
			want = "olive <nil> " + natureOfSecond + " 2"
		case legacy:
			want = "olive <nil> " + natureOfSecond + " 2"
		case none:
			want = "<nil> <nil>  <nil>"
		}
		if got := strings.Join([]string{deref(o.Flag), deref(o.ReviewedBy), o.Nature, derefInt(o.Debtor)}, " "); got != want {
			t.Errorf("case %s after down: %q, want %q", o.ID, got, want)
		}
	}
	// A vulnerability recorded on a joint case before it had to name its debtor.
	if _, err := e.DB.Exec(`UPDATE debt_personal_data SET vulnerable_debtor = NULL WHERE case_id = $1`, legacy); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(up); err != nil {
		t.Fatal(err)
	}
	delete(views[legacy]["vulnerability"].(map[string]any), "debtor")
	delete(views[legacy]["vulnerabilities"].([]any)[0].(map[string]any), "debtor")
	for _, id := range []string{single, joint, legacy, none} {
		got := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
		delete(got, "history")
		if !reflect.DeepEqual(got, views[id]) {
			t.Errorf("case %s after the migration\n got %v\nwant %v", id, got, views[id])
		}
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id = $1 AND vulnerability_natures = jsonb_build_array(jsonb_build_object('debtor', null, 'nature', $2::text))`,
		legacy, natureOfSecond); n != 1 {
		t.Error("the vulnerability whose debtor is not known was not carried forward as such")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func derefInt(n *int) string {
	if n == nil {
		return "<nil>"
	}
	return string(rune('0' + *n))
}
