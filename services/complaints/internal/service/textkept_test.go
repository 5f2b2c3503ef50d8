package service_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// The project's rule: what a client sends is stored exactly as sent, or refused with a 400
// naming the field; it is never silently changed. A probe of the running stack found free
// text trimmed, limits the contract states in characters counted in UTF-8 bytes, and a body
// limit (64 KiB) below what the contract allows.

// plain is a string escapedJSON writes as it is: a date, which calendar.Date and time.Time
// read without unescaping (see the report on this change).
type plain string

// escapedJSON is v as JSON with every character of every string, member names included,
// written as a \uXXXX escape (an astral character as its surrogate pair, 12 bytes): the
// largest form a body the contract allows can take.
func escapedJSON(v any) string {
	var b strings.Builder
	var write func(v any)
	str := func(s string) {
		b.WriteByte('"')
		const hex = "0123456789abcdef"
		for _, r := range s {
			for _, u := range utf16.Encode([]rune{r}) {
				b.WriteString(`\u`)
				b.Write([]byte{hex[u>>12], hex[u>>8&15], hex[u>>4&15], hex[u&15]})
			}
		}
		b.WriteByte('"')
	}
	write = func(v any) {
		switch v := v.(type) {
		case string:
			str(v)
		case plain:
			b.WriteString(`"` + string(v) + `"`)
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case int:
			b.WriteString(strconv.Itoa(v))
		case []string:
			write(anySlice(v))
		case []map[string]any:
			write(anySlice(v))
		case []any:
			b.WriteByte('[')
			for i, x := range v {
				if i > 0 {
					b.WriteByte(',')
				}
				write(x)
			}
			b.WriteByte(']')
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				str(k)
				b.WriteByte(':')
				write(v[k])
			}
			b.WriteByte('}')
		default:
			panic(fmt.Sprintf("escapedJSON: %T", v))
		}
	}
	write(v)
	return b.String()
}

func anySlice[T any](s []T) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// TestFreeTextIsStoredExactlyAsSent: the probe's examples. Names, addresses, reasons and
// notes keep the white space they came with (they were trimmed); an identifier a person
// types is refused naming the field when white space surrounds it, never trimmed.
func TestFreeTextIsStoredExactlyAsSent(t *testing.T) {
	e := newEnv(t)
	alice, bob, lucy, mina := e.officer("alice"), e.officer("bob"), e.lgo("lucy"), e.manager("mina")
	const name, address = "  Ada Lovelace\t", "\u00a01 High Street\r\n"
	body := aComplaint()
	body["complainant"] = map[string]any{"name": name, "address": address, "email": "ada@example.org"}
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id, p := c["id"].(string), "/complaints/"+c["id"].(string)
	got := e.Must(http.StatusOK, "GET", p, alice, nil)
	if who := got["complainant"].(map[string]any); who["name"] != name || who["address"] != address || got["details"] != body["details"] {
		t.Fatalf("complainant %q, details %q", who, got["details"])
	}
	var stored struct{ Name, Address string }
	if err := e.DB.Get(&stored, `SELECT name, address FROM complaint_personal_data WHERE complaint_id = $1`, id); err != nil ||
		stored.Name != name || stored.Address != address {
		t.Fatalf("stored %q (%v)", stored, err)
	}
	// Kept as sent, the complainant is still found by their name, as rights searches match.
	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-t", Identifiers: rights.Identifiers{Name: "ada lovelace"}})
	if len(found.Candidates) != 1 || found.Candidates[0].RecordID != id || !slices.Equal(found.Candidates[0].Matched, []string{"name"}) {
		t.Fatalf("found by name: %+v", found.Candidates)
	}

	// The close reason of the probe, on a complaint withdrawn before any response.
	withdrawn := "/complaints/" + e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", withdrawn+"/close", alice, map[string]any{"reason": "  withdrawn by phone  "})
	if got := e.Must(http.StatusOK, "GET", withdrawn, alice, nil)["closure_reason"]; got != "  withdrawn by phone  " {
		t.Errorf("closure_reason %q", got)
	}

	// Every other reason and note, through to the Ombudsman's stage and a legal hold.
	e.Must(http.StatusOK, "POST", p+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", p+"/extend", alice, map[string]any{"working_days": 5, "reason": " awaiting the crew's report\n"})
	e.Must(http.StatusOK, "POST", p+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "\tFault found. ", "remedies": []string{" apology "}})
	e.Must(http.StatusOK, "POST", p+"/escalate", alice, map[string]any{"further_details": " Still missed.\n", "handler": "bob"})
	e.Must(http.StatusOK, "POST", p+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", p+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})
	e.RefusesBadInput(t, alice, []testkit.BadInput{
		{Name: "an Ombudsman's reference with white space around it", Method: "POST", Path: p + "/lgo/referral",
			Body:   map[string]any{"lgo_reference": " 25 012 345 ", "first_knew_on": "2026-02-20", "process_completed": true},
			Status: 400, Problem: "validation", Pointers: []string{"/lgo_reference"}, Check: detailIs("must not begin or end with white space")},
		{Name: "an e-mail address with white space around it", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["complainant"].(map[string]any)["email"] = "ada@example.org\n" }),
			Status: 400, Problem: "validation", Pointers: []string{"/complainant/email"}, Check: detailIs("must not begin or end with white space")},
		{Name: "a phone number with white space around it", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["complainant"].(map[string]any)["phone"] = " 01622 000111" }),
			Status: 400, Problem: "validation", Pointers: []string{"/complainant/phone"}, Check: detailIs("must not begin or end with white space")},
		{Name: "a stage 1 handler with white space around it", Method: "POST", Path: "/complaints",
			Body:   validBodyWith(func(m map[string]any) { m["handler"] = "bob " }),
			Status: 400, Problem: "validation", Pointers: []string{"/handler"}, Check: detailIs("must not begin or end with white space")},
	})
	e.Must(http.StatusOK, "POST", p+"/lgo/referral", alice, map[string]any{"lgo_reference": "25 012 345", "first_knew_on": "2026-02-20",
		"process_completed": true, "details": " Fridays still missed. "})
	e.Must(http.StatusOK, "POST", p+"/lgo/necessity", lucy, map[string]any{"reason": " The Ombudsman asked about the ramp.\n"})
	e.Must(http.StatusOK, "POST", p+"/lgo/enquiries", lucy, map[string]any{"questions": " Send the file. ", "response_due_on": "2026-03-20"})
	e.Must(http.StatusCreated, "POST", p+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": []string{" Stage 2 letter "}})
	e.Must(http.StatusOK, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "upheld_fault_injustice", "decided_on": "2026-03-02",
		"summary": " Fault. ", "remedies": []any{map[string]any{"description": " Apologise. ", "due_on": "2026-03-30"}}})
	e.Must(http.StatusOK, "POST", p+"/lgo/remedies/1/compliance", lucy, map[string]any{"note": "  letter sent  "})
	e.Must(http.StatusOK, "PUT", p+"/legal-hold", mina, map[string]any{"reason": "  civil claim pending\n"})

	got = e.Must(http.StatusOK, "GET", p, mina, nil)
	s3 := got["stage3"].(map[string]any)
	responses := got["responses"].([]any)
	for what, pair := range map[string][2]any{
		"extension reason":      {deadlineOf(t, got, 1, "respond")["computation"].(map[string]any)["extensions"].([]any)[0].(map[string]any)["reason"], " awaiting the crew's report\n"},
		"stage 1 summary":       {responses[0].(map[string]any)["summary"], "\tFault found. "},
		"stage 1 remedy":        {responses[0].(map[string]any)["remedies"].([]any)[0], " apology "},
		"further details":       {got["stage2_details"], " Still missed.\n"},
		"referral details":      {s3["details"], " Fridays still missed. "},
		"necessity reason":      {s3["necessity"].(map[string]any)["reason"], " The Ombudsman asked about the ramp.\n"},
		"Ombudsman's questions": {s3["enquiries"].([]any)[0].(map[string]any)["questions"], " Send the file. "},
		"document title":        {s3["enquiries"].([]any)[0].(map[string]any)["documents"].([]any)[0], " Stage 2 letter "},
		"decision summary":      {s3["decision"].(map[string]any)["summary"], " Fault. "},
		"Ombudsman's remedy":    {s3["remedies"].([]any)[0].(map[string]any)["description"], " Apologise. "},
		"compliance note":       {s3["remedies"].([]any)[0].(map[string]any)["note"], "  letter sent  "},
		"legal hold reason":     {got["legal_hold"].(map[string]any)["reason"], "  civil claim pending\n"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: stored %q, sent %q", what, pair[0], pair[1])
		}
	}
}

// detailIs checks the one error's detail.
func detailIs(want string) func(t *testing.T, _ testkit.Response, p map[string]any) {
	return func(t *testing.T, _ testkit.Response, p map[string]any) {
		t.Helper()
		if errs, _ := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["detail"] != want {
			t.Fatalf("errors %v, want one with detail %q", p["errors"], want)
		}
	}
}

// TestLengthsAreCountedInCharactersAsTheContractCountsThem: the contract's maxLength counts
// characters (JSON Schema: code points), and so does the service. Each text below is within
// its limit in characters and over it in UTF-8 bytes ("é" is 2 bytes, "😀" 4): each was
// refused.
func TestLengthsAreCountedInCharactersAsTheContractCountsThem(t *testing.T) {
	e := newEnv(t)
	alice, bob, lucy, mina := e.officer("alice"), e.officer("bob"), e.lgo("lucy"), e.manager("mina")
	é, smile := func(n int) string { return strings.Repeat("é", n) }, func(n int) string { return strings.Repeat("😀", n) }
	logged := func(details string) map[string]any {
		return e.Must(http.StatusCreated, "POST", "/complaints", alice, validBody(func(m map[string]any) { m["details"] = details }))
	}
	for _, details := range []string{é(10001), smile(5001), é(20000), smile(20000)} {
		c := logged(details)
		if got := e.Must(http.StatusOK, "GET", "/complaints/"+c["id"].(string), alice, nil)["details"]; got != details {
			t.Fatalf("details of %d characters stored as %d", len([]rune(details)), len([]rune(got.(string))))
		}
	}
	e.RefusesBadInput(t, alice, []testkit.BadInput{{Name: "details of 20001 characters", Method: "POST", Path: "/complaints",
		Body: validBodyWith(func(m map[string]any) { m["details"] = é(20001) }), Status: 400, Problem: "validation", Pointers: []string{"/details"}}})

	withdrawn := "/complaints/" + logged("Bins.")["id"].(string)
	e.Must(http.StatusOK, "POST", withdrawn+"/close", alice, map[string]any{"reason": é(1001)})
	p := "/complaints/" + logged("Bins.")["id"].(string)
	e.Must(http.StatusOK, "POST", p+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", p+"/extend", alice, map[string]any{"working_days": 5, "reason": é(1001)})
	e.Must(http.StatusOK, "POST", p+"/respond", alice, map[string]any{"outcome": "upheld", "summary": smile(5001), "remedies": []string{é(1001)}})
	e.Must(http.StatusOK, "POST", p+"/escalate", alice, map[string]any{"further_details": smile(5001), "handler": "bob"})
	e.Must(http.StatusOK, "POST", p+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", p+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})
	e.Must(http.StatusOK, "POST", p+"/lgo/referral", alice, map[string]any{"lgo_reference": é(51), "first_knew_on": "2026-02-20",
		"process_completed": true, "details": smile(5001)})
	e.Must(http.StatusOK, "POST", p+"/lgo/necessity", lucy, map[string]any{"reason": é(1001)})
	e.Must(http.StatusOK, "POST", p+"/lgo/enquiries", lucy, map[string]any{"questions": smile(5001), "response_due_on": "2026-03-20"})
	e.Must(http.StatusCreated, "POST", p+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": []string{é(151)}})
	e.Must(http.StatusOK, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "upheld_fault_injustice", "decided_on": "2026-03-02",
		"summary": smile(5001), "remedies": []any{map[string]any{"description": é(1001), "due_on": "2026-03-30"}}})
	e.Must(http.StatusOK, "POST", p+"/lgo/remedies/1/compliance", lucy, map[string]any{"note": é(1001)})
	e.Must(http.StatusOK, "PUT", p+"/legal-hold", mina, map[string]any{"reason": é(1001)})

	got := e.Must(http.StatusOK, "GET", p, mina, nil)
	s3 := got["stage3"].(map[string]any)
	enquiry, remedy := s3["enquiries"].([]any)[0].(map[string]any), s3["remedies"].([]any)[0].(map[string]any)
	stage1 := got["responses"].([]any)[0].(map[string]any)
	for what, pair := range map[string][2]any{
		"close reason":          {e.Must(http.StatusOK, "GET", withdrawn, alice, nil)["closure_reason"], é(1001)},
		"extension reason":      {deadlineOf(t, got, 1, "respond")["computation"].(map[string]any)["extensions"].([]any)[0].(map[string]any)["reason"], é(1001)},
		"stage 1 summary":       {stage1["summary"], smile(5001)},
		"stage 1 remedy":        {stage1["remedies"].([]any)[0], é(1001)},
		"further details":       {got["stage2_details"], smile(5001)},
		"Ombudsman's reference": {s3["lgo_reference"], é(51)},
		"referral details":      {s3["details"], smile(5001)},
		"necessity reason":      {s3["necessity"].(map[string]any)["reason"], é(1001)},
		"Ombudsman's questions": {enquiry["questions"], smile(5001)},
		"document title":        {enquiry["documents"].([]any)[0], é(151)},
		"decision summary":      {s3["decision"].(map[string]any)["summary"], smile(5001)},
		"Ombudsman's remedy":    {remedy["description"], é(1001)},
		"compliance note":       {remedy["note"], é(1001)},
		"legal hold reason":     {got["legal_hold"].(map[string]any)["reason"], é(1001)},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: stored %d characters, sent %d", what, len([]rune(fmt.Sprint(pair[0]))), len([]rune(pair[1].(string))))
		}
	}
}

// TestBlankRequiredTextIsRefusedNamingTheField: text the contract requires (minLength 1)
// is refused with a 400 naming it when it is white space alone, on every route, and
// nothing changes.
func TestBlankRequiredTextIsRefusedNamingTheField(t *testing.T) {
	e := newEnv(t)
	alice, bob, lucy := e.officer("alice"), e.officer("bob"), e.lgo("lucy")
	const blank = " \t\r\n\u00a0"
	newComplaint := func() string {
		return "/complaints/" + e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	}
	logged, acked, responded := newComplaint(), newComplaint(), newComplaint()
	for _, p := range []string{acked, responded} {
		e.Must(http.StatusOK, "POST", p+"/acknowledge", alice, nil)
	}
	e.Must(http.StatusOK, "POST", responded+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "Fault found."})
	referred, enquired := newComplaint(), newComplaint()
	for _, p := range []string{referred, enquired} {
		e.Must(http.StatusOK, "POST", p+"/acknowledge", alice, nil)
		e.Must(http.StatusOK, "POST", p+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "Fault found."})
		e.Must(http.StatusOK, "POST", p+"/escalate", alice, map[string]any{"further_details": "Still missed.", "handler": "bob"})
		e.Must(http.StatusOK, "POST", p+"/acknowledge", bob, nil)
		e.Must(http.StatusOK, "POST", p+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})
		e.Must(http.StatusOK, "POST", p+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
	}
	e.Must(http.StatusOK, "POST", enquired+"/lgo/enquiries", lucy, map[string]any{"questions": "Send the file.", "response_due_on": "2026-03-20"})

	bad := func(name, method, path string, body any, pointer string) testkit.BadInput {
		return testkit.BadInput{Name: name, Method: method, Path: path, Body: body, Status: 400, Problem: "validation", Pointers: []string{pointer}}
	}
	e.RefusesBadInput(t, alice, []testkit.BadInput{
		bad("complainant's name", "POST", "/complaints", validBodyWith(func(m map[string]any) { m["complainant"].(map[string]any)["name"] = blank }), "/complainant/name"),
		bad("details", "POST", "/complaints", validBodyWith(func(m map[string]any) { m["details"] = blank }), "/details"),
		bad("extension reason", "POST", acked+"/extend", map[string]any{"working_days": 5, "reason": blank}, "/reason"),
		bad("response summary", "POST", acked+"/respond", map[string]any{"outcome": "upheld", "summary": blank}, "/summary"),
		bad("a remedy", "POST", acked+"/respond", map[string]any{"outcome": "upheld", "summary": "Fault.", "remedies": []string{"apology", blank}}, "/remedies/1"),
		bad("further details", "POST", responded+"/escalate", map[string]any{"further_details": blank, "handler": "bob"}, "/further_details"),
		bad("stage 2 handler", "POST", responded+"/escalate", map[string]any{"further_details": "Still missed.", "handler": blank}, "/handler"),
		bad("close reason before a response", "POST", logged+"/close", map[string]any{"reason": blank}, "/reason"),
		bad("Ombudsman's reference", "POST", responded+"/lgo/referral", map[string]any{"lgo_reference": blank, "first_knew_on": "2026-02-20", "process_completed": true}, "/lgo_reference"),
	})
	e.RefusesBadInput(t, lucy, []testkit.BadInput{
		bad("necessity reason", "POST", referred+"/lgo/necessity", map[string]any{"reason": blank}, "/reason"),
		bad("Ombudsman's questions", "POST", referred+"/lgo/enquiries", map[string]any{"questions": blank, "response_due_on": "2026-03-20"}, "/questions"),
		bad("a document title", "POST", enquired+"/lgo/enquiries/1/response", map[string]any{"documents": []string{"Stage 2 letter", blank}}, "/documents/1"),
		bad("decision summary", "POST", referred+"/lgo/decision", map[string]any{"outcome": "not_upheld", "decided_on": "2026-03-02", "summary": blank}, "/summary"),
		bad("an Ombudsman's remedy", "POST", referred+"/lgo/decision", map[string]any{"outcome": "upheld_fault_injustice", "decided_on": "2026-03-02",
			"summary": "Fault.", "remedies": []any{map[string]any{"description": blank, "due_on": "2026-03-30"}}}, "/remedies/0/description"),
	})
	e.RefusesBadInput(t, e.manager("mina"), []testkit.BadInput{
		bad("legal hold reason", "PUT", logged+"/legal-hold", map[string]any{"reason": blank}, "/reason"),
	})
}

// TestTheContractsLargestBodiesAreAccepted: every string at its maxLength, written with
// every character escaped (an astral character is 12 bytes), member names too. The largest
// the contract allows, an Ombudsman's decision, is about 722 KB; each of these was over the
// old 64 KiB limit and refused 413. What each carried is stored exactly.
func TestTheContractsLargestBodiesAreAccepted(t *testing.T) {
	e := newEnv(t)
	alice, bob, lucy := e.officer("alice"), e.officer("bob"), e.lgo("lucy")
	smile := func(n int) string { return strings.Repeat("😀", n) }
	smiles := func(items, n int) []string {
		out := make([]string, items)
		for i := range out {
			out[i] = smile(n-1) + string(rune('a'+i%26)) // distinct, in case order or identity matters
		}
		return out
	}
	send := func(status int, method, path, token string, body map[string]any) map[string]any {
		t.Helper()
		raw := escapedJSON(body)
		if len(raw) <= 64<<10 { // the old limit
			t.Fatalf("%s %s: a body of %d bytes shows nothing here", method, path, len(raw))
		}
		t.Logf("%s %s: %d bytes", method, path, len(raw))
		return e.Must(status, method, path, token, raw)
	}

	complainant := map[string]any{"name": smile(200), "address": smile(1000), "phone": smile(50), "email": "ada@example.org"}
	c := send(http.StatusCreated, "POST", "/complaints", alice, map[string]any{"complainant": complainant, "details": smile(20000),
		"special_details": smile(20000), "service": "waste", "channel": "social_media", "received_at": plain("2026-03-02T09:00:00Z"),
		"anonymity_requested": false, "handler": smile(200), "consent_to": []string{"kent-county-council"}})
	p := "/complaints/" + c["id"].(string)
	got := e.Must(http.StatusOK, "GET", p, alice, nil)
	if !reflect.DeepEqual(got["complainant"], complainant) || got["details"] != smile(20000) || got["special_details"] != smile(20000) ||
		got["handlers"].(map[string]any)["stage1"] != smile(200) {
		t.Fatalf("the largest complaint was not stored as sent")
	}

	e.Must(http.StatusOK, "POST", p+"/acknowledge", alice, nil)
	remedies := smiles(20, 2000)
	send(http.StatusOK, "POST", p+"/respond", alice, map[string]any{"outcome": "upheld", "summary": smile(20000), "remedies": remedies})
	send(http.StatusOK, "POST", p+"/escalate", alice, map[string]any{"further_details": smile(20000), "handler": "bob",
		"received_at": plain("2026-03-02T10:00:00Z")})
	e.Must(http.StatusOK, "POST", p+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", p+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})
	send(http.StatusOK, "POST", p+"/lgo/referral", alice, map[string]any{"lgo_reference": smile(100), "first_knew_on": plain("2026-02-20"),
		"process_completed": true, "details": smile(20000)})
	send(http.StatusOK, "POST", p+"/lgo/enquiries", lucy, map[string]any{"questions": smile(20000), "response_due_on": plain("2026-03-20")})
	documents := smiles(100, 300)
	send(http.StatusCreated, "POST", p+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": documents})
	lgoRemedies, descriptions := make([]any, 20), smiles(20, 2000)
	for i := range lgoRemedies {
		lgoRemedies[i] = map[string]any{"description": descriptions[i], "due_on": plain("2026-03-30")}
	}
	send(http.StatusOK, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "upheld_fault_injustice", "decided_on": plain("2026-03-02"),
		"summary": smile(20000), "remedies": lgoRemedies})

	got = e.Must(http.StatusOK, "GET", p, alice, nil)
	stage1, s3 := got["responses"].([]any)[0].(map[string]any), got["stage3"].(map[string]any)
	if stage1["summary"] != smile(20000) || !reflect.DeepEqual(stage1["remedies"], anySlice(remedies)) || got["stage2_details"] != smile(20000) {
		t.Errorf("the largest response or escalation was not stored as sent")
	}
	enquiry, decision := s3["enquiries"].([]any)[0].(map[string]any), s3["decision"].(map[string]any)
	if s3["lgo_reference"] != smile(100) || s3["details"] != smile(20000) || enquiry["questions"] != smile(20000) ||
		!reflect.DeepEqual(enquiry["documents"], anySlice(documents)) || decision["summary"] != smile(20000) {
		t.Errorf("the largest stage 3 texts were not stored as sent")
	}
	for i, r := range s3["remedies"].([]any) {
		if r.(map[string]any)["description"] != descriptions[i] {
			t.Errorf("remedy %d not stored as sent", i+1)
		}
	}
}

// A name or an address sent in one Unicode form of its accented letters (here decomposed:
// "e" and a combining diaeresis, as some devices send it) is kept exactly as sent, and a
// subject access search typed in the other form still finds it: the search and its indexes
// compare one form (migration 00011).
func TestRightsSearchFindsEitherUnicodeForm(t *testing.T) {
	e := newEnv(t)
	const name, address = "Zoe\u0308 Bro\u0308nte", "1 Rue E\u0301lise, Maidstone ME14 1AA"
	body := aComplaint()
	body["complainant"] = map[string]any{"name": name, "address": address}
	id := e.Must(http.StatusCreated, "POST", "/complaints", e.officer("alice"), body)["id"].(string)
	var stored struct{ Name, Address string }
	if err := e.DB.Get(&stored, `SELECT name, address FROM complaint_personal_data WHERE complaint_id = $1`, id); err != nil ||
		stored.Name != name || stored.Address != address {
		t.Fatalf("stored %q (%v)", stored, err)
	}
	for _, tc := range []struct {
		who     rights.Identifiers
		matched []string
	}{
		{rights.Identifiers{Name: "Zo\u00eb Br\u00f6nte"}, []string{"name"}},
		{rights.Identifiers{Address: "1 Rue \u00c9lise, Maidstone ME14 1AA"}, []string{"address"}},
		{rights.Identifiers{Name: "zo\u00eb\u00a0br\u00f6nte", Postcode: "ME14 1AA"}, []string{"name", "postcode"}},
	} {
		found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-u", Identifiers: tc.who})
		if len(found.Candidates) != 1 || found.Candidates[0].RecordID != id || !slices.Equal(found.Candidates[0].Matched, tc.matched) {
			t.Errorf("%+v found %+v, want the complaint matched by %v", tc.who, found.Candidates, tc.matched)
		}
	}
}
