package service_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// candidatesOf are the request's candidates found in service.
func candidatesOf(r map[string]any, service string) []rights.Candidate {
	var out []rights.Candidate
	for _, c := range r["candidates"].([]any) {
		if c.(map[string]any)["service"] != service {
			continue
		}
		raw, _ := json.Marshal(c)
		var cand rights.Candidate
		_ = json.Unmarshal(raw, &cand)
		out = append(out, cand)
	}
	return out
}

// The rights service answers for its own records as every service does: a person's earlier
// rights requests (as the requester, or as the subject when someone else asked for them) and
// their FOI/EIR requests are candidates of a new request, never the new request itself. The
// export gives what the person gave and how the request went, and leaves out who else is in
// it, saying so; erasure is refused on the notice's ground until retention erases them.
func TestOwnRecordsAreAnsweredForAsEveryServiceAnswers(t *testing.T) {
	e := newEnvAsking(t, nil, nil, calendar.NewManualClock(start), []string{"complaints", "investigations", "rights"})
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	dpo := e.dpo()
	ask := func(body map[string]any) string {
		id := e.Must(201, "POST", "/requests", e.officer(), body)["id"].(string)
		e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
		return e.waitFor(id, "the search", phaseIs("confirming"))["id"].(string)
	}

	// Ann's earlier access request, answered as finding nothing.
	earlier := ask(anAccessRequest("access"))
	if got := candidatesOf(e.Must(200, "GET", "/requests/"+earlier, e.officer(), nil), "rights"); len(got) != 0 {
		t.Fatalf("a request is a candidate of its own search: %+v", got)
	}
	e.Must(202, "POST", "/requests/"+earlier+"/confirm", dpo, map[string]any{"matches": []map[string]any{}})
	e.Must(200, "POST", "/requests/"+earlier+"/complete", dpo, nil)
	// Bob's restriction request on Ann's behalf, not yet searched.
	forAnn := anAccessRequest("restriction")
	forAnn["requester"] = map[string]any{"name": "Bob Brother", "email": "bob@example.org"}
	forAnn["representative"] = map[string]any{"name": "Bob Brother", "authority": "signed letter of authority"}
	forAnn["details"] = "My sister asks you to stop using her data."
	onBehalf := e.Must(201, "POST", "/requests", e.officer(), forAnn)["id"].(string)
	// Ann's FOI request.
	foiBody := anFOI()
	foiBody["requester"] = map[string]any{"name": "Ann Applicant", "email": "ann@example.org"}
	foiBody["received_at"] = "2026-03-01T11:00:00Z"
	foi := e.Must(201, "POST", "/foi", e.officer(), foiBody)

	// A breach that affected Ann and Carla.
	breachBody := aBreach()
	breachBody["people_affected"] = 2
	breachBody["affected_contacts"] = []map[string]any{{"name": "Carla Complainant", "address": "3 Mill Lane, Maidstone ME15 7XX"},
		{"name": "Ann Applicant", "email": "ann@example.org"}}
	breach := e.Must(201, "POST", "/breaches", e.officer(), breachBody)

	now := ask(anAccessRequest("access"))
	r := e.Must(200, "GET", "/requests/"+now, e.officer(), nil)
	earlierRef := e.Must(200, "GET", "/requests/"+earlier, e.officer(), nil)["reference"].(string)
	onBehalfRef := e.Must(200, "GET", "/requests/"+onBehalf, e.officer(), nil)["reference"].(string)
	want := []rights.Candidate{
		{RecordID: "request/" + earlier + "/requester", Kind: "rights_request", Reference: earlierRef, Role: "requester",
			Matched: []string{"name", "email", "postcode"}, Summary: "access request received 2026-03-02, completed"},
		{RecordID: "request/" + onBehalf + "/subject", Kind: "rights_request", Reference: onBehalfRef, Role: "subject",
			Matched: []string{"name", "email", "postcode"}, Summary: "restriction request received 2026-03-02, open"},
		{RecordID: "foi/" + foi["id"].(string) + "/requester", Kind: "foi_request", Reference: foi["reference"].(string), Role: "requester",
			Matched: []string{"name", "email"}, Summary: "foi request received 2026-03-01, open"},
		{RecordID: "breach/" + breach["id"].(string) + "/affected-2", Kind: "data_breach", Reference: breach["reference"].(string), Role: "affected",
			Matched: []string{"name", "email"}, Summary: "data breach discovered 2026-02-27, open"},
	}
	if got := candidatesOf(r, "rights"); !reflect.DeepEqual(got, want) {
		t.Fatalf("own candidates\n got %+v\nwant %+v", got, want)
	}

	var matches []map[string]any
	for _, c := range want {
		matches = append(matches, map[string]any{"service": "rights", "record_id": c.RecordID})
	}
	e.Must(202, "POST", "/requests/"+now+"/confirm", dpo, map[string]any{"matches": matches})
	e.waitFor(now, "the export", phaseIs("ready"))
	res := e.Call("GET", "/requests/"+now+"/response", e.officer(), nil)
	var compiled struct {
		Services []struct {
			Service string          `json:"service"`
			Records []rights.Record `json:"records"`
		} `json:"services"`
	}
	if err := json.Unmarshal(res.Body, &compiled); err != nil || res.Status != 200 {
		t.Fatalf("response: %d %s", res.Status, res.Body)
	}
	i := slices.IndexFunc(compiled.Services, func(s struct {
		Service string          `json:"service"`
		Records []rights.Record `json:"records"`
	}) bool {
		return s.Service == "rights"
	})
	if i < 0 || len(compiled.Services[i].Records) != 4 {
		t.Fatalf("the rights part of the answer: %s", res.Body)
	}
	own, subject, asked, affected := compiled.Services[i].Records[0], compiled.Services[i].Records[1], compiled.Services[i].Records[2], compiled.Services[i].Records[3]
	if want := map[string]any{"name": "Ann Applicant", "email": "ann@example.org", "address": "1 Old Road, Maidstone ME15 6JQ",
		"details": "Everything you hold about me, please."}; !reflect.DeepEqual(own.Provided, want) {
		t.Errorf("her own request, provided %+v", own.Provided)
	}
	if own.Held["kind"] != "access" || own.Held["status"] != "completed" || own.Held["outcome"] != "completed" ||
		own.Held["identity_checked_with"] != "passport and council tax bill seen" || own.KeptUntil != "2028-03-02" || len(own.Redactions) != 0 ||
		!reflect.DeepEqual(own.Held["identified_by"], map[string]any{"name": "Ann Applicant", "email": "ann@example.org", "postcode": "ME15 6JQ"}) {
		t.Errorf("her own request, held %+v kept until %q redactions %v", own.Held, own.KeptUntil, own.Redactions)
	}
	if len(subject.Provided) != 0 || subject.Held["kind"] != "restriction" || subject.Held["identity_checked_with"] != nil ||
		!reflect.DeepEqual(subject.Redactions, []string{"who made the request on your behalf and what they wrote: other people's personal data"}) {
		t.Errorf("the request made for her %+v", subject)
	}
	for _, other := range []string{"Bob Brother", "bob@example.org", "My sister asks you to stop using her data.", "Carla", "Olly Officer", "wrong address"} {
		if strings.Contains(string(res.Body), other) {
			t.Errorf("her answer carries %q, someone else's", other)
		}
	}
	if !reflect.DeepEqual(affected.Held["your_details"], map[string]any{"name": "Ann Applicant", "email": "ann@example.org"}) ||
		!reflect.DeepEqual(affected.Held["categories_affected"], []any{"identity", "contact"}) || len(affected.Provided) != 0 ||
		len(affected.Redactions) != 2 || affected.Held["confirmed"] != true || affected.KeptUntil != "" || affected.Held["review_due"] != nil {
		t.Errorf("the breach that affected her %+v", affected)
	}
	if asked.Provided["details"] != foiBody["details"] || asked.Held["regime"] != "foi" || asked.Held["status"] != "open" {
		t.Errorf("her FOI request %+v", asked)
	}

	html := e.Call("GET", "/requests/"+now+"/response.html", e.officer(), nil)
	if html.Status != 200 || !strings.Contains(string(html.Body), earlierRef) || !strings.Contains(string(html.Body), "Information rights, data breaches and FOI/EIR requests") ||
		strings.Contains(string(html.Body), "Bob Brother") {
		t.Errorf("the readable answer: %d %s", html.Status, html.Body)
	}

	// Erasure of her earlier request is refused on the notice's ground until retention.
	erase := ask(anAccessRequest("erasure"))
	e.Must(202, "POST", "/requests/"+erase+"/confirm", dpo, map[string]any{"matches": []map[string]any{
		{"service": "rights", "record_id": "request/" + earlier + "/requester"}}})
	done := e.waitFor(erase, "the erasure", phaseIs("ready"))
	if got := refusedOutcomes(done, rights.Erase, "legal_obligation"); !slices.Equal(got, []string{"rights/request/" + earlier + "/requester"}) {
		t.Errorf("refused %v (outcomes %v)", got, done["outcomes"])
	}
	o := done["outcomes"].([]any)[0].(map[string]any)["refusal"].(map[string]any)
	if o["words"] != "we must keep a record of how we answered a request, handled a breach or answered an FOI/EIR request for the period above (kept until 2028-03-02, then erased)" {
		t.Errorf("refusal words %q", o["words"])
	}

	// A rectification corrects her details on the FOI request still being answered, and
	// leaves the record of her answered request as it was received.
	foiRecord, earlierRecord := "foi/"+foi["id"].(string)+"/requester", "request/"+earlier+"/requester"
	rectify := ask(anAccessRequest("rectification"))
	e.Must(202, "POST", "/requests/"+rectify+"/confirm", dpo, map[string]any{"matches": []map[string]any{
		{"service": "rights", "record_id": foiRecord}, {"service": "rights", "record_id": earlierRecord}}})
	rectified := e.waitFor(rectify, "the rectification", phaseIs("ready"))
	if got := refusedOutcomes(rectified, rights.Rectify, "legal_obligation"); !slices.Equal(got, []string{"rights/" + earlierRecord}) {
		t.Errorf("refused %v (outcomes %v)", got, rectified["outcomes"])
	}
	for _, o := range rectified["outcomes"].([]any) {
		o := o.(map[string]any)
		if o["record_id"] == foiRecord && o["done"] != true {
			t.Errorf("the open FOI request was not rectified: %v", o)
		}
		if r, _ := o["refusal"].(map[string]any); o["record_id"] == earlierRecord && !strings.Contains(fmt.Sprint(r["words"]), "the record shows the request as it was received; it was completed on 2026-03-02") {
			t.Errorf("refusal words %v", r)
		}
	}
	if got := e.Must(200, "GET", "/foi/"+foi["id"].(string), e.dpo(), nil)["requester"].(map[string]any); got["address"] != "2 New Road, Maidstone ME14 1AA" ||
		got["email"] != "ann@example.org" {
		t.Errorf("the FOI request's requester after the rectification %v", got)
	}

	// A restriction of the breach's record is placed in the register, and shown on the next search.
	breachRecord := "breach/" + breach["id"].(string) + "/affected-2"
	restrict := ask(anAccessRequest("restriction"))
	e.Must(202, "POST", "/requests/"+restrict+"/confirm", dpo, map[string]any{"matches": []map[string]any{{"service": "rights", "record_id": breachRecord}}})
	restricted := e.waitFor(restrict, "the restriction", phaseIs("ready"))
	if o := restricted["outcomes"].([]any)[0].(map[string]any); o["record_id"] != breachRecord || o["done"] != true {
		t.Errorf("restriction outcome %v", o)
	}
	if n := e.Count(`SELECT count(*) FROM rights_restrictions WHERE record_id = $1`, breachRecord); n != 1 {
		t.Errorf("%d restrictions of the breach record", n)
	}
	again := ask(anAccessRequest("access"))
	for _, c := range candidatesOf(e.Must(200, "GET", "/requests/"+again, e.officer(), nil), "rights") {
		if c.Restricted != (c.RecordID == breachRecord) {
			t.Errorf("candidate %s restricted %v", c.RecordID, c.Restricted)
		}
	}
}
