package service_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"casework.dev/pkg/audit"
)

const mixedCSV = `client_reference,order_date,order_reference,debtor_name,address,amount_pence,vulnerability
CT-001,2026-01-10,LO-1,Dora Debtor,"1 High Street, Maidstone",125000,
CT-002,2026-01-10,LO-2,Eric Owing,2 Low Road,-500,
CT-003,2026-01-10,LO-3,Fay Short,3 Mill Lane,12.50,
CT-004,2027-01-10,LO-4,Gus Later,4 Station Road,10000,
CT-005,2026-01-10,LO-5,,5 Church Street,10000,
CT-001,2026-01-10,LO-1,Dora Debtor,"1 High Street, Maidstone",125000,
CT-006,2026-01-10,LO-6,Hal Care,6 Park View,20000,Carer for a disabled child
CT-007,2026-01-10,LO-7,Ivy Row,"7 Quay, Faversham",30000
`

func TestReferralFileOfMixedRowsIsIdempotent(t *testing.T) {
	e := newEnv(t)
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", mixedCSV, "")
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	report := r.JSON(t)
	type row struct {
		line    float64
		outcome string
		fields  []string
	}
	var got []row
	ids := map[string]string{}
	for _, x := range report["rows"].([]any) {
		m := x.(map[string]any)
		rr := row{line: m["line"].(float64), outcome: m["outcome"].(string)}
		if errs, ok := m["errors"].([]any); ok {
			for _, er := range errs {
				rr.fields = append(rr.fields, er.(map[string]any)["field"].(string))
			}
		}
		if id, ok := m["case_id"].(string); ok {
			ids[m["client_reference"].(string)+"@"+rr.outcome] = id
		}
		got = append(got, rr)
	}
	want := []row{{2, "accepted", nil}, {3, "refused", []string{"amount_pence"}}, {4, "refused", []string{"amount_pence"}},
		{5, "refused", []string{"order_date"}}, {6, "refused", []string{"debtor_names"}}, {7, "already_referred", nil},
		{8, "accepted", nil}, {9, "refused", []string{""}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", got, want)
	}
	if ids["CT-001@accepted"] == "" || ids["CT-001@already_referred"] != ids["CT-001@accepted"] {
		t.Fatalf("the repeat in the file must point at the first: %v", ids)
	}
	if report["accepted"] != float64(2) || report["already_referred"] != float64(1) || report["refused"] != float64(5) {
		t.Fatalf("summary %v", report)
	}
	var cases, personal, outbox int
	count := func() {
		e.DB.Get(&cases, `SELECT count(*) FROM debt_cases`)
		e.DB.Get(&personal, `SELECT count(*) FROM debt_personal_data`)
		e.DB.Get(&outbox, `SELECT count(*) FROM watermill_outbox`)
	}
	count()
	if cases != 2 || personal != 2 || outbox != 2 { // a row per stored batch of three file rows: its cases' events bundled

		t.Fatalf("cases %d personal %d outbox %d", cases, personal, outbox)
	}
	// The same file again creates nothing: every good row is already referred.
	again := e.upload(e.client("maidstone-council-tax"), "text/csv", mixedCSV, "").JSON(t)
	if again["accepted"] != float64(0) || again["already_referred"] != float64(3) || again["refused"] != float64(5) {
		t.Fatalf("second upload %v", again)
	}
	before := [3]int{cases, personal, outbox}
	count()
	if [3]int{cases, personal, outbox} != before {
		t.Fatalf("the second upload changed the database: %v -> %v", before, [3]int{cases, personal, outbox})
	}
	// The vulnerability the client reported holds enforcement; each new case starts a sound audit chain.
	c := e.Must(200, "GET", "/cases/"+ids["CT-006@accepted"], e.officer(), nil)
	if v := c["vulnerability"].(map[string]any); v["pending_review"] != true {
		t.Fatalf("vulnerability %v", v)
	}
	if err := audit.Verify(t.Context(), e.DB, "debt_case:"+ids["CT-006@accepted"]); err != nil {
		t.Fatal(err)
	}
	// JSON Lines for another client: the same client reference is another client's own.
	jsonl := `{"client_reference":"CT-001","order_date":"2026-01-12","order_reference":"LO-9","debtor_names":["Jo Swale"],"address":"9 Sea Road, Sheerness","amount_pence":5000}
{"client_reference":"CT-002","order_date":"2026-01-12","order_reference":"LO-9","debtor_names":["Jo Swale"],"address":"9 Sea Road","amount_pence":50.5}
{"client_reference":"CT-003","order_date":"2026-01-12","order_reference":"LO-9","debtor_names":["Jo Swale"],"address":"9 Sea Road","amount_pence":5000,"nickname":"x"}
`
	sw := e.upload(e.client("swale-council-tax"), "application/x-ndjson", jsonl, "").JSON(t)
	if sw["accepted"] != float64(1) || sw["refused"] != float64(2) {
		t.Fatalf("jsonl %v", sw)
	}
}

// Referrals are copied in with COPY, whose text format gives backslashes, tabs and line
// breaks a meaning of their own: each must be stored exactly as the client sent it.
func TestReferredTextIsStoredExactly(t *testing.T) {
	e := newEnv(t)
	sent := map[string]any{"client_reference": `CT-\N`, "order_date": "2026-01-12", "order_reference": "LO\t9",
		"debtor_names": []string{`Jo "JJ" O'Neil\\Swale`, "Ann\tMarie Żółć"},
		"address":      "Flat 2\\B,\tRear\nOf 9 Sea Road\r\n\\N Sheerness", "phone": `\.`, "email": `jo.o'neil@example.org`, "amount_pence": 5000}
	line, err := json.Marshal(sent)
	if err != nil {
		t.Fatal(err)
	}
	report := e.upload(e.client("swale-council-tax"), "application/x-ndjson", string(line)+"\n", "").JSON(t)
	rows := report["rows"].([]any)
	if report["accepted"] != float64(1) || len(rows) != 1 {
		t.Fatalf("report %v", report)
	}
	c := e.Must(200, "GET", "/cases/"+rows[0].(map[string]any)["case_id"].(string), e.officer(), nil)
	d := c["debtor"].(map[string]any)
	if fmt.Sprint(d["names"]) != fmt.Sprint(sent["debtor_names"]) || d["address"] != sent["address"] || d["phone"] != sent["phone"] ||
		d["email"] != sent["email"] {
		t.Fatalf("debtor stored as %q, sent %q", d, sent)
	}
	if c["client_reference"] != sent["client_reference"] || c["order"].(map[string]any)["reference"] != sent["order_reference"] {
		t.Fatalf("references stored as %q and %q, sent %q", c["client_reference"], c["order"], sent)
	}
}

func TestMalformedReferralFilesAreProblemsAndChangeNothing(t *testing.T) {
	e := newEnv(t)
	tok := e.client("maidstone-council-tax")
	for _, tc := range []struct {
		name, ct, file, query, problem string
		status                         int
	}{
		{"unknown column", "text/csv", "client_reference,order_date,order_reference,debtor_name,address,amount_pence,shoe_size\n", "", "malformed-referral-file", 400},
		{"missing column", "text/csv", "client_reference,order_date,debtor_name,address,amount_pence\nA,2026-01-01,X,Y,1\n", "", "malformed-referral-file", 400},
		{"empty", "text/csv", "", "", "malformed-referral-file", 400},
		{"header only", "text/csv", "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n", "", "malformed-referral-file", 400},
		{"not JSON Lines", "application/x-ndjson", "client_reference,order_date\n", "", "malformed-referral-file", 400},
		{"a spreadsheet", "application/vnd.ms-excel", "PK...", "", "unsupported-media-type", 415},
		{"another client's name", "text/csv", "x", "?client=swale-council-tax", "validation", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.upload(tok, tc.ct, tc.file, tc.query)
			p := r.JSON(t)
			if r.Status != tc.status || p["type"] != "https://casework.dev/problems/"+tc.problem || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
		})
	}
	r := e.upload(e.officer(), "text/csv", "client_reference\n", "?client=no-such-client")
	if p := r.JSON(t); r.Status != 400 || p["type"] != "https://casework.dev/problems/validation" {
		t.Fatalf("unknown client: %d %s", r.Status, r.Body)
	}
	var n int
	e.DB.Get(&n, `SELECT count(*) FROM debt_cases`)
	if n != 0 {
		t.Fatalf("%d cases", n)
	}
}

// A referral file larger than the 256 KiB net/http would otherwise discard once the report
// starts streaming back, sent without a length (chunked) as a streaming client does: every
// row is read and answered.
func TestALargeStreamedReferralFileLosesNoRow(t *testing.T) {
	e := newEnv(t)
	const rows = 700
	street := strings.Repeat("Long Street Name ", 25)
	var file strings.Builder
	file.WriteString("client_reference,order_date,order_reference,debtor_name,address,amount_pence\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&file, "BIG-%04d,2026-01-10,LO-%04d,Debtor %d,\"%d %s, Maidstone\",%d\n", i, i, i, i, street, 1000+i)
	}
	if file.Len() < 300<<10 {
		t.Fatalf("the file is only %d bytes", file.Len())
	}
	req, err := http.NewRequest("POST", e.Server.URL+"/referrals", io.MultiReader(strings.NewReader(file.String()))) // no length: chunked
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+e.client("maidstone-council-tax"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var report struct {
		Rows     []struct{ Line int } `json:"rows"`
		Accepted int                  `json:"accepted"`
	}
	if err := json.NewDecoder(res.Body).Decode(&report); err != nil || res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, err)
	}
	var cases int
	if err := e.DB.Get(&cases, `SELECT count(*) FROM debt_cases`); err != nil {
		t.Fatal(err)
	}
	if report.Accepted != rows || len(report.Rows) != rows || report.Rows[rows-1].Line != rows+1 || cases != rows {
		t.Fatalf("accepted %d, %d rows reported, %d cases stored; want %d", report.Accepted, len(report.Rows), cases, rows)
	}
}
