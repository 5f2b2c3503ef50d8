package service_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// exportOf is one record's subject access answer.
func (e *env) exportOf(record string) rights.Record {
	e.T.Helper()
	recs := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-j", RecordIDs: []string{record}}).Records
	if len(recs) != 1 {
		e.T.Fatalf("export of %s: %+v", record, recs)
	}
	return recs[0]
}

// A vulnerability on a case of joint debtors names the debtor it concerns, and only that
// debtor's subject access answer carries it: the flag and its review, its nature, the fee
// it made not recoverable (reg 12) and the finding that the welfare team needed their data.
// The other debtor's answer has none of it, and does not say something was withheld. The
// referral to the welfare team carries the vulnerable debtor's name only.
func TestJointDebtorsAreEachToldOfTheirOwnVulnerabilityOnly(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.welfare-team.debt.>")
	_, joint, _ := e.referRightsCases() // debtors "Sam Spouse" and "dora  debtor"
	c := "/cases/" + joint
	secret := "Recently bereaved; receiving treatment for depression"

	// A joint case must be told whose it is.
	before := e.snapshot()
	for _, tc := range []struct {
		body   map[string]any
		detail string
	}{
		{map[string]any{"nature": secret}, "name the debtor the vulnerability concerns: their position in the case's names, 1 to 2"},
		{map[string]any{"nature": secret, "debtor": 3}, "the case names no debtor 3"},
	} {
		p := problemOf(t, e.Call("POST", c+"/vulnerability", e.officer(), tc.body), 400, "validation")
		if errs := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["pointer"] != "/debtor" || errs[0].(map[string]any)["detail"] != tc.detail {
			t.Fatalf("flag %v: %v", tc.body, p)
		}
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused flag changed the database")
	}
	flagged := e.Must(200, "POST", c+"/vulnerability", e.officer(), map[string]any{"nature": secret, "debtor": 2})
	if v := flagged["vulnerability"].(map[string]any); v["debtor"] != float64(2) || v["pending_review"] != true {
		t.Fatalf("staff's view of the flag: %v", v)
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id = $1
		AND vulnerability_natures = jsonb_build_array(jsonb_build_object('debtor', 2, 'nature', $2::text))`, joint, secret); n != 1 {
		t.Fatal("whose the vulnerability is was not stored")
	}

	// The welfare team is given the vulnerable debtor's name, not the other's.
	reason := "Debtor said at the door they cannot cope; welfare team to call within two days."
	e.Must(201, "POST", c+"/disclosures", e.officer(), map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": reason})
	data := testkit.Decode(t, share.WaitFor(t, 1)[0])["data"].(map[string]any)
	if !reflect.DeepEqual(data["debtor_names"], []any{"dora  debtor"}) || data["vulnerability_nature"] != secret {
		t.Fatalf("the welfare team received %v", data)
	}

	// An enforcement visit after a review that found no advice opportunity: the
	// enforcement fee is not recoverable (reg 12), which says a debtor is vulnerable.
	e.Must(200, "POST", c+"/vulnerability/review", e.officer(), map[string]any{"advice_opportunity_given": false, "continue_enforcement": true})
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", c+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-J1"})

	vulnerable, other := e.exportOf(joint+"/debtor-2"), e.exportOf(joint+"/debtor-1")
	held := vulnerable.Held
	if held["vulnerability_nature"] != secret || held["vulnerability"] == nil || len(held["fees"].([]any)) != 2 ||
		len(held["welfare_necessity_findings"].([]any)) != 1 || !reflect.DeepEqual(held["debtor_names"], []any{"dora  debtor"}) {
		t.Errorf("the vulnerable debtor's own answer: %+v", held)
	}
	held = other.Held
	if _, has := held["vulnerability"]; has || held["vulnerability_nature"] != "" || held["reported_vulnerability"] != "" {
		t.Errorf("the other debtor is told of the vulnerability: %+v", held)
	}
	if _, has := held["welfare_necessity_findings"]; has {
		t.Errorf("the other debtor is told of the welfare referral: %+v", held["welfare_necessity_findings"])
	}
	wantFees := []any{map[string]any{"stage": "compliance", "charged_on": "2026-03-02", "sum_to_recover_pence": float64(50000), "fixed_pence": float64(7500),
		"percent_pence": float64(0), "total_pence": float64(7500), "paid_pence": float64(0), "recoverable": true}}
	if !reflect.DeepEqual(held["fees"], wantFees) {
		t.Errorf("the other debtor's fees\n got %v\nwant %v", held["fees"], wantFees)
	}
	if !reflect.DeepEqual(held["debtor_names"], []any{"Sam Spouse"}) ||
		!reflect.DeepEqual(other.Redactions, []string{"the names of the other debtors on the case: other people's personal data"}) {
		t.Errorf("the other debtor's answer: %+v", other)
	}
	// Nor does its disclosure log list the referral to the welfare team: that is the
	// vulnerable debtor's, whose answer lists it, as the log the staff read still does.
	if len(vulnerable.Disclosures) != 1 || vulnerable.Disclosures[0].Recipient != "welfare-team" || len(other.Disclosures) != 0 {
		t.Errorf("disclosures: the vulnerable debtor's %+v, the other's %+v", vulnerable.Disclosures, other.Disclosures)
	}
	if log := e.Must(200, "GET", c+"/disclosures", e.manager(), nil)["items"].([]any); len(log) != 1 || log[0].(map[string]any)["recipient"] != "welfare-team" {
		t.Errorf("the case's disclosure log: %v", log)
	}
	raw := strings.ToLower(string(mustJSON(t, other)))
	for _, leak := range []string{"bereaved", "depression", "reg 12", "welfare", "health", "cannot cope"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the other debtor's answer says %q: %s", leak, raw)
		}
	}
	// A rectification of the other debtor's name touches no vulnerability.
	if got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-j", RecordIDs: []string{joint + "/debtor-1"},
		Field: "name", Value: "Samuel Spouse"}); len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("rectify: %+v", got.Outcomes)
	}
	if v := e.exportOf(joint + "/debtor-2").Held; v["vulnerability_nature"] != secret || v["vulnerability"] == nil {
		t.Errorf("after the other's rectification, the vulnerable debtor's answer: %+v", v)
	}
	if v := e.exportOf(joint + "/debtor-1").Held; v["vulnerability_nature"] != "" || !reflect.DeepEqual(v["debtor_names"], []any{"Samuel Spouse"}) {
		t.Errorf("after their rectification, the other debtor's answer: %+v", v)
	}
}

// A joint referral that reports a vulnerability names whose it is (vulnerable_debtor), or
// the row is refused; the client's report then reaches that debtor's answer only. A case
// sent back because a debtor is vulnerable: the client council is told it went back as
// vulnerable, and nothing more; the other debtor's answer does not give that reason.
func TestAJointReferralsVulnerabilityAndItsReturnReachTheRightPeople(t *testing.T) {
	e := newEnv(t)
	file := "client_reference,order_date,order_reference,debtor_name,second_debtor_name,address,amount_pence,vulnerability,vulnerable_debtor\n" +
		"CT-J1,2026-01-10,LO-J1,Ann Able,Ben Bond,1 Mill Lane,50000,Sole carer for a disabled child,\n" +
		"CT-J2,2026-01-10,LO-J2,Ann Able,Ben Bond,1 Mill Lane,50000,Sole carer for a disabled child,3\n" +
		"CT-J3,2026-01-10,LO-J3,Ann Able,Ben Bond,1 Mill Lane,50000,Sole carer for a disabled child,two\n" +
		"CT-J4,2026-01-10,LO-J4,Ann Able,Ben Bond,1 Mill Lane,50000,Sole carer for a disabled child,2\n" +
		"CT-J5,2026-01-10,LO-J5,Cy Cole,Di Dee,5 Mill Lane,60000,,\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", file, "")
	if r.Status != 200 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var got []string
	var reported, returned string
	for _, x := range r.JSON(t)["rows"].([]any) {
		row := x.(map[string]any)
		s := row["outcome"].(string)
		if errs, ok := row["errors"].([]any); ok {
			er := errs[0].(map[string]any)
			s += " " + er["field"].(string) + ": " + er["reason"].(string)
		}
		switch row["client_reference"] {
		case "CT-J4":
			reported = row["case_id"].(string)
		case "CT-J5":
			returned = row["case_id"].(string)
		}
		got = append(got, s)
	}
	want := []string{"refused vulnerable_debtor: name the debtor the vulnerability concerns: their position among the debtors, 1 to 2",
		"refused vulnerable_debtor: the referral names no debtor 3",
		"refused vulnerable_debtor: must be the position of the debtor the vulnerability concerns: 1 for debtor_name, 2 for second_debtor_name",
		"accepted", "accepted"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %q\nwant %q", got, want)
	}
	if v := e.exportOf(reported + "/debtor-2").Held; v["reported_vulnerability"] != "Sole carer for a disabled child" || v["vulnerability"] == nil {
		t.Errorf("Ben's answer: %+v", v)
	}
	if v := e.exportOf(reported + "/debtor-1").Held; v["reported_vulnerability"] != "" || v["vulnerability"] != nil {
		t.Errorf("Ann's answer: %+v", v)
	}
	if v := e.Must(200, "GET", "/cases/"+reported, e.officer(), nil)["vulnerability"].(map[string]any); v["debtor"] != float64(2) {
		t.Errorf("staff's view of the reported vulnerability: %v", v)
	}

	// Di's acute vulnerability sends her case back.
	e.Must(200, "POST", "/cases/"+returned+"/vulnerability", e.officer(), map[string]any{"nature": "Terminal illness", "debtor": 2, "acute": true})
	client := e.Call("GET", "/cases/"+returned, e.client("maidstone-council-tax"), nil)
	cv := client.JSON(t)
	if client.Status != 200 || cv["returned"].(map[string]any)["reason"] != "vulnerable" ||
		!reflect.DeepEqual(cv["debtor"], map[string]any{"names": []any{"Cy Cole", "Di Dee"}, "address": "5 Mill Lane"}) {
		t.Fatalf("the client's view: %d %s", client.Status, client.Body)
	}
	if s := string(client.Body); strings.Contains(s, "Terminal") || strings.Contains(s, "vulnerability") || strings.Contains(s, `"debtor":2`) {
		t.Errorf("the client is told more than that the case went back as vulnerable: %s", s)
	}
	if v := e.exportOf(returned + "/debtor-2").Held; v["returned_reason"] != "vulnerable" || v["vulnerability_nature"] != "Terminal illness" {
		t.Errorf("Di's answer: %+v", v)
	}
	cy := e.exportOf(returned + "/debtor-1").Held
	if _, has := cy["returned_reason"]; has || cy["status"] != "returned" || cy["returned_on"] != "2026-03-02" || cy["vulnerability_nature"] != "" {
		t.Errorf("Cy's answer: %+v", cy)
	}
}

// A vulnerability recorded on a joint case before it had to name its debtor (a NULL
// vulnerable_debtor, as migration 00004 leaves them, a null debtor once 00007 carried it
// forward) is read as before but reaches neither debtor's answer, and the welfare team is
// not given the case's data on it until an officer flags it again naming the debtor.
func TestAJointVulnerabilityRecordedBeforeDebtorsWereNamedReachesNoOne(t *testing.T) {
	e := newEnv(t)
	single, joint, _ := e.referRightsCases()
	e.Must(200, "POST", "/cases/"+joint+"/vulnerability", e.officer(), map[string]any{"nature": nature, "debtor": 1})
	e.Must(200, "POST", "/cases/"+single+"/vulnerability", e.officer(), map[string]any{"nature": nature})
	if _, err := e.DB.Exec(`UPDATE debt_personal_data SET vulnerability_natures = jsonb_set(vulnerability_natures, '{0,debtor}', 'null') WHERE case_id = $1`, joint); err != nil {
		t.Fatal(err)
	}
	staff := e.Must(200, "GET", "/cases/"+joint, e.manager(), nil)
	if v := staff["vulnerability"].(map[string]any); v["pending_review"] != true || v["debtor"] != nil || staff["debtor"].(map[string]any)["vulnerability_nature"] != nature {
		t.Fatalf("staff's view: %v %v", v, staff["debtor"])
	}
	for _, record := range []string{joint + "/debtor-1", joint + "/debtor-2"} {
		if v := e.exportOf(record).Held; v["vulnerability"] != nil || v["vulnerability_nature"] != "" {
			t.Errorf("%s is told of a vulnerability that may not be theirs: %+v", record, v)
		}
	}
	if v := e.exportOf(single).Held; v["vulnerability_nature"] != nature || v["vulnerability"] == nil {
		t.Errorf("a case of one debtor: %+v", v)
	}
	body := map[string]any{"recipient": "welfare-team", "purpose": "welfare_support",
		"necessity": "Debtor said at the door they cannot cope; welfare team to call within two days."}
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+joint+"/disclosures", e.officer(), body), 409, "conflict")
	if p["rule"] != "vulnerable_debtor_not_named" || p["detail"] != e.reference(joint)+
		" records a vulnerability without naming the debtor it concerns: flag it again naming them before the welfare team is given their data" {
		t.Fatalf("welfare referral: %v", p)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("the refused referral changed the database")
	}
	// Flagged again naming the debtor, it is theirs: the case still holds one vulnerability.
	again := e.Must(200, "POST", "/cases/"+joint+"/vulnerability", e.officer(), map[string]any{"nature": nature, "debtor": 1})
	if v := again["vulnerabilities"].([]any); len(v) != 1 || v[0].(map[string]any)["debtor"] != float64(1) || v[0].(map[string]any)["nature"] != nature {
		t.Fatalf("flagged again naming the debtor: %v", v)
	}
	e.Must(201, "POST", "/cases/"+joint+"/disclosures", e.officer(), body)
}

// One of joint debtors erased takes with their name their vulnerability's nature and the
// findings that the welfare team needed their data; the other debtor's record stays whole.
func TestErasingOneJointDebtorTakesTheirVulnerabilityWithThem(t *testing.T) {
	e := newEnv(t)
	_, joint, _ := e.referRightsCases()
	e.Must(200, "POST", "/cases/"+joint+"/vulnerability", e.officer(), map[string]any{"nature": "Terminal illness", "debtor": 2})
	e.Must(200, "POST", "/cases/"+joint+"/vulnerability/review", e.officer(), map[string]any{"continue_enforcement": true, "advice_opportunity_given": true})
	e.Must(201, "POST", "/cases/"+joint+"/disclosures", e.officer(),
		map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": "Debtor told the agent they cannot cope with the debt."})
	e.Must(200, "POST", "/cases/"+joint+"/payments", e.officer(), map[string]any{"amount_pence": 57500})
	e.Clock.Set(time.Date(2033, 3, 2, 9, 0, 0, 0, time.UTC))

	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-j", RecordIDs: []string{joint + "/debtor-2"}}).Outcomes
	if len(got) != 1 || !got[0].Done || got[0].Refusal != nil {
		t.Fatalf("erase of the second debtor: %+v", got)
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id = $1 AND vulnerability_natures <> '[]'`, joint); n != 0 {
		t.Errorf("the erased debtor's vulnerability is still held")
	}
	if n := e.Count(`SELECT count(*) FROM debt_necessity_findings WHERE case_id = $1`, joint); n != 0 {
		t.Errorf("%d findings about the erased debtor are still held", n)
	}
	if v := e.exportOf(joint + "/debtor-1").Held; v["debtor_names"] == nil || v["vulnerability_nature"] != "" {
		t.Errorf("the other debtor's answer: %+v", v)
	}
}
