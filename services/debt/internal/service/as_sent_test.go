package service_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
)

// rowOutcome is a referral report's row as a test compares it: its line, outcome, and each
// refused field with its reason.
type rowOutcome struct {
	Line    int
	Ref     string
	Outcome string
	Errors  string // "field: reason; ..."
}

func rowsOf(t *testing.T, report map[string]any) []rowOutcome {
	t.Helper()
	var out []rowOutcome
	for _, x := range report["rows"].([]any) {
		m := x.(map[string]any)
		var errs []string
		list, _ := m["errors"].([]any)
		for _, er := range list {
			er := er.(map[string]any)
			errs = append(errs, fmt.Sprintf("%s: %s", er["field"], er["reason"]))
		}
		ref, _ := m["client_reference"].(string)
		out = append(out, rowOutcome{Line: int(m["line"].(float64)), Ref: ref, Outcome: m["outcome"].(string), Errors: strings.Join(errs, "; ")})
	}
	return out
}

// debtorOf reads a referred case's debtor and references back as staff see them.
func (e *env) debtorOf(id string) (names []any, address, clientRef, orderRef string) {
	e.T.Helper()
	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	d := c["debtor"].(map[string]any)
	return d["names"].([]any), d["address"].(string), c["client_reference"].(string), c["order"].(map[string]any)["reference"].(string)
}

// A referral file's text is stored exactly as the client sent it: a name or an address
// whose spaces the CSV quotes (or the JSON string) make its own keeps them. A client or
// order reference beginning or ending with white space is refused on its row, never
// trimmed, so " CT-x" is neither stored as "CT-x" nor reported already referred as it; a
// name, address or vulnerability of white space only is refused, never dropped. Limits are
// in characters: an order reference of 64 characters of two bytes each is accepted.
func TestReferralTextIsStoredAsSentOrItsRowRefused(t *testing.T) {
	e := newEnv(t)
	maidstone := e.client("maidstone-council-tax")
	header := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n"
	longRef := "LO-" + strings.Repeat("é", 61) // 64 characters, 125 bytes
	csv := header +
		`CT-SP1,2026-01-10,LO-SP1,"  Dora Debtor  ","  1 High Street  ",85000` + "\n" +
		`CT-SP2,2026-01-10,` + longRef + `,Eve Owing,2 High Street,85000` + "\n"
	r := e.upload(maidstone, "text/csv", csv, "")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	report := r.JSON(t)
	rows := rowsOf(t, report)
	if want := []rowOutcome{{2, "CT-SP1", "accepted", ""}, {3, "CT-SP2", "accepted", ""}}; !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", rows, want)
	}
	ids := map[string]string{}
	for _, x := range report["rows"].([]any) {
		m := x.(map[string]any)
		ids[m["client_reference"].(string)] = m["case_id"].(string)
	}
	if names, address, _, _ := e.debtorOf(ids["CT-SP1"]); !reflect.DeepEqual(names, []any{"  Dora Debtor  "}) || address != "  1 High Street  " {
		t.Fatalf("stored %q and %q, sent %q and %q", names, address, "  Dora Debtor  ", "  1 High Street  ")
	}
	if _, _, _, orderRef := e.debtorOf(ids["CT-SP2"]); orderRef != longRef {
		t.Fatalf("order reference stored as %q, sent %q", orderRef, longRef)
	}

	edge := "begins or ends with white space: send it without, as it is stored exactly as sent, never trimmed"
	line := func(edit map[string]any) string {
		row := map[string]any{"client_reference": "NJX-1", "order_date": "2026-01-12", "order_reference": "LO-9",
			"debtor_names": []string{"Dora"}, "address": "9 Sea Road", "amount_pence": 5000}
		for k, v := range edit {
			row[k] = v
		}
		b, err := json.Marshal(row)
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	jsonl := line(map[string]any{"client_reference": "NJX-ok", "debtor_names": []string{"  Dora  ", " Ann\t"}, "address": " 9 Sea Road\n",
		"employment": "  Night shifts  ", "vulnerability": " Recently bereaved ", "vulnerable_debtor": 2}) +
		line(map[string]any{"client_reference": "  NJX-422758186  "}) +
		line(map[string]any{"client_reference": "NJX-3", "order_reference": " LO-9 "}) +
		line(map[string]any{"client_reference": "NJX-4", "debtor_names": []string{"Dora", "   "}}) +
		line(map[string]any{"client_reference": "NJX-5", "debtor_names": []string{""}}) +
		line(map[string]any{"client_reference": "NJX-6", "address": " \t "}) +
		line(map[string]any{"client_reference": "NJX-7", "vulnerability": "  ", "employment": " "}) +
		line(map[string]any{"client_reference": "NJX-8", "email": " dora@example.org", "phone": "01622 111111 ", "vehicle_registration": " AB12 CDE"}) +
		line(map[string]any{"client_reference": "   "})
	before := e.Count(`SELECT count(*) FROM debt_cases`)
	r = e.upload(maidstone, "application/x-ndjson", jsonl, "")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	report = r.JSON(t)
	blank := "is white space only: leave it out (or empty) when there is nothing to say"
	want := []rowOutcome{
		{1, "NJX-ok", "accepted", ""},
		{2, "  NJX-422758186  ", "refused", "client_reference: " + edge},
		{3, "NJX-3", "refused", "order_reference: " + edge},
		{4, "NJX-4", "refused", "debtor_names: a debtor's name is empty or white space only: name one to four debtors"},
		{5, "NJX-5", "refused", "debtor_names: a debtor's name is empty or white space only: name one to four debtors"},
		{6, "NJX-6", "refused", "address: is required, at most 500 characters"},
		{7, "NJX-7", "refused", "employment: " + blank + "; vulnerability: " + blank},
		{8, "NJX-8", "refused", "phone: " + edge + "; email: " + edge + "; vehicle_registration: " + edge},
		{9, "   ", "refused", "client_reference: is required, at most 64 characters"},
	}
	if got := rowsOf(t, report); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", got, want)
	}
	if n := e.Count(`SELECT count(*) FROM debt_cases`); n != before+1 {
		t.Fatalf("%d cases stored, want %d", n, before+1)
	}
	id := report["rows"].([]any)[0].(map[string]any)["case_id"].(string)
	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	d := c["debtor"].(map[string]any)
	if !reflect.DeepEqual(d["names"], []any{"  Dora  ", " Ann\t"}) || d["address"] != " 9 Sea Road\n" || d["employment"] != "  Night shifts  " ||
		d["reported_vulnerability"] != " Recently bereaved " || c["client_reference"] != "NJX-ok" {
		t.Fatalf("debtor stored as %q", d)
	}

	// " CT-x" is not "CT-x": refused for its white space, never reported as already referred.
	e.referOne("maidstone-council-tax", "CT-x", 1000)
	before = e.Count(`SELECT count(*) FROM debt_cases`)
	r = e.upload(maidstone, "text/csv", header+" CT-x,2026-01-10,LO-1,Dora,1 High Street,1000\n"+
		`"CT-x ",2026-01-10,LO-1,Dora,1 High Street,1000`+"\n"+"CT-x,2026-01-10,LO-1,Dora,1 High Street,1000\n", "")
	got := rowsOf(t, r.JSON(t))
	want = []rowOutcome{{2, " CT-x", "refused", "client_reference: " + edge}, {3, "CT-x ", "refused", "client_reference: " + edge},
		{4, "CT-x", "already_referred", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", got, want)
	}
	if n := e.Count(`SELECT count(*) FROM debt_cases`); n != before {
		t.Fatalf("%d cases, want %d", n, before)
	}
	// A date, an amount or a debtor's position with white space at an end is refused as the
	// JSON API refuses it, not read as if it had none.
	r = e.upload(maidstone, "text/csv", "client_reference,order_date,order_reference,debtor_name,address,amount_pence,vulnerability,vulnerable_debtor\n"+
		`CT-y," 2026-01-10",LO-1,Dora,1 High Street,"1000 ",,`+"\n"+`CT-z,2026-01-10,LO-1,Dora,1 High Street,1000,Bereaved," 1"`+"\n", "")
	got = rowsOf(t, r.JSON(t))
	want = []rowOutcome{{2, "CT-y", "refused", "order_date: " + edge + "; amount_pence: " + edge},
		{3, "CT-z", "refused", "vulnerable_debtor: must be the position of the debtor the vulnerability concerns: 1 for debtor_name, 2 for second_debtor_name"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", got, want)
	}
}

// Free text sent to a case is stored exactly as sent: a vulnerability's nature, a legal
// hold's reason, a finding of necessity keep their spaces; white space only is refused at
// its pointer; a body-worn video reference with white space at an end is refused, never
// trimmed. Limits are in characters, as the contract states them: a legal hold's reason of
// 1001 "é" (2002 bytes) is within its 2000 characters, a body-worn video reference of 100 "é"
// within its 100.
func TestTextSentToACaseIsStoredAsSentOrRefused(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-TXT", 100000)
	c := "/cases/" + id
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)) // past the notice period
	officer, agent, manager := e.officer(), e.agent(), e.manager()

	edge := "begins or ends with white space: send it without, as it is stored exactly as sent, never trimmed"
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		pointer, detail           string
	}{
		{"a nature of white space only", "POST", c + "/vulnerability", officer, map[string]any{"nature": " \t "},
			"/nature", "describe the vulnerability (at most 2000 characters)"},
		{"a legal hold's reason of white space only", "PUT", c + "/legal-hold", manager, map[string]any{"reason": "  "},
			"/reason", "a legal hold needs a reason (at most 2000 characters)"},
		{"a body-worn video reference with a space before it", "POST", c + "/visits", agent,
			map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": " BWV-1"}, "/body_worn_video", edge},
		{"a body-worn video reference of white space only", "POST", c + "/visits", agent,
			map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": "   "},
			"/body_worn_video", "the body-worn video reference is required (at most 100 characters)"},
		{"a finding of necessity of white space only (it was taken for none)", "POST", c + "/disclosures", officer,
			map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": "    "},
			"/necessity", "say why the welfare team needs the data: at least 5 words and 20 characters, at most 2000 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			p := problemOf(t, e.Call(tc.method, tc.path, tc.token, tc.body), 400, "validation")
			if got := pointersOf(p); !reflect.DeepEqual(got, []string{tc.pointer}) {
				t.Fatalf("pointers %v, want %s", got, tc.pointer)
			}
			if d := p["errors"].([]any)[0].(map[string]any)["detail"]; d != tc.detail {
				t.Errorf("detail %q, want %q", d, tc.detail)
			}
			if after := e.snapshot(); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused request changed the database:\nbefore %v\nafter  %v", before, after)
			}
		})
	}

	bwv := strings.Repeat("é", 100)
	got := e.Must(200, "POST", c+"/visits", agent, map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "no_contact", "body_worn_video": bwv})
	if v := got["visits"].([]any)[0].(map[string]any); v["body_worn_video"] != bwv {
		t.Fatalf("body-worn video reference stored as %q", v["body_worn_video"])
	}
	nature := "  Recently bereaved;\tasks for calls after 5pm  "
	got = e.Must(200, "POST", c+"/vulnerability", officer, map[string]any{"nature": nature})
	if n := got["debtor"].(map[string]any)["vulnerability_nature"]; n != nature {
		t.Fatalf("nature stored as %q, sent %q", n, nature)
	}
	necessity := "  Debtor told the agent they cannot cope; welfare team to call within two days.\n"
	d := e.Must(201, "POST", c+"/disclosures", officer, map[string]any{"recipient": "welfare-team", "purpose": "welfare_support", "necessity": necessity})
	findings := e.Must(200, "GET", c, manager, nil)["necessity_findings"].([]any)
	if len(findings) != 1 || findings[0].(map[string]any)["reason"] != necessity || findings[0].(map[string]any)["disclosure_id"] != d["id"] {
		t.Fatalf("findings %q, sent %q", findings, necessity)
	}
	reason := strings.Repeat("é", 1001) // 1001 characters, 2002 bytes
	e.Must(200, "PUT", c+"/legal-hold", manager, map[string]any{"reason": reason})
	var stored string
	if err := e.DB.Get(&stored, `SELECT legal_hold->>'reason' FROM debt_cases WHERE id = $1`, id); err != nil || stored != reason {
		t.Fatalf("legal hold reason stored as %d characters (%v), sent 1001", len([]rune(stored)), err)
	}
	e.Must(200, "DELETE", c+"/legal-hold", manager, nil)
	reason = "  Claim pending in the county court  "
	e.Must(200, "PUT", c+"/legal-hold", manager, map[string]any{"reason": reason})
	if err := e.DB.Get(&stored, `SELECT legal_hold->>'reason' FROM debt_cases WHERE id = $1`, id); err != nil || stored != reason {
		t.Fatalf("legal hold reason stored as %q (%v), sent %q", stored, err, reason)
	}
}

// A client's user reads its own client's cases only: naming another client, or one that
// does not exist, in the list's client filter is refused as /remittance and /referrals
// refuse it (400 at the client parameter), never answered with its own cases in place of
// the ones asked for. Staff naming a client that does not exist are refused too.
func TestAClientFilterNamesTheCallersOwnClientOnly(t *testing.T) {
	e := newEnv(t)
	maidstone := e.referOne("maidstone-council-tax", "CT-OWN", 1000)
	swale := e.referOne("swale-council-tax", "SW-OWN", 1000)
	swaleToken := e.client("swale-council-tax")
	other := "a client refers and reads its own debts only: leave client out, or name your own client"
	for _, tc := range []struct {
		name, method, path, token, detail string
	}{
		{"another client's cases", "GET", "/cases?client=maidstone-council-tax&limit=500", swaleToken, other},
		{"a client that does not exist", "GET", "/cases?client=nonexistent-client", swaleToken, other},
		{"another client's remittance", "GET", "/remittance?client=maidstone-council-tax", swaleToken, other},
		{"staff naming a client that does not exist", "GET", "/cases?client=nonexistent-client", e.officer(), "no client with this id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := problemOf(t, e.Call(tc.method, tc.path, tc.token, nil), 400, "validation")
			if got := pointersOf(p); !reflect.DeepEqual(got, []string{"param:client"}) {
				t.Fatalf("pointers %v", got)
			}
			if d := p["errors"].([]any)[0].(map[string]any)["detail"]; d != tc.detail {
				t.Errorf("detail %q, want %q", d, tc.detail)
			}
		})
	}
	r := e.upload(swaleToken, "text/csv", "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n", "?client=maidstone-council-tax")
	if p := problemOf(t, r, 400, "validation"); !reflect.DeepEqual(pointersOf(p), []string{"param:client"}) {
		t.Fatalf("a referral for another client: %v", p)
	}
	ids := func(token, query string) []string {
		var out []string
		for _, x := range e.Must(200, "GET", "/cases"+query, token, nil)["items"].([]any) {
			out = append(out, x.(map[string]any)["id"].(string))
		}
		return out
	}
	if got := ids(swaleToken, "?client=swale-council-tax"); !reflect.DeepEqual(got, []string{swale}) {
		t.Fatalf("its own, named: %v", got)
	}
	if got := ids(swaleToken, ""); !reflect.DeepEqual(got, []string{swale}) {
		t.Fatalf("its own, unnamed: %v", got)
	}
	if got := ids(e.officer(), "?client=maidstone-council-tax"); !reflect.DeepEqual(got, []string{maidstone}) {
		t.Fatalf("staff naming a client: %v", got)
	}
}

// An arrangement is stored as asked or refused: count instalments of amount_pence, the
// last the remainder. Fewer than cover the balance are refused at /amount_pence, and so
// are more, at /count (they were cut short in silence: 4 monthly instalments of 50,000 on
// 92,500 owed stored 2, 104 weekly of GBP 10 million stored 1); each refusal says how many
// instalments of that amount cover the balance and what the last would be.
func TestAnArrangementIsStoredAsAskedOrRefused(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-ARR", 85000) // 85,000 debt and the 7,500 compliance fee
	c := "/cases/" + id
	ask := func(amount, count int, frequency string) map[string]any {
		return map[string]any{"first_due": "2026-12-15", "amount_pence": amount, "count": count, "frequency": frequency}
	}
	for _, tc := range []struct {
		name            string
		body            map[string]any
		pointer, detail string
	}{
		{"more monthly instalments than the balance needs", ask(50000, 4, "monthly"), "/count",
			"4 instalments of 50000 pence are more than the 92500 pence outstanding needs: 2 instalments of 50000 pence cover it, the last of 42500 pence"},
		{"more weekly instalments than the balance needs", ask(1000000000, 104, "weekly"), "/count",
			"104 instalments of 1000000000 pence are more than the 92500 pence outstanding needs: 1 instalment covers it (of 92500 pence)"},
		{"an exact amount, one instalment too many", ask(46250, 3, "monthly"), "/count",
			"3 instalments of 46250 pence are more than the 92500 pence outstanding needs: 2 instalments of 46250 pence cover it"},
		{"too few", ask(30000, 3, "monthly"), "/amount_pence",
			"3 instalments of 30000 pence do not cover the 92500 pence outstanding: 4 instalments of 30000 pence cover it, the last of 2500 pence"},
		{"too few for the most allowed", ask(100, 104, "weekly"), "/amount_pence",
			"104 instalments of 100 pence do not cover the 92500 pence outstanding, and 104 instalments, the most allowed, cover it only at 890 pence or more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			p := problemOf(t, e.Call("POST", c+"/arrangement", e.officer(), tc.body), 400, "validation")
			if got := pointersOf(p); !reflect.DeepEqual(got, []string{tc.pointer}) {
				t.Fatalf("pointers %v, want %s", got, tc.pointer)
			}
			if d := p["errors"].([]any)[0].(map[string]any)["detail"]; d != tc.detail {
				t.Errorf("detail %q\nwant   %q", d, tc.detail)
			}
			if after := e.snapshot(); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused arrangement changed the database:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
	got := e.Must(200, "POST", c+"/arrangement", e.officer(), ask(50000, 2, "monthly"))
	var dues []string
	for _, x := range got["arrangement"].(map[string]any)["instalments"].([]any) {
		in := x.(map[string]any)
		dues = append(dues, fmt.Sprintf("%v %v:%v", in["n"], in["due_date"], in["amount_pence"]))
	}
	if want := []string{"1 2026-12-15:50000", "2 2027-01-15:42500"}; !reflect.DeepEqual(dues, want) {
		t.Fatalf("instalments %v, want %v", dues, want)
	}
}

// A rectification is stored exactly as asked or refused: a name or an address with white
// space at an end (which the platform's rectification would trim) is refused as the
// record's outcome (invalid_value) and changes nothing; as sent, it is corrected.
func TestARectificationIsStoredAsSentOrRefused(t *testing.T) {
	e := newEnv(t)
	single, _, _ := e.referRightsCases()
	ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-w", Identifiers: rights.Identifiers{Email: "dora@example.org"}}) // the responder is up
	words := "begins or ends with white space: send it without, as it is stored exactly as sent"
	for _, tc := range []struct{ field, value string }{{"name", "  Dora Debtor  "}, {"address", "2 New Road\n"}, {"phone", " "}} {
		before := e.snapshot()
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-w", RecordIDs: []string{single}, Field: tc.field, Value: tc.value})
		want := []rights.Outcome{{RecordID: single, Refusal: &rights.Refusal{Ground: "invalid_value", Words: tc.field + ": " + words}, Disclosures: []rights.Disclosure{}}}
		if !reflect.DeepEqual(got.Outcomes, want) {
			t.Fatalf("%s %q: outcomes\n got %+v\nwant %+v", tc.field, tc.value, got.Outcomes, want)
		}
		if after := e.snapshot(); !reflect.DeepEqual(after, before) {
			t.Errorf("a refused rectification changed the database:\nbefore %v\nafter  %v", before, after)
		}
	}
	if got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-w", RecordIDs: []string{single},
		Field: "address", Value: "2 New Road,\tMaidstone"}); len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("an address as sent: %+v", got.Outcomes)
	}
	var address string
	if err := e.DB.Get(&address, `SELECT address FROM debt_personal_data WHERE case_id = $1`, single); err != nil || address != "2 New Road,\tMaidstone" {
		t.Fatalf("address stored as %q (%v)", address, err)
	}
}
