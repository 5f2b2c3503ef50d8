package service_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// Ann's debt case, as the debt service would export it: what she gave on consent (a
// referral to debt advice) is what portability may carry.
func annsDebt() rights.Record {
	return rights.Record{RecordID: "d-1", Kind: "debt", Reference: "DEBT-2026-000003", Role: "debtor",
		Provided: map[string]any{"phone": "07700 900456"}, Held: map[string]any{"stage": "compliance", "outstanding_pence": 41200},
		Disclosures: []rights.Disclosure{{DisclosureID: "0195f0a0-0000-7000-8000-0000000000d1", Recipient: "maidstone-borough-council",
			Purpose: "return_to_client", Categories: []string{"debtor_name"}, DisclosedAt: disclosedAt, NoticeVersion: "2026.12.1"}}}
}

// withDebt is the rights service asking complaints, investigations and debt, each answered
// by a fake holding Ann's records, the search done and all her records confirmed.
func withDebt(t *testing.T, kind string) (e *env, id string, complaints, investigations, debt *fakeService) {
	t.Helper()
	e = newEnvAsking(t, nil, nil, calendar.NewManualClock(start), []string{"complaints", "investigations", "debt"})
	complaints, investigations = fakes(t, e)
	debt = newFake("debt")
	debt.marketingOnly = true // its notice offers objection only to keeping in touch
	debt.add("ann@example.org", annsDebt())
	for _, f := range []*fakeService{complaints, investigations, debt} {
		f.serve(t, e)
	}
	id = e.Must(201, "POST", "/requests", e.officer(), anAccessRequest(kind))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"},
		{"service": "debt", "record_id": "d-1"}}})
	return e, id, complaints, investigations, debt
}

// refusedOutcomes are the request's outcomes refused on ground, as service/record.
func refusedOutcomes(r map[string]any, verb, ground string) []string {
	var out []string
	for _, o := range r["outcomes"].([]any) {
		o := o.(map[string]any)
		ref, _ := o["refusal"].(map[string]any)
		if o["verb"] == verb && o["done"] == false && ref != nil && ref["ground"] == ground && ref["words"] != "" {
			out = append(out, o["service"].(string)+"/"+o["record_id"].(string))
		}
	}
	return out
}

// stepStates are the action's steps as service: state.
func stepStates(r map[string]any) []string {
	var out []string
	for _, s := range r["action"].(map[string]any)["services"].([]any) {
		s := s.(map[string]any)
		out = append(out, s["service"].(string)+": "+s["state"].(string))
	}
	return out
}

// Portability (UK GDPR Art 20(1)) applies only to processing on consent or contract: the
// complaints and investigations notices, on public task and legal obligation, do not offer
// it, so their records are refused with that ground and never exported; debt, whose notice
// offers it for what was given on consent, exports.
func TestPortabilityIsCarriedOutOnlyWhereTheNoticeOffersIt(t *testing.T) {
	e, id, complaints, investigations, debt := withDebt(t, "portability")
	r := e.waitFor(id, "the export", phaseIs("ready"))
	if complaints.questions(rights.Export) != 0 || investigations.questions(rights.Export) != 0 || debt.questions(rights.Export) != 1 {
		t.Fatalf("exports asked: complaints %d, investigations %d, debt %d", complaints.questions(rights.Export),
			investigations.questions(rights.Export), debt.questions(rights.Export))
	}
	if got, want := stepStates(r), []string{"complaints: refused", "investigations: refused", "debt: answered"}; !slices.Equal(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	if got, want := refusedOutcomes(r, rights.Export, "portability_not_applicable"), []string{"complaints/c-1", "investigations/i-1"}; !slices.Equal(got, want) {
		t.Errorf("refused records %v, want %v (outcomes %v)", got, want, r["outcomes"])
	}

	res := e.Call("GET", "/requests/"+id+"/response", e.officer(), nil)
	if res.Status != 200 {
		t.Fatalf("response: %d %s", res.Status, res.Body)
	}
	var compiled struct {
		Kind     string `json:"kind"`
		Services []struct {
			Service string          `json:"service"`
			Refused string          `json:"refused"`
			Records []rights.Record `json:"records"`
		} `json:"services"`
	}
	if err := json.Unmarshal(res.Body, &compiled); err != nil {
		t.Fatal(err)
	}
	if compiled.Kind != "portability" || len(compiled.Services) != 3 {
		t.Fatalf("compiled %s", res.Body)
	}
	for _, cs := range compiled.Services[:2] {
		if len(cs.Records) != 0 || !strings.HasPrefix(cs.Refused, "portability applies only to data processed on consent or contract") ||
			!strings.HasSuffix(cs.Refused, "ask for access instead") {
			t.Errorf("%s part: refused %q, records %+v", cs.Service, cs.Refused, cs.Records)
		}
	}
	if d := compiled.Services[2]; d.Refused != "" || len(d.Records) != 1 || d.Records[0].Provided["phone"] != "07700 900456" || len(d.Records[0].Held) != 0 {
		t.Errorf("debt part %+v", d)
	}
	for _, personal := range []string{"Bins missed", "Loud music"} {
		if strings.Contains(string(res.Body), personal) {
			t.Errorf("the portability answer carries %q from a service that does not offer portability", personal)
		}
	}
	html := e.Call("GET", "/requests/"+id+"/response.html", e.officer(), nil)
	if html.Status != 200 || !strings.Contains(string(html.Body), "ask for access instead") {
		t.Errorf("the readable response does not say why: %d", html.Status)
	}
}

// The right to object reaches complaints' and investigations' processing on public task
// (UK GDPR Art 21(1)), which they restrict while the objection is considered (Art
// 18(1)(d)), and debt's only through keeping in touch about the council's services, direct
// marketing (Art 21(2)): debt ends that use (Art 21(3)) and restricts nothing, so no
// recipient of its case is told of a restriction, and nothing of it is lifted.
func TestObjectionRestrictsOrEndsMarketingAsEachNoticeOffers(t *testing.T) {
	e, id, complaints, investigations, debt := withDebt(t, "objection")
	r := e.waitFor(id, "the objection", phaseIs("ready"))
	for _, f := range []*fakeService{complaints, investigations, debt} {
		if want := []string{f.name[:1] + "-1"}; !slices.Equal(f.acted[rights.Object], want) || f.questions(rights.Restrict) != 0 {
			t.Errorf("%s: objected to %v, want %v; asked to restrict %d times", f.name, f.acted[rights.Object], want, f.questions(rights.Restrict))
		}
	}
	if got, want := stepStates(r), []string{"complaints: answered", "investigations: answered", "debt: answered"}; !slices.Equal(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	effects := map[string]any{}
	for _, o := range r["outcomes"].([]any) {
		o := o.(map[string]any)
		if o["verb"] != rights.Object || o["done"] != true {
			t.Errorf("outcome %v", o)
		}
		effects[o["service"].(string)] = o["effect"]
	}
	if want := map[string]any{"complaints": "restricted", "investigations": "restricted", "debt": "marketing_ended"}; !reflect.DeepEqual(effects, want) {
		t.Errorf("effects %v, want %v", effects, want)
	}
	for _, n := range r["article19_notices"].([]any) {
		if n.(map[string]any)["service"] == "debt" {
			t.Errorf("a recipient of the debt case was told of a restriction that was not made: %v", n)
		}
	}
	// Only what was restricted is lifted.
	e.Must(200, "POST", "/requests/"+id+"/lift", e.dpo(), map[string]any{"told_on": "2026-03-02", "told_how": "letter"})
	e.waitFor(id, "the lifting", phaseIs("ready"))
	if debt.questions(rights.Lift) != 0 || !slices.Equal(complaints.acted[rights.Lift], []string{"c-1"}) ||
		!slices.Equal(investigations.acted[rights.Lift], []string{"i-1"}) {
		t.Errorf("lifted: debt asked %d, complaints %v, investigations %v", debt.questions(rights.Lift), complaints.acted[rights.Lift],
			investigations.acted[rights.Lift])
	}
}
