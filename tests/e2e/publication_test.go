package e2e_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// sam is the person convicted, as the investigating officer records him.
var sam = map[string]any{"name": "Sam Subject", "address": "3 Mill Lane, Maidstone ME14 1AA", "town": "Maidstone",
	"email": "sam@example.org", "phone": "07700 900003"}

// convicted opens a noise case in which Ann reported Sam, takes it to prosecution and
// records Sam's conviction; it returns the case's id and reference.
func (c *council) convicted() (string, string) {
	c.t.Helper()
	olive := c.investigations.Token("olive", "investigations_officer")
	v := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "web",
		"people": []any{person("reporter", ann), person("subject", sam)},
		"matter": map[string]any{"summary": "Loud music every night", "locations": []any{"Mill Lane, Maidstone"},
			"dates": []any{"2026-01-20"}, "times": []any{"23:00-02:00"}}})
	id, ref := v["id"].(string), v["reference"].(string)
	for _, step := range []string{"/triage", "/investigate", "/prosecute"} {
		c.investigations.Must(200, "POST", "/investigations/"+id+step, olive, nil)
	}
	c.investigations.Must(200, "POST", "/investigations/"+id+"/outcome", olive, map[string]any{"outcome": "conviction",
		"offence": "Breach of a noise abatement notice (EPA 1990 s80(4))", "court": "Maidstone Magistrates' Court",
		"date": "2026-03-02", "sentence": "Fine of GBP 1,200", "sentence_length": "none"})
	return id, ref
}

// decisions polls the publication service's list until it holds n decisions.
func (c *council) decisions(n int) []map[string]any {
	c.t.Helper()
	var items []any
	testkit.Eventually(c.t, 10*time.Second, "the publication service's decisions", func() (bool, string) {
		items = c.publication.Must(200, "GET", "/decisions", c.publication.Token("olive", "publication_officer"), nil)["items"].([]any)
		return len(items) >= n, string(must(json.Marshal(items)))
	})
	out := make([]map[string]any, len(items))
	for i, x := range items {
		out[i] = x.(map[string]any)
	}
	return out
}

// register is the public register's JSON entries, read with no token.
func (c *council) register() []any {
	c.t.Helper()
	return c.publication.Must(200, "GET", "/public/prosecutions", "", nil)["prosecutions"].([]any)
}

// publish drafts decision id to publish on the website and approves it.
func (c *council) publish(id string) map[string]any {
	c.t.Helper()
	officer, manager := c.publication.Token("olive", "publication_officer"), c.publication.Token("maria", "publication_manager")
	factor := func(rating, reason string) map[string]any { return map[string]any{"rating": rating, "reason": reason} }
	c.publication.Must(200, "POST", "/decisions/"+id+"/draft", officer, map[string]any{
		"factors": map[string]any{
			"significance":     factor("high", "Repeated breach of a court-backed notice."),
			"community_effect": factor("high", "Twelve households on Mill Lane affected for months."),
			"frequency":        factor("medium", "Noise notice breaches rising in the borough."),
			"publicity":        factor("low", "No press coverage so far."),
		},
		"offender":        map[string]any{"age_at_conviction": 41, "family_or_children": "Lives alone.", "vulnerability": "None known."},
		"sentence":        map[string]any{"type": "fine"},
		"proportionality": map[string]any{"proportionate": true, "conclusion": "Deterrence outweighs the limited intrusion."},
		"outcome":         "publish_website",
		"reasons":         "Publication deters further breaches and reassures residents.",
	})
	return c.publication.Must(200, "POST", "/decisions/"+id+"/approve", manager, nil)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestConvictionToRegisterAndAppealTakesItDown: a conviction recorded in investigations
// reaches publication, over the investigations share stream, as a decision to make carrying
// exactly the six fields the notice allows; approved, it is on the public register; an
// appeal allowed in publication takes it off again, with a takedown event that names no one.
func TestConvictionToRegisterAndAppealTakesItDown(t *testing.T) {
	c := newCouncil(t)
	share := c.investigations.Collect("INVESTIGATIONS_SHARE", "share.publication-service.>")
	events := c.publication.Collect("PUBLICATION_EVENTS", "publication.events.>")

	_, ref := c.convicted()
	conviction := map[string]any{"name": "Sam Subject", "town": "Maidstone", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 1,200"}

	sent := share.WaitFor(t, 1)
	if len(sent) != 1 || sent[0].Subject() != "share.publication-service.investigations.publication_decision" {
		t.Fatalf("investigations shared %s", testkit.Subjects(sent))
	}
	d := testkit.Decode(t, sent[0])
	if d["recipient"] != "publication-service" || d["purpose"] != "publication_decision" || d["condition"] != "public_task" ||
		d["reference"] != ref || d["area"] != "noise" || !reflect.DeepEqual(d["data"], conviction) {
		t.Fatalf("the disclosure to publication: %v", d)
	}

	list := c.decisions(1)
	item := list[0]
	if len(list) != 1 || item["status"] != "to_decide" || item["source"] != "investigations" || item["team"] != "community_protection" ||
		item["conviction_date"] != "2026-03-02" || item["outcome"] != "" || item["takedown_on"] != nil || item["erased"] != false {
		t.Fatalf("decisions listed %v", list)
	}
	id := item["id"].(string)
	officer := c.publication.Token("olive", "publication_officer")
	got := c.publication.Must(200, "GET", "/decisions/"+id, officer, nil)
	if src := got["source"].(map[string]any); src["kind"] != "investigations" || src["case_reference"] != ref ||
		!reflect.DeepEqual(got["conviction"], conviction) {
		t.Fatalf("the decision opened from the conviction: %v", got)
	}
	if r := c.register(); len(r) != 0 {
		t.Fatalf("the register shows an undecided conviction: %v", r)
	}

	pub := c.publish(id)
	if pub["status"] != "published" || pub["published_on"] != "2026-03-02" {
		t.Fatalf("approved: %v", pub)
	}
	if r := c.register(); len(r) != 1 || !reflect.DeepEqual(r[0], conviction) {
		t.Fatalf("the register: %v, want exactly %v", r, conviction)
	}

	appeal := c.publication.Must(200, "POST", "/decisions/"+id+"/appeal", officer,
		map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court", "notes": "Conviction quashed."})
	if appeal["status"] != "conviction_quashed" || appeal["taken_down"].(map[string]any)["kind"] != "appeal" {
		t.Fatalf("after the appeal: %v", appeal)
	}
	if r := c.register(); len(r) != 0 {
		t.Fatalf("the register after the appeal: %v", r)
	}
	for _, path := range []string{"/public/prosecutions.atom", "/public/prosecutions.html"} {
		if r := c.publication.Call("GET", path, "", nil); r.Status != 200 || strings.Contains(string(r.Body), "Sam Subject") {
			t.Errorf("%s after the appeal: %d %s", path, r.Status, r.Body)
		}
	}

	msgs := events.WaitFor(t, 4)
	want := "publication.events.conviction.received, publication.events.drafted, publication.events.published, publication.events.taken_down"
	if got := testkit.Subjects(msgs); got != want {
		t.Fatalf("publication events %s, want %s", got, want)
	}
	down := testkit.Decode(t, msgs[3])
	if down["decision_id"] != id || down["status"] != "conviction_quashed" || down["takedown_reason"] != "appeal" {
		t.Errorf("the takedown event: %v", down)
	}
	for _, m := range msgs {
		if strings.Contains(string(m.Data()), "Sam") || strings.Contains(string(m.Data()), "Maidstone") {
			t.Errorf("%s carries personal data: %s", m.Subject(), m.Data())
		}
	}
}

// TestAccessListsWhereTheConvictionWent: Sam's subject access request, once his conviction
// is published, lists for each service the disclosures of his data: investigations' to the
// publication service and publication's to the public register, each by its logged id. The
// compiled response keeps to the rights contract (the register's disclosure is one a
// recipient reads in place, which the contract does not show).
func TestAccessListsWhereTheConvictionWent(t *testing.T) {
	c := newCouncil(t)
	share := c.investigations.Collect("INVESTIGATIONS_SHARE", "share.publication-service.>")
	c.convicted()
	toPublication := testkit.Decode(t, share.WaitFor(t, 1)[0])["disclosure_id"].(string)
	id := c.decisions(1)[0]["id"].(string)
	toRegister, _ := c.publish(id)["register_disclosure_id"].(string)

	req, candidates := c.rightsRequestOf(map[string]any{"name": "Sam Subject", "email": "sam@example.org"}, "access", nil)
	r := c.confirm(req, candidates, "investigations subject", "publication offender")
	if len(r["outcomes"].([]any)) != 0 || len(r["article19_notices"].([]any)) != 0 {
		t.Errorf("an access request did something: outcomes %v notices %v", r["outcomes"], r["article19_notices"])
	}
	res := c.rights.Call("GET", "/requests/"+req+"/response", c.rights.Token("olly", "dpo_officer"), nil)
	if res.Status != 200 {
		t.Fatalf("response: %d %s", res.Status, res.Body)
	}
	var compiled struct {
		Complete bool `json:"complete"`
		Services []struct {
			Service string `json:"service"`
			Records []struct {
				Role        string           `json:"role"`
				Disclosures []map[string]any `json:"disclosures"`
			} `json:"records"`
		} `json:"services"`
	}
	if err := json.Unmarshal(res.Body, &compiled); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, s := range compiled.Services {
		for _, rec := range s.Records {
			for _, d := range rec.Disclosures {
				got[s.Service+" "+rec.Role] = append(got[s.Service+" "+rec.Role], fmt.Sprintf("%s %s %v", d["recipient"], d["disclosure_id"], d["categories"]))
			}
		}
	}
	want := map[string][]string{
		"investigations subject": {"publication-service " + toPublication + " [conviction_outcome name town]"},
		"publication offender":   {"public-register " + toRegister + " [conviction_outcome name town]"},
	}
	if !compiled.Complete || !reflect.DeepEqual(got, want) {
		t.Errorf("disclosures listed %v (complete %v), want %v", got, compiled.Complete, want)
	}
}
