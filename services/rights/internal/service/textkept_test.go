package service_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/service"
)

// The project's rule: what a client sends is stored exactly as sent, or refused with a 400
// naming the field; it is never silently changed. A probe of the running stack found a
// refusal's reasons trimmed, blank text taken for text, and a body limit (64 KiB) below what
// the contract allows.

// plain is a string escapedJSON writes as it is: a date or a time, which calendar.Date and
// time.Time read without unescaping.
type plain string

// escapedJSON is v as JSON with every character of every string, member names included,
// written as a \uXXXX escape (an astral character as its surrogate pair, 12 bytes): the
// largest form a body the contract allows can take.
func escapedJSON(v any) string {
	var b strings.Builder
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
	var write func(v any)
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

// asJSON is v as encoding/json gives it back: what a GET should show of a body sent.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBlankRequiredTextIsRefusedNamingTheField: text the contract requires (minLength 1),
// or that the record needs where it is given, is refused with a 400 naming it when it is
// white space alone, and nothing changes. Several were taken for text (a blank identity
// method recorded the identity as checked; a blank address or phone counted as a way to
// reply or an identifier), and others were named by another field.
func TestBlankRequiredTextIsRefusedNamingTheField(t *testing.T) {
	e := newEnv(t)
	olly, dora := e.officer(), e.dpo()
	const blank = " \t\r\n\u00a0"
	req := "/requests/" + e.Must(201, "POST", "/requests", olly, anAccessRequest("access"))["id"].(string)
	unverified := anAccessRequest("access")
	delete(unverified, "identity_method")
	awaiting := "/requests/" + e.Must(201, "POST", "/requests", olly, unverified)["id"].(string)
	br := "/breaches/" + e.Must(201, "POST", "/breaches", olly, aBreach())["id"].(string)
	assessed := "/breaches/" + e.Must(201, "POST", "/breaches", olly, aBreach())["id"].(string)
	e.Must(200, "POST", assessed+"/assessment", dora, map[string]any{"reportable": true, "reason": "Her address reached the neighbour.",
		"high_risk": false, "tell_people": false})
	asked := anFOI()
	asked["received_at"] = "2026-03-02T09:00:00Z"
	foi := "/foi/" + e.Must(201, "POST", "/foi", olly, asked)["id"].(string)

	request := func(change func(b map[string]any)) map[string]any {
		b := anAccessRequest("access")
		change(b)
		return b
	}
	on := func(b map[string]any, path ...string) map[string]any {
		for _, p := range path {
			b = b[p].(map[string]any)
		}
		return b
	}
	breach := func(change func(b map[string]any)) map[string]any {
		b := aBreach()
		change(b)
		return b
	}
	newFOI := func(field string, value any) map[string]any {
		b := anFOI()
		b["received_at"] = "2026-03-02T09:00:00Z"
		b[field] = value
		return b
	}
	withheld := func(pi map[string]any) map[string]any {
		return map[string]any{"publish": false, "parts": []map[string]any{{"description": "the contract's cost", "outcome": "withheld",
			"exemption": "s43", "public_interest": pi}}}
	}
	test := map[string]any{"for_disclosure": "transparency", "for_withholding": "the tender is open", "favours_withholding": true,
		"conclusion": "withhold"}
	testWith := func(field string) map[string]any {
		pi := map[string]any{}
		for k, v := range test {
			pi[k] = v
		}
		pi[field] = blank
		return pi
	}
	bad := func(name, path string, body any, pointer string) testkit.BadInput {
		return testkit.BadInput{Name: name, Method: "POST", Path: path, Body: body, Status: 400, Problem: "validation", Pointers: []string{pointer}}
	}
	e.RefusesBadInput(t, olly, []testkit.BadInput{
		// A new request.
		bad("requester's name", "/requests", request(func(b map[string]any) { on(b, "requester")["name"] = blank }), "/requester/name"),
		bad("subject's name", "/requests", request(func(b map[string]any) { on(b, "subject")["name"] = blank }), "/subject/name"),
		bad("a blank address as the only way to answer", "/requests", request(func(b map[string]any) {
			b["requester"] = map[string]any{"name": "Ann Applicant", "address": blank}
		}), "/requester"),
		bad("blank identifiers as the only ones", "/requests", request(func(b map[string]any) {
			b["subject"] = map[string]any{"name": "Ann Applicant", "phone": blank, "address": blank, "postcode": blank}
		}), "/subject"),
		bad("a subject's reference", "/requests", request(func(b map[string]any) { on(b, "subject")["references"] = []string{"CMP-2026-000007", blank} }),
			"/subject/references/1"),
		bad("identity method", "/requests", request(func(b map[string]any) { b["identity_method"] = blank }), "/identity_method"),
		bad("representative's name", "/requests", request(func(b map[string]any) {
			b["requester"] = map[string]any{"name": "Rita Rep", "email": "rita@example.org"}
			b["representative"] = map[string]any{"name": blank}
		}), "/representative/name"),
		bad("representative's authority", "/requests", request(func(b map[string]any) {
			b["requester"] = map[string]any{"name": "Rita Rep", "email": "rita@example.org"}
			b["representative"] = map[string]any{"name": "Rita Rep", "authority": blank}
		}), "/representative/authority"),
		bad("rectified value", "/requests", func() map[string]any {
			b := anAccessRequest("rectification")
			on(b, "rectification")["value"] = blank
			return b
		}(), "/rectification/value"),
		// A request's steps.
		bad("identity method on restart", awaiting+"/clock/restart", map[string]any{"received_at": "2026-03-02T09:30:00Z", "identity_method": blank}, "/identity_method"),
		bad("extension reason", req+"/extend", map[string]any{"months": 1, "reason": blank, "told_on": "2026-03-02", "told_how": "email"}, "/reason"),
		// A breach.
		bad("breach's nature", "/breaches", breach(func(b map[string]any) { b["nature"] = blank }), "/nature"),
		bad("reporter's name", "/breaches", breach(func(b map[string]any) { on(b, "reported_by")["name"] = blank }), "/reported_by/name"),
		bad("an affected person's name", "/breaches", breach(func(b map[string]any) {
			b["affected_contacts"] = []map[string]any{{"name": "Carla Complainant"}, {"name": blank, "address": "4 Mill Lane"}}
		}), "/affected_contacts/1/name"),
		// An FOI request.
		bad("FOI requester's name", "/foi", newFOI("requester", map[string]any{"name": blank, "email": "fred@example.org"}), "/requester/name"),
		bad("FOI requester's blank address as the only one", "/foi", newFOI("requester", map[string]any{"name": "Fred Asker", "address": blank}), "/requester"),
		bad("FOI details (named as the summary)", "/foi", newFOI("details", blank), "/details"),
		bad("FOI summary", "/foi", newFOI("summary", blank), "/summary"),
		bad("regime reason", foi+"/regime", map[string]any{"regime": "eir", "reason": blank}, "/reason"),
		bad("FOI extension reason", foi+"/extend", map[string]any{"reason": blank}, "/reason"),
		bad("a part's description", foi+"/respond", map[string]any{"publish": false, "parts": []map[string]any{{"description": blank, "outcome": "released"}}},
			"/parts/0/description"),
		bad("the public interest in disclosure", foi+"/respond", withheld(testWith("for_disclosure")), "/parts/0/public_interest/for_disclosure"),
		bad("the public interest in withholding", foi+"/respond", withheld(testWith("for_withholding")), "/parts/0/public_interest/for_withholding"),
		bad("the public interest test's conclusion", foi+"/respond", withheld(testWith("conclusion")), "/parts/0/public_interest/conclusion"),
	})
	e.RefusesBadInput(t, dora, []testkit.BadInput{
		bad("refusal reasons", req+"/refuse", map[string]any{"ground": "manifestly_excessive", "reasons": blank}, "/reasons"),
		bad("assessment reason", br+"/assessment", map[string]any{"reportable": true, "reason": blank, "high_risk": false, "tell_people": false}, "/reason"),
		bad("why people are or are not told", br+"/assessment", map[string]any{"reportable": true, "reason": "r", "high_risk": true, "tell_people": false,
			"tell_reason": blank}, "/tell_reason"),
		bad("a report's consequences (named as the measures)", assessed+"/report", map[string]any{"consequences": blank, "measures": "Post checks added."}, "/consequences"),
		bad("a report's measures", assessed+"/report", map[string]any{"consequences": "Risk of harassment.", "measures": blank}, "/measures"),
	})
}

// TestTheContractsLargestBodiesAreAccepted: every string at its maxLength and every array
// at its maxItems, written with every character escaped (an astral character is 12 bytes),
// member names too, is admitted and stored exactly as sent; the probe's examples (an FOI
// request of 20000 "😀", a request of 10000 "😀" escaped) were refused 413. The largest,
// an FOI response of 100 parts (20 MB), sets the service's limit (service.MaxBodyBytes).
func TestTheContractsLargestBodiesAreAccepted(t *testing.T) {
	e := newEnv(t)
	olly := e.officer()
	smile := func(n int) string { return strings.Repeat("😀", n) }
	// distinct is n characters, different for each i (names are compared, references kept apart).
	distinct := func(n, i int) string { return smile(n-4) + fmt.Sprintf("%04d", i) }
	// email254 is the longest e-mail address the contract's format allows (254 characters).
	email254 := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".uk"
	send := func(path string, body map[string]any) map[string]any {
		t.Helper()
		raw := escapedJSON(body)
		if len(raw) <= 64<<10 { // the old limit
			t.Fatalf("POST %s: a body of %d bytes shows nothing here", path, len(raw))
		}
		t.Logf("POST %s: %d bytes (the limit is %d)", path, len(raw), service.MaxBodyBytes)
		return e.Must(201, "POST", path, olly, raw)
	}

	// The probe's FOI request, as any client sends it: 20000 "😀" in UTF-8 (80 KB).
	asked := anFOI()
	asked["received_at"] = "2026-03-02T09:00:00Z"
	asked["details"] = smile(20000)
	f := e.Must(201, "POST", "/foi", olly, asked)
	if got := e.Must(200, "GET", "/foi/"+f["id"].(string), olly, nil)["details"]; got != smile(20000) {
		t.Fatalf("FOI details stored as %d characters", len([]rune(got.(string))))
	}

	// The largest request: every field at its maxLength, the details 10000 "😀" escaped (the
	// probe's), asked by a representative for the person.
	references := make([]string, 20)
	for i := range references {
		references[i] = distinct(50, i)
	}
	requester := map[string]any{"name": distinct(200, 1), "email": email254, "phone": smile(50), "address": smile(500)}
	subject := map[string]any{"name": distinct(200, 2), "email": email254, "phone": smile(50), "address": smile(500), "postcode": smile(10),
		"date_of_birth": plain("1970-01-01"), "references": references}
	representative := map[string]any{"name": distinct(200, 1), "organisation": smile(200), "authority": smile(500)}
	r := send("/requests", map[string]any{"kind": "rectification", "received_at": plain("2026-03-02T09:00:00Z"), "requester": requester,
		"subject": subject, "representative": representative, "identity_method": smile(500), "details": smile(10000),
		"rectification": map[string]any{"field": "address", "value": smile(500)}})
	got := e.Must(200, "GET", "/requests/"+r["id"].(string), olly, nil)
	subject["date_of_birth"] = "1970-01-01"
	for what, pair := range map[string][2]any{
		"requester":       {got["requester"], asJSON(t, requester)},
		"subject":         {got["subject"], asJSON(t, subject)},
		"representative":  {got["representative"], asJSON(t, representative)},
		"identity method": {got["identity"].(map[string]any)["method"], smile(500)},
		"details":         {got["details"], smile(10000)},
		"rectification":   {got["rectification"], map[string]any{"field": "address", "value": smile(500)}},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s not stored as sent", what)
		}
	}

	// The largest FOI response: 100 parts, each withheld with the public interest test at
	// its maxLengths.
	foi := "/foi/" + f["id"].(string)
	parts := make([]map[string]any, 100)
	for i := range parts {
		parts[i] = map[string]any{"description": distinct(2000, i), "outcome": "withheld", "exemption": "s43", "public_interest": map[string]any{
			"for_disclosure": smile(5000), "for_withholding": smile(5000), "favours_withholding": true, "conclusion": smile(5000)}}
	}
	raw := escapedJSON(map[string]any{"publish": false, "parts": parts})
	t.Logf("POST %s/respond: %d bytes", foi, len(raw))
	e.Must(200, "POST", foi+"/respond", olly, raw)
	if got := e.Must(200, "GET", foi, olly, nil)["parts"]; !reflect.DeepEqual(got, asJSON(t, parts)) {
		t.Errorf("the FOI response's parts were not stored as sent")
	}

	// The largest breach: 1,000 people to tell (the contract's maxItems), each at the
	// maxLengths; one more is refused naming the list.
	contacts := make([]map[string]any, 1000)
	for i := range contacts {
		contacts[i] = map[string]any{"name": distinct(200, i), "email": email254, "phone": smile(50), "address": smile(500)}
	}
	reporter := map[string]any{"name": smile(200), "email": email254, "phone": smile(50), "address": smile(500)}
	categories := []string{"identity", "contact", "financial", "health", "criminal_offence", "special_category", "children", "location",
		"identification_documents", "other"}
	b := send("/breaches", map[string]any{"confirmed": true, "discovered_at": plain("2026-02-27T15:00:00Z"), "aware_at": plain("2026-02-27T15:30:00Z"),
		"nature": smile(5000), "released": smile(5000), "released_to": smile(500), "categories_affected": categories,
		"people_affected": 2147483647, "records_affected": 2147483647, "reported_by": reporter, "affected_contacts": contacts})
	e.RefusesBadInput(t, olly, []testkit.BadInput{{Name: "1,001 people to tell", Method: "POST", Path: "/breaches",
		Body: func() map[string]any {
			over := aBreach()
			over["affected_contacts"] = append(slices.Repeat([]map[string]any{{"name": "Carla Complainant"}}, 1000), map[string]any{"name": "Dan"})
			return over
		}(), Status: 400, Problem: "validation", Pointers: []string{"/affected_contacts"}}})
	got = e.Must(200, "GET", "/breaches/"+b["id"].(string), olly, nil)
	if !reflect.DeepEqual(got["affected_contacts"], asJSON(t, contacts)) || !reflect.DeepEqual(got["reported_by"], asJSON(t, reporter)) ||
		got["nature"] != smile(5000) || got["released"] != smile(5000) || got["released_to"] != smile(500) ||
		!reflect.DeepEqual(got["categories_affected"], anySlice(categories)) {
		t.Errorf("the largest breach was not stored as sent")
	}
}
