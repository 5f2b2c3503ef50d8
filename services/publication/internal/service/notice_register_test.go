package service_test

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// TestWebsitePublicationIsALoggedDisclosure: publishing on the website is a disclosure to
// the public register the notice allows, minimised to what it lets the register show and
// logged in the approval's commit, with no message (the register itself shows it); the
// offender's access answer and the disclosures the rights service tells under Art 19 name
// it, and the register shows exactly the six fields.
func TestWebsitePublicationIsALoggedDisclosure(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000001101", "", aConviction())
	id := e.waitForDecisions(1)[0]
	d := e.publish(id, aDraft())
	registerID, _ := d["register_disclosure_id"].(string)
	if d["status"] != "published" || registerID == "" || d["press_release_id"] != nil {
		t.Fatalf("published: %v", d)
	}

	var logged []struct {
		ID            string         `db:"id"`
		DataSubject   string         `db:"data_subject"`
		Recipient     string         `db:"recipient"`
		Purpose       string         `db:"purpose"`
		Condition     string         `db:"condition"`
		Categories    pq.StringArray `db:"categories"`
		NoticeVersion string         `db:"notice_version"`
		Subject       string         `db:"subject"`
		DisclosedBy   string         `db:"disclosed_by"`
		DisclosedAt   time.Time      `db:"disclosed_at"`
	}
	if err := e.DB.Select(&logged, `SELECT id, data_subject, recipient, purpose, condition, categories, notice_version, subject,
		disclosed_by, disclosed_at FROM disclosure_log WHERE case_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if len(logged) != 1 {
		t.Fatalf("%d disclosures logged, want the register's: %+v", len(logged), logged)
	}
	l := logged[0]
	if l.ID != registerID || l.DataSubject != "offender:"+id || l.Recipient != "public-register" || l.Purpose != "publication" ||
		l.Condition != "public_task" || strings.Join(l.Categories, ",") != "conviction_outcome,name,town" || l.NoticeVersion != "2026.11.3" ||
		l.Subject != "/public/prosecutions" || l.DisclosedBy != "maria" || !l.DisclosedAt.Equal(start) {
		t.Errorf("logged %+v", l)
	}
	if n := e.Count(`SELECT count(*) FROM watermill_outbox WHERE uuid = $1`, registerID); n != 0 {
		t.Errorf("the register's disclosure went out as %d messages", n)
	}
	if entries := e.registerJSON(); len(entries) != 1 || !equalEntry(entries[0], map[string]any{"name": "Sam Subject", "town": "Maidstone",
		"offence": "Breach of a noise abatement notice (EPA 1990 s80(4))", "court": "Maidstone Magistrates' Court", "date": "2026-02-20",
		"sentence": "Fine of GBP 1,200"}) {
		t.Errorf("register %v", entries)
	}

	want := []rights.Disclosure{{DisclosureID: registerID, Recipient: "public-register", Purpose: "publication",
		Categories: []string{"conviction_outcome", "name", "town"}, DisclosedAt: start, NoticeVersion: "2026.11.3", InPlace: true}}
	exported := ask[rights.ExportReply](e, rights.Export, records(id))
	if len(exported.Records) != 1 || !reflect.DeepEqual(exported.Records[0].Disclosures, want) {
		t.Fatalf("the access answer's disclosures: %+v", exported.Records)
	}
	// An erasure (refused while published) and a restriction name the register among those
	// the rights service must tell (Art 19).
	for _, verb := range []string{rights.Erase, rights.Restrict} {
		if got := ask[rights.ActionReply](e, verb, records(id)).Outcomes; len(got) != 1 || !reflect.DeepEqual(got[0].Disclosures, want) {
			t.Errorf("%s: %+v", verb, got)
		}
	}
}

// TestRegisterShowsWhatTheNoticeAllows: the register's fields come from the notice, not
// from the service. With a notice that lets the register show no town, the entry's
// disclosure leaves it out and every format shows none (the press still has what its own
// rule allows); with a notice that names no register for publication, approving a
// decision to publish is refused with the notice's reason and changes nothing.
func TestRegisterShowsWhatTheNoticeAllows(t *testing.T) {
	noTown := editedNotice(t, "        categories: [name, town, conviction_outcome]\n        special_condition: public_task\n  local-press:",
		"        categories: [name, conviction_outcome]\n        special_condition: public_task\n  local-press:")
	e := newEnvWithNotice(t, noTown)
	press := e.Collect("PUBLICATION_SHARE", "share.local-press.>")
	e.disclose("0195f3a0-0000-7000-8000-000000001201", "", aConviction())
	id := e.waitForDecisions(1)[0]
	d := e.publish(id, aPressDraft())
	if c := d["conviction"].(map[string]any); c["town"] != "Maidstone" {
		t.Fatalf("the decision holds the town: %v", c)
	}
	var categories []string
	if err := e.DB.Select(&categories, `SELECT array_to_string(categories, ',') FROM disclosure_log WHERE case_id = $1 AND recipient = 'public-register'`,
		id); err != nil || len(categories) != 1 || categories[0] != "conviction_outcome,name" {
		t.Errorf("the register's disclosure: %v (%v)", categories, err)
	}
	entries := e.registerJSON()
	if len(entries) != 1 || entries[0]["town"] != "" || entries[0]["name"] != "Sam Subject" || entries[0]["sentence"] != "Fine of GBP 1,200" {
		t.Fatalf("register %v", entries)
	}
	for _, path := range []string{"/public/prosecutions.atom", "/public/prosecutions.html"} {
		if r := e.Call("GET", path, "", nil); r.Status != 200 || strings.Contains(string(r.Body), "Maidstone<") ||
			strings.Contains(string(r.Body), "of Maidstone") || !strings.Contains(string(r.Body), "Sam Subject") {
			t.Errorf("%s shows the town: %s", path, r.Body)
		}
	}
	if data := decode(t, press.WaitFor(t, 1)[0])["data"].(map[string]any); data["town"] != "Maidstone" {
		t.Errorf("the press release: %v", data)
	}

	noRegister := editedNotice(t, "      - purposes: [publication]\n        condition: public_task\n        categories: [name, town, conviction_outcome]",
		"      - purposes: [press_release]\n        condition: public_task\n        categories: [name, town, conviction_outcome]")
	e = newEnvWithNotice(t, noRegister)
	e.disclose("0195f3a0-0000-7000-8000-000000001202", "", aConviction())
	id = e.waitForDecisions(1)[0]
	e.Must(200, "POST", "/decisions/"+id+"/draft", e.officer("olive"), aDraft())
	before := e.TableCounts(t)
	p := testkit.ProblemOf(t, e.Call("POST", "/decisions/"+id+"/approve", e.manager("maria"), nil), 403, httpserver.TypeDisclosureRefused)
	if p["recipient"] != "public-register" || p["purpose"] != "publication" || !strings.Contains(p["detail"].(string), "publishing the outcome on the council's website") {
		t.Errorf("refusal %v", p)
	}
	if after := e.TableCounts(t); !reflect.DeepEqual(before, after) || len(e.registerJSON()) != 0 {
		t.Errorf("the refusal changed something: %v -> %v", before, after)
	}
	if got := e.Must(200, "GET", "/decisions/"+id, e.officer("olive"), nil); got["status"] != "awaiting_approval" {
		t.Errorf("after the refusal: %v", got["status"])
	}
}

// TestPublicationPeriodIsTheNotices: how long an entry stays up is the notice's
// (purposes.publication.lasts), not a setting of the service.
func TestPublicationPeriodIsTheNotices(t *testing.T) {
	e := newEnvWithNotice(t, editedNotice(t, "    lasts: 1m\n", "    lasts: 2m\n"))
	e.disclose("0195f3a0-0000-7000-8000-000000001301", "", aConviction())
	d := e.publish(e.waitForDecisions(1)[0], aDraft())
	tk := d["takedown"].(map[string]any)
	period := tk["publication_period"].(map[string]any)
	if tk["on"] != "2026-05-02" || tk["reason"] != "publication_period" || period["amount"] != float64(2) {
		t.Fatalf("takedown %v", tk)
	}
}

// TestRegisterWithoutATown: an entry whose town is not known reads "<name>: <offence>" in
// the Atom feed, as the press release words it, never "<name> of : <offence>"; the HTML
// page leaves the town's cell empty.
func TestRegisterWithoutATown(t *testing.T) {
	e := newEnv(t)
	c := aConviction()
	c["town"] = ""
	e.disclose("0195f3a0-0000-7000-8000-000000001401", "", c)
	e.publish(e.waitForDecisions(1)[0], aDraft())

	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	atom := e.Call("GET", "/public/prosecutions.atom", "", nil)
	if err := xml.Unmarshal(atom.Body, &feed); err != nil || len(feed.Entries) != 1 {
		t.Fatalf("feed %s (%v)", atom.Body, err)
	}
	if got := feed.Entries[0].Title; got != "Sam Subject: Breach of a noise abatement notice (EPA 1990 s80(4))" {
		t.Errorf("Atom title %q", got)
	}
	html := string(e.Call("GET", "/public/prosecutions.html", "", nil).Body)
	if !strings.Contains(html, "<tr><td>Sam Subject</td><td></td><td>Breach of a noise abatement notice") || strings.Contains(html, " of <") ||
		strings.Contains(html, "Subject of") {
		t.Errorf("HTML register: %s", html)
	}
	if entries := e.registerJSON(); len(entries) != 1 || entries[0]["town"] != "" {
		t.Errorf("JSON register: %v", entries)
	}
}
