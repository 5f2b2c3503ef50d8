package service_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var sixFields = []string{"court", "date", "name", "offence", "sentence", "town"}

// TestAppealTakesTheEntryDownEverywhere walks a conviction from the investigations
// service's disclosure to a decision, its approval, the register in all three formats, a
// successful appeal, and back out of every format, with a takedown event for the website
// and the press that carries no personal data; the conviction is then quashed.
func TestAppealTakesTheEntryDownEverywhere(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("PUBLICATION_EVENTS", "publication.events.>")
	status := e.Collect("PUBLICATION_STATUS", "status.publication.>")

	e.disclose("0195f3a0-0000-7000-8000-000000000001", "", aConviction())
	id := e.waitForDecisions(1)[0]
	d := e.Must(200, "GET", "/decisions/"+id, e.officer("olive"), nil)
	if d["status"] != "to_decide" || d["source"].(map[string]any)["case_reference"] != "INV-2026-000042" {
		t.Fatalf("decision opened from the disclosure: %v", d)
	}
	if got := d["conviction"].(map[string]any); got["name"] != "Sam Subject" || got["date"] != "2026-02-20" || len(got) != 6 {
		t.Fatalf("conviction recorded: %v", got)
	}

	pub := e.publish(id, aDraft())
	takedown := pub["takedown"].(map[string]any)
	if pub["status"] != "published" || takedown["on"] != "2026-04-02" || takedown["reason"] != "publication_period" {
		t.Fatalf("approved: status %v takedown %v", pub["status"], takedown)
	}
	if reh := takedown["rehabilitation"].(map[string]any); reh["spent_on"] != "2027-02-20" || !strings.Contains(reh["rule"].(string), "fine") {
		t.Errorf("spent date recorded with how: %v", reh)
	}

	entries := e.registerJSON()
	want := map[string]any{"name": "Sam Subject", "town": "Maidstone", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-02-20", "sentence": "Fine of GBP 1,200"}
	if len(entries) != 1 || !equalEntry(entries[0], want) {
		t.Fatalf("JSON register: %v, want exactly %v", entries, want)
	}
	atom := e.Call("GET", "/public/prosecutions.atom", "", nil)
	html := e.Call("GET", "/public/prosecutions.html", "", nil)
	for _, r := range []response{atom, html} {
		if r.Status != 200 || !strings.Contains(string(r.Body), "Sam Subject") || !strings.Contains(string(r.Body), "Maidstone Magistrates") {
			t.Fatalf("register format without the entry: %d %s", r.Status, r.Body)
		}
	}
	if ct := atom.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Atom content type %q", ct)
	}
	if !strings.Contains(string(html.Body), `<th scope="col">Offence</th>`) || !strings.Contains(string(html.Body), `lang="en-GB"`) {
		t.Errorf("HTML register lacks its accessible table: %s", html.Body)
	}

	appeal := e.Must(200, "POST", "/decisions/"+id+"/appeal", e.officer("olive"),
		map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court", "notes": "Conviction quashed."})
	if appeal["status"] != "conviction_quashed" || appeal["taken_down"].(map[string]any)["kind"] != "appeal" {
		t.Fatalf("after the appeal: %v", appeal)
	}
	if entries := e.registerJSON(); len(entries) != 0 {
		t.Errorf("JSON register still shows %v", entries)
	}
	for _, path := range []string{"/public/prosecutions.atom", "/public/prosecutions.html"} {
		if r := e.Call("GET", path, "", nil); r.Status != 200 || strings.Contains(string(r.Body), "Sam Subject") {
			t.Errorf("%s after the appeal: %d %s", path, r.Status, r.Body)
		}
	}

	msgs := domainEvents.WaitFor(t, 4)
	var types []string
	for _, m := range msgs {
		types = append(types, m.Subject())
	}
	wantTypes := "publication.events.conviction.received,publication.events.drafted,publication.events.published,publication.events.taken_down"
	if strings.Join(types, ",") != wantTypes {
		t.Fatalf("domain events %v, want %s", types, wantTypes)
	}
	down := decode(t, msgs[3])
	if down["decision_id"] != id || down["takedown_reason"] != "appeal" || down["status"] != "conviction_quashed" {
		t.Errorf("takedown event %v", down)
	}
	for _, m := range append(msgs, status.WaitFor(t, 4)...) {
		for _, pd := range []string{"Sam Subject", "Maidstone", "noise abatement", "GBP", "Lives alone"} {
			if strings.Contains(string(m.Data()), pd) {
				t.Errorf("%s carries personal data %q: %s", m.Subject(), pd, m.Data())
			}
		}
	}
}

func equalEntry(got, want map[string]any) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestAnAppealQuashesTheConvictionOnce: whatever the decision's status, a successful appeal
// leaves the conviction quashed; a case that had ended keeps the retention date of its first
// end (one still open ends now); and a second appeal is refused with its rule, changing
// nothing.
func TestAnAppealQuashesTheConvictionOnce(t *testing.T) {
	e := newEnv(t)
	for i := range 4 {
		e.disclose(fmt.Sprintf("0195f3a0-0000-7000-8000-0000000020%02d", i), "", aConviction())
	}
	ids := e.waitForDecisions(4)
	published, notPublished, takenDown, undecided := ids[0], ids[1], ids[2], ids[3]
	e.publish(published, aDraft())
	declined := aDraft()
	declined["outcome"] = "do_not_publish"
	e.publish(notPublished, declined)
	e.publish(takenDown, aDraft())
	e.Must(200, "POST", "/decisions/"+takenDown+"/takedown", e.manager("maria"), map[string]any{"reason": "Objection upheld."})

	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	appeal := map[string]any{"decided_on": "2026-03-11", "court": "Maidstone Crown Court"}
	for _, tc := range []struct {
		id, retention, takenDownKind string
	}{
		{published, "2032-03-12", "appeal"}, // ends now
		{notPublished, "2032-03-02", ""},    // ended on approval
		{takenDown, "2032-03-02", "manual"}, // ended on its takedown
		{undecided, "2032-03-12", ""},       // ends now
	} {
		d := e.Must(200, "POST", "/decisions/"+tc.id+"/appeal", e.officer("olive"), appeal)
		kind := ""
		if tk, ok := d["taken_down"].(map[string]any); ok {
			kind, _ = tk["kind"].(string)
		}
		if d["status"] != "conviction_quashed" || d["retention_due"] != tc.retention || kind != tc.takenDownKind {
			t.Errorf("%s after the appeal: status %v, retention %v, taken down %q", tc.id, d["status"], d["retention_due"], kind)
		}
		before := e.TableCounts(t)
		p := e.Must(409, "POST", "/decisions/"+tc.id+"/appeal", e.officer("olive"),
			map[string]any{"decided_on": "2026-03-12", "court": "Court of Appeal", "notes": "Again."})
		if p["rule"] != "appeal_already_recorded" || !strings.Contains(p["detail"].(string), "decided on 2026-03-11") {
			t.Errorf("a second appeal: %v", p)
		}
		again := e.Must(200, "GET", "/decisions/"+tc.id, e.officer("olive"), nil)
		if a := again["appeal"].(map[string]any); a["court"] != "Maidstone Crown Court" || again["retention_due"] != tc.retention {
			t.Errorf("the second appeal changed the decision: %v", again)
		}
		if after := e.TableCounts(t); after["watermill_outbox"] != before["watermill_outbox"] {
			t.Errorf("the second appeal sent %d messages", after["watermill_outbox"]-before["watermill_outbox"])
		}
	}
}

// A manager's and an officer's words are kept exactly as sent, white space at their ends
// and all: a send-back's reason, a takedown's, an appeal's court and notes.
func TestReasonsAndAppealsAreKeptAsSent(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000002101", "", aConviction())
	e.disclose("0195f3a0-0000-7000-8000-000000002102", "", aConviction())
	ids := e.waitForDecisions(2)
	sentBack, appealed := ids[0], ids[1]

	e.Must(200, "POST", "/decisions/"+sentBack+"/draft", e.officer("olive"), aDraft())
	reason := "  Say more about the community effect.\n"
	d := e.Must(200, "POST", "/decisions/"+sentBack+"/send-back", e.manager("maria"), map[string]any{"reason": reason})
	if got := d["sent_back"].(map[string]any)["reason"]; got != reason {
		t.Errorf("send-back reason %q, sent %q", got, reason)
	}
	e.publish(sentBack, aDraft())
	takedown := "\tObjection upheld. "
	d = e.Must(200, "POST", "/decisions/"+sentBack+"/takedown", e.manager("maria"), map[string]any{"reason": takedown})
	if got := d["taken_down"].(map[string]any)["reason"]; got != takedown {
		t.Errorf("takedown reason %q, sent %q", got, takedown)
	}

	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	court, notes := " Maidstone Crown Court", "Quashed on appeal.\n"
	d = e.Must(200, "POST", "/decisions/"+appealed+"/appeal", e.officer("olive"), map[string]any{"decided_on": "2026-03-11", "court": court, "notes": notes})
	if a := d["appeal"].(map[string]any); a["court"] != court || a["notes"] != notes {
		t.Errorf("appeal court %q notes %q, sent %q and %q", a["court"], a["notes"], court, notes)
	}
}
