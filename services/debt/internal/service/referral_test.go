package service_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/testkit"
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
	// It starts with a byte order mark, as a file saved by a Windows tool does.
	sw := e.upload(e.client("swale-council-tax"), "application/x-ndjson", "\ufeff"+jsonl, "").JSON(t)
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
		{"CSV in Latin-1 (it was read as UTF-8)", "text/csv; charset=iso-8859-1", "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n", "", "unsupported-media-type", 415},
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

// The streamed upload refuses its query as the OpenAPI validator refuses every other
// route's: a repeated client (the first was referred for), a parameter it does not take (it
// was ignored) and a client longer than the contract allows, each named with the words
// GET /cases gives, and nothing is referred.
func TestReferralQueryIsCheckedLikeEveryRoutes(t *testing.T) {
	e := newEnv(t)
	csv := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\nQ-1,2026-01-10,LO-1,Ann Query,1 High Street,1000\n"
	long := strings.Repeat("c", 101)
	// The words the validator gives for the same faults on GET /cases.
	words := map[string]string{}
	for _, q := range []string{"client=a&client=b", "foo=1", "client=" + long} {
		p := problemOf(t, e.Call("GET", "/cases?"+q, e.officer(), nil), 400, "validation")
		words[q] = p["errors"].([]any)[0].(map[string]any)["detail"].(string)
	}
	detail := func(q string) func(t *testing.T, r testkit.Response, p map[string]any) {
		return func(t *testing.T, r testkit.Response, p map[string]any) {
			if got := p["errors"].([]any)[0].(map[string]any)["detail"]; got != words[q] {
				t.Errorf("detail %q, want %q as GET /cases says", got, words[q])
			}
		}
	}
	upload := func(name, query, problemQuery, pointer string) testkit.BadInput {
		return testkit.BadInput{Name: name, Method: "POST", Path: "/referrals?" + query, Body: csv, Headers: []string{"Content-Type", "text/csv"},
			Status: 400, Problem: "validation", Pointers: []string{pointer}, Check: detail(problemQuery)}
	}
	e.RefusesBadInput(t, e.officer(), []testkit.BadInput{
		upload("client given twice", "client=maidstone-council-tax&client=swale-council-tax", "client=a&client=b", "param:client"),
		upload("a parameter the upload does not take", "client=maidstone-council-tax&foo=1", "foo=1", "param:foo"),
		upload("a client longer than 100 characters", "client="+long, "client="+long, "param:client"),
	})
	e.RefusesBadInput(t, e.client("maidstone-council-tax"), []testkit.BadInput{
		upload("a client's user with a parameter the upload does not take", "foo=1", "foo=1", "param:foo"),
		upload("a client's user naming its client twice", "client=maidstone-council-tax&client=maidstone-council-tax", "client=a&client=b", "param:client"),
	})
	if r := e.upload(e.officer(), "text/csv", csv, "?client=maidstone-council-tax"); r.Status != 200 || r.JSON(t)["accepted"] != float64(1) {
		t.Fatalf("a sound query: %d %s", r.Status, r.Body)
	}
}

// A JSON Lines row is read by the rules of every JSON body of the API: a duplicate key, an
// unpaired surrogate escape, text after the object, a key in the wrong case, invalid UTF-8,
// NUL or a value of the wrong type is that row's refusal, named by its member, and creates
// nothing; the good rows beside them are accepted, stored exactly as sent.
func TestJSONLinesRowsAreDecodedStrictly(t *testing.T) {
	e := newEnv(t)
	good := func(ref string) string {
		return `{"client_reference":"` + ref + `","order_date":"2026-01-10","order_reference":"LO-` + ref + `","debtor_names":["Ann Lines"],"address":"1 High Street","amount_pence":1000`
	}
	file := good("J-1") + "}\n" +
		good("J-2") + `,"client_reference":"J-2b"}` + "\n" +
		good("J-3") + `,"employment":"baker\ud800"}` + "\n" +
		good("J-4") + `} {"client_reference":"J-4b"}` + "\n" +
		good("J-5") + `} trailing words` + "\n" +
		strings.Replace(good("J-6"), `"client_reference"`, `"Client_Reference"`, 1) + "}\n" +
		good("J-7") + ",\"employment\":\"caf\xe9\"}\n" +
		good("J-8") + "}\xff\n" +
		good("J-9") + `,"phone":"07700\u0000900"}` + "\n" +
		good("J-10") + `,"debtor_names":"Ann Lines"}` + "\n" +
		`{"client_reference":"J-11","order_date":"2026-01-10","order_reference":"LO-J-11","debtor_names":["Ann Lines"],"address":"1 High Street","amount_pence":"1000"}` + "\n" +
		good("J-12") + "}\r\n"
	r := e.upload(e.client("maidstone-council-tax"), "application/x-ndjson", file, "")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	report := r.JSON(t)
	var got []string
	for _, x := range report["rows"].([]any) {
		m := x.(map[string]any)
		s := fmt.Sprintf("%v %v", m["line"], m["outcome"])
		errs, _ := m["errors"].([]any)
		for _, er := range errs {
			s += fmt.Sprintf(" [%v: %v]", er.(map[string]any)["field"], er.(map[string]any)["reason"])
		}
		got = append(got, s)
	}
	want := []string{
		"1 accepted",
		`2 refused [client_reference: the member "/client_reference" appears more than once]`,
		"3 refused [employment: contains an unpaired UTF-16 surrogate escape, which is no character and cannot be stored as sent]",
		"4 refused [: not a JSON object of a referral: unexpected data after the JSON value at byte offset 155]",
		"5 refused [: not a JSON object of a referral: unexpected data after the JSON value at byte offset 155]",
		`6 refused [Client_Reference: is not a key of a referral: the key is "client_reference", in lower case]`,
		"7 refused [employment: is not valid UTF-8]",
		"8 refused [: not a JSON object of a referral: the line is not valid UTF-8 (first bad byte at offset 154)]",
		"9 refused [phone: contains U+0000 (NUL), which cannot be stored]",
		"10 refused [debtor_names: must be an array, not string]",
		"11 refused [amount_pence: must be a whole number of pence]",
		"12 accepted",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %q\nwant %q", got, want)
	}
	if report["accepted"] != float64(2) || report["refused"] != float64(10) {
		t.Fatalf("counts %v %v", report["accepted"], report["refused"])
	}
	var refs []string
	if err := e.DB.Select(&refs, `SELECT client_reference FROM debt_cases ORDER BY client_reference`); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(refs, []string{"J-1", "J-12"}) || e.Count(`SELECT count(*) FROM debt_personal_data`) != 2 {
		t.Fatalf("cases %v", refs)
	}
}

// A JSON Lines line over 1 MiB is its row's refusal and the file is read on from the next
// line: the report lists every row and is whole, and every case created is in it. (It
// answered a report cut off mid-way, in invalid JSON, for cases it had stored.)
func TestAnOverlongJSONLineIsRefusedRowByRow(t *testing.T) {
	e := newEnv(t)
	var file strings.Builder
	row := func(n int) {
		fmt.Fprintf(&file, `{"client_reference":"L-%d","order_date":"2026-01-10","order_reference":"LO-%d","debtor_names":["Debtor %d"],"address":"%d High Street","amount_pence":1000}`+"\n", n, n, n, n)
	}
	for n := 1; n <= 7; n++ {
		row(n)
	}
	fmt.Fprintf(&file, `{"client_reference":"L-LONG","address":"%s"}`+"\n", strings.Repeat("x", 1<<20))
	row(9)
	file.WriteString(strings.Repeat(" ", 1<<20+1) + "\r\n") // blank, but over 1 MiB too
	row(11)
	r := e.upload(e.client("maidstone-council-tax"), "application/x-ndjson", file.String(), "")
	var report struct {
		Rows []struct {
			Line    int
			Outcome string
			Errors  []struct{ Field, Reason string }
		}
		Accepted, Refused int
	}
	if err := json.Unmarshal(r.Body, &report); err != nil || r.Status != 200 {
		t.Fatalf("%d %v: %.300s", r.Status, err, r.Body)
	}
	tooLong := "the line is longer than 1048576 bytes (1 MiB); it was not read"
	if len(report.Rows) != 11 || report.Accepted != 9 || report.Refused != 2 {
		t.Fatalf("%d rows, %d accepted, %d refused: %+v", len(report.Rows), report.Accepted, report.Refused, report.Rows)
	}
	for i, row := range report.Rows {
		switch {
		case row.Line != i+1:
			t.Errorf("row %d has line %d", i, row.Line)
		case i == 7 || i == 9:
			if row.Outcome != "refused" || len(row.Errors) != 1 || row.Errors[0].Field != "" || row.Errors[0].Reason != tooLong {
				t.Errorf("line %d: %+v", row.Line, row)
			}
		case row.Outcome != "accepted":
			t.Errorf("line %d: %+v", row.Line, row)
		}
	}
	if n := e.Count(`SELECT count(*) FROM debt_cases`); n != 9 {
		t.Fatalf("%d cases, want 9", n)
	}
}

// A referral stream that breaks off (here, chunked encoding gone bad after 8 rows) cannot be
// read on, and the report says so: the rows read are stored and reported, then a refused
// row for the line the stream failed at says the report is incomplete, and the report is
// whole JSON with its counts.
func TestABrokenReferralStreamEndsAnIncompleteReportSayingSo(t *testing.T) {
	e := newEnv(t)
	var body strings.Builder
	body.WriteString("client_reference,order_date,order_reference,debtor_name,address,amount_pence\n")
	for n := 1; n <= 8; n++ {
		fmt.Fprintf(&body, "B-%d,2026-01-10,LO-%d,Debtor %d,%d High Street,1000\n", n, n, n, n)
	}
	u, err := url.Parse(e.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST /referrals HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\nnot-a-chunk-size\r\n",
		u.Host, e.client("maidstone-council-tax"), body.Len(), body.String())
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%v after %q", err, raw)
	}
	var report struct {
		Rows []struct {
			Line    int
			Outcome string
			Errors  []struct{ Field, Reason string }
		}
		Accepted, Refused int
	}
	if err := json.Unmarshal(raw, &report); err != nil || res.StatusCode != 200 {
		t.Fatalf("%d %v: %s", res.StatusCode, err, raw)
	}
	if len(report.Rows) != 9 || report.Accepted != 8 || report.Refused != 1 {
		t.Fatalf("%d rows, %d accepted, %d refused: %s", len(report.Rows), report.Accepted, report.Refused, raw)
	}
	last := report.Rows[8]
	want := "the file could not be read from this line on (the upload broke off): it and any rows after it were not read, " +
		"so this report is incomplete; send them again (a row already referred is reported, never created twice)"
	if last.Line != 10 || last.Outcome != "refused" || len(last.Errors) != 1 || last.Errors[0].Field != "" || last.Errors[0].Reason != want {
		t.Fatalf("the last row: %+v", last)
	}
	if n := e.Count(`SELECT count(*) FROM debt_cases`); n != 8 {
		t.Fatalf("%d cases, want 8", n)
	}
}

// reportRow is one row of a referral report as a test compares it: its line, client
// reference, outcome and each error as "field: reason".
type reportRow struct {
	Line    int
	Ref     string
	Outcome string
	Errors  []string
}

// reportOf decodes a whole referral report (failing on a body that is not one) into its rows
// and its counts.
func reportOf(t *testing.T, r testkit.Response) (rows []reportRow, accepted, alreadyReferred, refused int) {
	t.Helper()
	var report struct {
		Client string
		Rows   []struct {
			Line            int
			ClientReference string `json:"client_reference"`
			Outcome         string
			Errors          []struct{ Field, Reason string }
		}
		Accepted        int
		AlreadyReferred int `json:"already_referred"`
		Refused         int
	}
	if err := json.Unmarshal(r.Body, &report); r.Status != 200 || err != nil || report.Client == "" {
		t.Fatalf("%d, not a whole report (%v): %s", r.Status, err, r.Body)
	}
	for _, x := range report.Rows {
		row := reportRow{Line: x.Line, Ref: x.ClientReference, Outcome: x.Outcome}
		for _, e := range x.Errors {
			row.Errors = append(row.Errors, e.Field+": "+e.Reason)
		}
		rows = append(rows, row)
	}
	return rows, report.Accepted, report.AlreadyReferred, report.Refused
}

const referralHeader = "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n"

// A quote that breaks the CSV in a row's first field is that row's fault, refused in the
// report at its line and column like any other, never a failure of the file: alone in the
// file, or after rows already stored and reported (batches of three here), the report is
// whole and names every row.
func TestAQuoteInTheFirstCSVFieldIsThatRowsFault(t *testing.T) {
	e := newEnv(t)
	tok := e.client("maidstone-council-tax")
	rows, accepted, _, refused := reportOf(t, e.upload(tok, "text/csv", referralHeader+"CT\"2,2026-01-10,LO-2,Eric Owing,2 Low Rd,10000\n", ""))
	want := []reportRow{{Line: 2, Outcome: "refused", Errors: []string{`client_reference: not valid CSV (line 2, column 3): bare " in non-quoted-field`}}}
	if !reflect.DeepEqual(rows, want) || accepted != 0 || refused != 1 || e.Count(`SELECT count(*) FROM debt_cases`) != 0 {
		t.Fatalf("alone: %+v, %d accepted, %d refused", rows, accepted, refused)
	}

	file := referralHeader + "CT-1,2026-01-10,LO-1,A,1 St,10000\nCT-2,2026-01-10,LO-2,B,2 St,10000\nCT-3,2026-01-10,LO-3,C,3 St,10000\n" +
		"CT-4,2026-01-10,LO-4,D,4 St,10000\n\"CT-5\"x,2026-01-10,LO-5,E,5 St,10000\nCT-6,2026-01-10,LO-6,F,6 St,10000\n"
	rows, accepted, _, refused = reportOf(t, e.upload(tok, "text/csv", file, ""))
	want = []reportRow{{Line: 2, Ref: "CT-1", Outcome: "accepted"}, {Line: 3, Ref: "CT-2", Outcome: "accepted"}, {Line: 4, Ref: "CT-3", Outcome: "accepted"},
		{Line: 5, Ref: "CT-4", Outcome: "accepted"},
		{Line: 6, Outcome: "refused", Errors: []string{`client_reference: not valid CSV (line 6, column 6): extraneous or missing " in quoted-field`}},
		{Line: 7, Ref: "CT-6", Outcome: "accepted"}}
	if !reflect.DeepEqual(rows, want) || accepted != 5 || refused != 1 || e.Count(`SELECT count(*) FROM debt_cases`) != 5 {
		t.Fatalf("after stored rows: %+v, %d accepted, %d refused", rows, accepted, refused)
	}
}

// Storing a batch can fail after the report began (here a trigger refuses one row, as an
// outage would refuse them all): the report cannot become a problem, so it goes on whole.
// The rows of that batch are refused as not stored, the rest of the file is read and refused
// the same way (a row with a fault of its own for that fault) and nothing of it is stored;
// the report ends with its counts. Sent again, the rows not stored are referred, those stored
// already referred.
func TestAFailureToStoreAfterTheReportBeganEndsItWhole(t *testing.T) {
	e := newEnv(t)
	tok := e.client("maidstone-council-tax")
	if _, err := e.DB.Exec(`CREATE FUNCTION refuse_ct_fail() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.client_reference = 'CT-FAIL' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER refuse_ct_fail BEFORE INSERT ON debt_cases FOR EACH ROW EXECUTE FUNCTION refuse_ct_fail()`); err != nil {
		t.Fatal(err)
	}
	var file strings.Builder
	file.WriteString(referralHeader)
	for _, ref := range []string{"CT-1", "CT-2", "CT-3", "CT-4", "CT-FAIL", "CT-6", "CT-7"} {
		fmt.Fprintf(&file, "%s,2026-01-10,LO-%s,Dora Debtor,1 High St,10000\n", ref, ref)
	}
	file.WriteString("CT-8,2026-01-10,LO-8,Dora Debtor,1 High St,12.50\nCT-9,2026-01-10,LO-9,Dora Debtor,1 High St,10000\n")
	notStored := ": not stored: the service failed storing the file from line 5 on; send this row again (a row already referred is reported, never created twice)"
	amount := "amount_pence: must be a whole number of pence (no decimal point, no currency sign)"
	rows, accepted, _, refused := reportOf(t, e.upload(tok, "text/csv", file.String(), ""))
	want := []reportRow{{Line: 2, Ref: "CT-1", Outcome: "accepted"}, {Line: 3, Ref: "CT-2", Outcome: "accepted"}, {Line: 4, Ref: "CT-3", Outcome: "accepted"},
		{Line: 5, Ref: "CT-4", Outcome: "refused", Errors: []string{notStored}}, {Line: 6, Ref: "CT-FAIL", Outcome: "refused", Errors: []string{notStored}},
		{Line: 7, Ref: "CT-6", Outcome: "refused", Errors: []string{notStored}}, {Line: 8, Ref: "CT-7", Outcome: "refused", Errors: []string{notStored}},
		{Line: 9, Ref: "CT-8", Outcome: "refused", Errors: []string{amount}}, {Line: 10, Ref: "CT-9", Outcome: "refused", Errors: []string{notStored}}}
	if !reflect.DeepEqual(rows, want) || accepted != 3 || refused != 6 {
		t.Fatalf("%+v, %d accepted, %d refused", rows, accepted, refused)
	}
	var refs []string
	if err := e.DB.Select(&refs, `SELECT client_reference FROM debt_cases ORDER BY client_reference`); err != nil || !reflect.DeepEqual(refs, []string{"CT-1", "CT-2", "CT-3"}) {
		t.Fatalf("stored %v %v", refs, err)
	}

	if _, err := e.DB.Exec(`DROP TRIGGER refuse_ct_fail ON debt_cases`); err != nil {
		t.Fatal(err)
	}
	rows, accepted, already, refused := reportOf(t, e.upload(tok, "text/csv", file.String(), ""))
	var outcomes []string
	for _, r := range rows {
		outcomes = append(outcomes, r.Outcome)
	}
	if !reflect.DeepEqual(outcomes, []string{"already_referred", "already_referred", "already_referred", "accepted", "accepted", "accepted", "accepted", "refused", "accepted"}) ||
		accepted != 5 || already != 3 || refused != 1 || e.Count(`SELECT count(*) FROM debt_cases`) != 8 {
		t.Fatalf("sent again: %+v", rows)
	}
}

// A byte order mark before a quoted header, as spreadsheet tools write a UTF-8 CSV, is taken
// off before the file is read: it is no part of the first column's name, nor a bare quote.
func TestAByteOrderMarkBeforeAQuotedHeaderIsNoPartOfIt(t *testing.T) {
	e := newEnv(t)
	file := "\ufeff\"client_reference\",\"order_date\",\"order_reference\",\"debtor_name\",\"address\",\"amount_pence\"\r\n" +
		"\"CT-1\",\"2026-01-10\",\"LO-1\",\"Dora Debtor\",\"1 High St\",\"10000\"\r\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", file, "")
	rows, accepted, _, _ := reportOf(t, r)
	if !reflect.DeepEqual(rows, []reportRow{{Line: 2, Ref: "CT-1", Outcome: "accepted"}}) || accepted != 1 {
		t.Fatalf("%+v", rows)
	}
	c := e.Must(200, "GET", "/cases/"+r.JSON(t)["rows"].([]any)[0].(map[string]any)["case_id"].(string), e.officer(), nil)
	if c["client_reference"] != "CT-1" || c["debt_pence"] != float64(10000) {
		t.Fatalf("stored as %v %v", c["client_reference"], c["debt_pence"])
	}
}
