package service_test

import (
	"reflect"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// ask puts one question to the publication service as the rights service does, over NATS.
func ask[Res any](e *env, verb string, req any) Res {
	e.T.Helper()
	return testkit.Ask[Res](e.T, e.NATS.Conn, rights.Subject(service.Name, verb), req)
}

func records(ids ...string) rights.RecordsRequest {
	return rights.RecordsRequest{RequestID: "req-p", RecordIDs: ids}
}

// TestRightsOnAPublishedConviction: the offender finds their decision, sees what the
// register and the press received, cannot have it erased while it is on the register, can have it restricted (it
// leaves the register at once), and once it is taken down still cannot have it erased
// within its retention (a claim arising from the publication); a decision not to publish
// is erased on request.
func TestRightsOnAPublishedConviction(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000501", "", aConviction())
	other := aConviction()
	other["name"] = "Pat Other"
	e.disclose("0195f3a0-0000-7000-8000-000000000502", "", other)
	ids := e.waitForDecisions(2)
	sam, pat := ids[0], ids[1]
	draft := aDraft()
	draft["outcome"] = "publish_and_press"
	published := e.publish(sam, draft)

	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-p", Identifiers: rights.Identifiers{Name: " sam  SUBJECT", Postcode: "ME14 1AA"}})
	want := []rights.Candidate{{RecordID: sam, Kind: "publication_decision", Reference: published["reference"].(string), Role: "offender",
		Matched: []string{"name"}, Summary: "conviction of 2026-02-20, decision published"}}
	if !reflect.DeepEqual(found.Candidates, want) {
		t.Fatalf("candidates\n got %+v\nwant %+v", found.Candidates, want)
	}

	exported := ask[rights.ExportReply](e, rights.Export, records(sam))
	if len(exported.Records) != 1 {
		t.Fatalf("records %+v", exported.Records)
	}
	rec := exported.Records[0]
	decision, _ := rec.Held["decision"].(map[string]any)
	if rec.Held["name"] != "Sam Subject" || rec.Held["takedown_on"] != "2026-04-02" || decision["reasons"] != draft["reasons"] ||
		!reflect.DeepEqual(disclosedTo(rec.Disclosures), map[string]string{"local-press": published["press_release_id"].(string),
			"public-register": published["register_disclosure_id"].(string)}) ||
		rec.KeptUntil != "" || published["retention_due"] != nil { // kept from closure: not known while published
		t.Errorf("exported %+v", rec)
	}

	erased := ask[rights.ActionReply](e, rights.Erase, records(sam)).Outcomes
	wantRefusal := &rights.Refusal{Ground: "public_task", Words: "the entry is still within its publication period and the decision to publish still stands (" +
		published["reference"].(string) + " is on the public register until 2026-04-02)"}
	if len(erased) != 1 || erased[0].Done || !reflect.DeepEqual(erased[0].Refusal, wantRefusal) || len(erased[0].Disclosures) != 2 {
		t.Fatalf("erase while published: %+v", erased)
	}

	if got := ask[rights.ActionReply](e, rights.Restrict, records(sam)).Outcomes; len(got) != 1 || !got[0].Done {
		t.Fatalf("restrict: %+v", got)
	}
	if entries := e.registerJSON(); len(entries) != 0 {
		t.Errorf("a restricted entry is on the register: %v", entries)
	}
	if got := ask[rights.ActionReply](e, rights.Lift, records(sam)).Outcomes; len(got) != 1 || !got[0].Done {
		t.Fatalf("lift: %+v", got)
	}
	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["name"] != "Sam Subject" {
		t.Errorf("register after the lift: %v", entries)
	}

	taken := e.Must(200, "POST", "/decisions/"+sam+"/takedown", e.manager("maria"), map[string]any{"reason": "The offender asked us to."})
	erased = ask[rights.ActionReply](e, rights.Erase, records(sam, pat, "not-a-decision")).Outcomes
	wantRefusal = &rights.Refusal{Ground: "legal_claims", Words: "the decision record is needed to make, exercise or defend a legal claim (" +
		published["reference"].(string) + " was published on 2026-03-02; the record of the decision is kept until " + taken["retention_due"].(string) +
		", within which a claim arising from the publication may be brought)"}
	if len(erased) != 3 || erased[0].Done || !reflect.DeepEqual(erased[0].Refusal, wantRefusal) {
		t.Fatalf("erase after takedown: %+v %+v", erased, erased[0].Refusal)
	}
	// A decision still being made: the notice's ground for that, in true words, with the day
	// the retention of an undecided conviction ends.
	pending := &rights.Refusal{Ground: "decision_pending", Words: "the council is still deciding whether to publish the outcome, a task it " +
		"carries out in the public interest, and the record is what it decides on (" + e.Must(200, "GET", "/decisions/"+pat, e.officer("olive"), nil)["reference"].(string) +
		" is still being decided (to decide); " +
		"unless a decision is approved first, its personal data is erased on 2027-03-02)"}
	if erased[1].Done || !reflect.DeepEqual(erased[1].Refusal, pending) || erased[2].Done || erased[2].Refusal.Ground != "no_such_record" {
		t.Fatalf("a decision still being made, and no decision: %+v %+v", erased[1].Refusal, erased[2].Refusal)
	}

	notPublished := aDraft()
	notPublished["outcome"], notPublished["reasons"] = "do_not_publish", "Publicity would add nothing here."
	e.publish(pat, notPublished)
	for range 2 { // a repeated erasure changes nothing
		erased = ask[rights.ActionReply](e, rights.Erase, records(pat)).Outcomes
		if len(erased) != 1 || !erased[0].Done || len(erased[0].Disclosures) != 0 {
			t.Fatalf("erase a decision not to publish: %+v", erased)
		}
	}
	if n := e.Count(`SELECT count(*) FROM publication_personal_data WHERE decision_id = $1`, pat); n != 0 {
		t.Errorf("personal data left after erasure")
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'decision.rights.erased'`, "publication:"+pat); n != 1 {
		t.Errorf("%d erasures recorded, want 1", n)
	}

	// On the day its retention ends the published one is erased on request too, as the
	// retention sweep would.
	due, err := calendar.ParseDate(taken["retention_due"].(string))
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(due.StartOfDay().Add(-time.Minute))
	if erased = ask[rights.ActionReply](e, rights.Erase, records(sam)).Outcomes; len(erased) != 1 || erased[0].Done {
		t.Fatalf("erase the day before retention ends: %+v", erased)
	}
	e.Clock.Set(due.StartOfDay())
	if erased = ask[rights.ActionReply](e, rights.Erase, records(sam)).Outcomes; len(erased) != 1 || !erased[0].Done {
		t.Fatalf("erase once retention ended: %+v %+v", erased, erased[0].Refusal)
	}
}

// TestRestrictedDecisionIsNotPublished: approving a restricted decision to publish answers
// 403 naming the restriction and changes nothing; lifted, it publishes.
func TestRestrictedDecisionIsNotPublished(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000601", "", aConviction())
	id := e.waitForDecisions(1)[0]
	for range 2 {
		if got := ask[rights.ActionReply](e, rights.Restrict, records(id)).Outcomes; len(got) != 1 || !got[0].Done {
			t.Fatalf("restrict: %+v", got)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'decision.rights.restricted'`); n != 1 {
		t.Errorf("%d restrictions recorded, want 1", n)
	}
	e.Must(200, "POST", "/decisions/"+id+"/draft", e.officer("olive"), aDraft())
	p := e.Must(403, "POST", "/decisions/"+id+"/approve", e.manager("maria"), nil)
	if p["type"] != httpserver.TypeProcessingRestricted || p["rights_request"] != "req-p" {
		t.Fatalf("approval of a restricted decision: %v", p)
	}
	if d := e.Must(200, "GET", "/decisions/"+id, e.officer("olive"), nil); d["status"] != "awaiting_approval" || len(e.registerJSON()) != 0 {
		t.Fatalf("the refusal changed the decision: %v", d)
	}

	for range 2 {
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-p", RecordIDs: []string{id}, Field: "town", Value: "Aylesford"})
		if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
			t.Fatalf("rectify: %+v", got)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'decision.rights.rectified'`); n != 1 {
		t.Errorf("%d rectifications recorded, want 1", n)
	}
	ask[rights.ActionReply](e, rights.Lift, records(id))
	e.Must(200, "POST", "/decisions/"+id+"/approve", e.manager("maria"), nil)
	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["town"] != "Aylesford" {
		t.Errorf("register: %v", entries)
	}
}

// disclosedTo maps each recipient of disclosures to the id of its disclosure.
func disclosedTo(ds []rights.Disclosure) map[string]string {
	out := map[string]string{}
	for _, d := range ds {
		out[d.Recipient] = d.DisclosureID
	}
	return out
}

// TestUnstorableRectificationIsRefusedNotRetried: a rectification whose value PostgreSQL
// cannot store (U+0000) is answered as a refusal of that value (invalid_value), as any
// value refused is, rather than failing the request for the rights service to send again
// and again; nothing changes. The next, storable value is applied.
func TestUnstorableRectificationIsRefusedNotRetried(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000002301", "", aConviction())
	id := e.waitForDecisions(1)[0]
	for _, field := range []string{"name", "town", "offence", "court", "sentence", "date"} {
		before := e.TableCounts(t)
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-n", RecordIDs: []string{id}, Field: field, Value: "Sam\u0000Subject"})
		if len(got.Outcomes) != 1 || got.Outcomes[0].Done || got.Outcomes[0].Refusal == nil || got.Outcomes[0].Refusal.Ground != "invalid_value" {
			t.Errorf("%s with U+0000: %+v", field, got.Outcomes)
		}
		if after := e.TableCounts(t); !reflect.DeepEqual(before, after) {
			t.Errorf("%s with U+0000 changed the database: %v -> %v", field, before, after)
		}
	}
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-n", RecordIDs: []string{id}, Field: "name", Value: "Sam Subjekt"})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("a storable name: %+v", got.Outcomes)
	}
}
