package service_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/contracts/rights"
	"casework.dev/pkg/audit"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// Whom an enforcement action may be addressed to: the people the law makes answer for it,
// the subject or an owner (ASBCPA 2014 s44, EPA 1990 s80(2), TCPA 1990 s215...), and for an
// injunction the subject alone (ASBCPA 2014 s1). Values are fictional.

// owner owns the amplifier and the house the music comes from; she is not investigated.
var owner = map[string]any{"role": "owner", "name": "Olga Owner", "address": "11 Mill Lane, Maidstone ME14 1AA",
	"phone": "01622 666666", "email": "olga@example.org"}

// addPerson adds someone to the case and returns their id.
func (e *env) addPerson(path, token string, p map[string]any) string {
	e.T.Helper()
	people := e.Must(200, "POST", path+"/people", token, p)["people"].([]any)
	return people[len(people)-1].(map[string]any)["id"].(string)
}

// An owner who is not the suspect may be addressed: the seizure of her amplifier, a notice
// served on her as owner of the premises, and a warning then a notice under s44, the
// warning-first rule (s43(5)) holding for her as for a subject. The case view and the audit
// trail name her by id and role; her subject access answer lists what was addressed to her
// and nothing addressed to the subject, and his nothing of hers; the events carry no
// personal data.
func TestActionsMayBeAddressedToAnOwner(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("INVESTIGATIONS_EVENTS", "investigations.events.>")
	statusEvents := e.Collect("INVESTIGATIONS_STATUS", "status.>")
	olive := e.officer("olive")
	f, _ := e.investigating(olive, false)
	path := "/investigations/" + f.id
	ownerID := e.addPerson(path, olive, owner)

	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "seizure", "person_id": ownerID, "notes": "Olga Owner's amplifier, 11 Mill Lane"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "notice_served", "person_id": ownerID})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": ownerID, "comply_by": "2026-03-09"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "comply_by": "2026-03-16"}) // the only subject, by default

	before := e.rowCounts()
	detail := e.refusedByRule(path, olive, map[string]any{"kind": cpn, "person_id": ownerID}, "cpw_time_to_comply")
	if want := "the warning to person " + ownerID + " on " + f.view["reference"].(string) + " gave until 2026-03-09"; !strings.Contains(detail, want) {
		t.Errorf("detail %q, want it to say %q", detail, want)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusal wrote rows: %v, before %v", after, before)
	}
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	olive = e.officer("olive")
	v := e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpn, "person_id": ownerID})

	at, later := start.Format(time.RFC3339), "2026-03-10T09:00:00Z"
	want := []any{
		map[string]any{"kind": "seizure", "notes": "Olga Owner's amplifier, 11 Mill Lane", "at": at, "by": "olive", "person_id": ownerID},
		map[string]any{"kind": "notice_served", "at": at, "by": "olive", "person_id": ownerID},
		map[string]any{"kind": cpw, "at": at, "by": "olive", "person_id": ownerID, "comply_by": "2026-03-09"},
		map[string]any{"kind": cpw, "at": at, "by": "olive", "person_id": f.subjectID, "comply_by": "2026-03-16"},
		map[string]any{"kind": cpn, "at": later, "by": "olive", "person_id": ownerID},
	}
	if !reflect.DeepEqual(v["actions"], want) || v["status"] != "action_taken" {
		t.Errorf("%s actions\n %v\nwant\n %v", v["status"], v["actions"], want)
	}
	if n := e.Count(`SELECT count(*) FROM investigation_actions WHERE investigation_id = $1 AND person_id = $2`, f.id, ownerID); n != 4 {
		t.Errorf("%d actions stored to the owner, want 4", n)
	}

	// The audit trail says to whom, by id and role, never by name.
	recs, err := audit.Chain(context.Background(), e.DB, "investigation:"+f.id)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, r := range recs {
		if r.Action == "investigation.action_taken" {
			trail = append(trail, normal(t, json.RawMessage(r.Detail)))
		}
	}
	wantTrail := []string{
		normal(t, map[string]any{"action": "seizure", "person_id": ownerID, "role": "owner"}),
		normal(t, map[string]any{"action": "notice_served", "person_id": ownerID, "role": "owner"}),
		normal(t, map[string]any{"action": cpw, "person_id": ownerID, "role": "owner", "comply_by": "2026-03-09"}),
		normal(t, map[string]any{"action": cpw, "person_id": f.subjectID, "role": "subject", "comply_by": "2026-03-16"}),
		normal(t, map[string]any{"action": cpn, "person_id": ownerID, "role": "owner"}),
	}
	if !reflect.DeepEqual(trail, wantTrail) {
		t.Errorf("audit of the actions\n %v\nwant\n %v", trail, wantTrail)
	}

	export := func(personID string) rights.Record {
		t.Helper()
		got := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-o", RecordIDs: []string{f.id + "/" + personID}})
		if len(got.Records) != 1 {
			t.Fatalf("records %+v", got.Records)
		}
		return got.Records[0]
	}
	for _, c := range []struct {
		who, id, role, other string
		want                 []any
	}{
		{"the owner", ownerID, "owner", f.subjectID, []any{
			map[string]any{"kind": "seizure", "on": "2026-03-02"},
			map[string]any{"kind": "notice_served", "on": "2026-03-02"},
			map[string]any{"kind": cpw, "on": "2026-03-02", "comply_by": "2026-03-09"},
			map[string]any{"kind": cpn, "on": "2026-03-10"}}},
		{"the subject", f.subjectID, "subject", ownerID, []any{
			map[string]any{"kind": cpw, "on": "2026-03-02", "comply_by": "2026-03-16"}}},
	} {
		rec := export(c.id)
		if got, _ := rec.Held["enforcement"].([]any); rec.Role != c.role || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s (%s): enforcement\n %v\nwant\n %v", c.who, rec.Role, got, c.want)
		}
		if raw, _ := json.Marshal(rec); strings.Contains(string(raw), c.other) {
			t.Errorf("%s's export names %s: %s", c.who, c.other, raw)
		}
	}

	// Opened, owner added, triaged, investigating, five actions: ids and controlled values only.
	const changes = 9
	check := controlledValues(t, e)
	for _, m := range domainEvents.WaitFor(t, changes) {
		check(m, &events.InvestigationEvent{})
	}
	for _, m := range statusEvents.WaitFor(t, changes) {
		check(m, &events.InvestigationStatus{})
	}
	all := append(domainEvents.All(), statusEvents.All()...)
	testkit.NoPersonalData(t, "events", all, "Olga", "Owner", "11 Mill Lane", "01622 666666", "olga@example.org", "amplifier")
}

// A step addressed to someone the law does not make answer for it is refused with a 400
// problem at /person_id naming the roles it needs, and changes nothing: a reporter, witness,
// victim or other person for every kind, and an owner for an injunction.
func TestActionsToPeopleNotAnswerableAreRefused(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, _ := e.investigating(olive, false)
	path := "/investigations/" + f.id
	ownerID := e.addPerson(path, olive, owner)
	victimID := e.addPerson(path, olive, map[string]any{"role": "victim", "name": "Vera Victim"})
	otherID := e.addPerson(path, olive, map[string]any{"role": "other", "name": "Otto Other"})
	answerable := "subject or owner"
	cases := []struct {
		kind, person, role, roles string
	}{
		{"seizure", f.witnessID, "witness", answerable},
		{"notice_served", f.reporterID, "reporter", answerable},
		{"abatement_notice", victimID, "victim", answerable},
		{"works_in_default", otherID, "other", answerable},
		{"warning", f.witnessID, "witness", answerable},
		{"licence_action", otherID, "other", answerable},
		{"fixed_penalty", victimID, "victim", answerable},
		{cpn, f.reporterID, "reporter", answerable},
		{"injunction", ownerID, "owner", "subject"},
	}
	for _, c := range cases {
		t.Run(c.kind+" to the "+c.role, func(t *testing.T) {
			before := e.rowCounts()
			r := e.Call("POST", path+"/actions", olive, map[string]any{"kind": c.kind, "person_id": c.person})
			p := r.JSON(t)
			words := strings.ReplaceAll(c.kind, "_", " ")
			article := map[bool]string{true: "an ", false: "a "}[strings.ContainsAny(words[:1], "aeiou")]
			if c.kind == "works_in_default" {
				article = ""
			}
			want := []any{map[string]any{"pointer": "/person_id", "detail": "must name a person in the " + c.roles + " role for " + article + words +
				": person " + c.person + " is in the " + c.role + " role"}}
			if r.Status != 400 || r.Header.Get("Content-Type") != httpserver.ProblemContentType || p["type"] != httpserver.TypeValidation ||
				!reflect.DeepEqual(p["errors"], want) {
				t.Fatalf("%d %s, want 400 validation %v", r.Status, r.Body, want)
			}
			if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
				t.Errorf("the refusal wrote rows: %v, before %v", after, before)
			}
		})
	}
	if v := e.Must(200, "GET", path, olive, nil); v["status"] != "investigating" || len(v["actions"].([]any)) != 0 {
		t.Errorf("after the refusals: %s actions %v", v["status"], v["actions"])
	}
	if n := e.Count(`SELECT count(*) FROM investigation_actions WHERE investigation_id = $1`, f.id); n != 0 {
		t.Errorf("%d action rows after the refusals", n)
	}
}

// A warning recorded before actions named anyone (migration 00007) still counts for the
// subject, as it did, but is no warning to an owner: warnings then went to subjects alone.
func TestAWarningRecordedBeforeActionsNamedAnyoneIsNoWarningToAnOwner(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, _ := e.investigating(olive, false)
	path := "/investigations/" + f.id
	ownerID := e.addPerson(path, olive, owner)
	if _, err := e.DB.Exec(`INSERT INTO investigation_actions (investigation_id, position, kind, at, by_officer)
		VALUES ($1, 0, $2, '2026-03-01T10:00:00Z', 'olive')`, f.id, cpw); err != nil {
		t.Fatal(err)
	}

	before := e.rowCounts()
	detail := e.refusedByRule(path, olive, map[string]any{"kind": cpn, "person_id": ownerID}, "cpw_first")
	if want := "has no community protection warning to person " + ownerID; !strings.HasSuffix(detail, want) {
		t.Errorf("detail %q, want it to end %q", detail, want)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusal wrote rows: %v, before %v", after, before)
	}
	v := e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpn})
	if actions := v["actions"].([]any); len(actions) != 2 || actions[1].(map[string]any)["person_id"] != f.subjectID {
		t.Errorf("actions %v, want the old warning and the notice to the subject", actions)
	}
}

// An owner served with a notice who did not comply may be convicted (ASBCPA 2014 s48, EPA
// 1990 s80(4)): the conviction names her, the publication service receives her name and
// town, and her subject access answer holds the outcome, the subject's not. A witness is no
// one a conviction may name.
func TestAnOwnerMayBeConvicted(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.publication-service.investigations.>")
	olive := e.officer("olive")
	f, _ := e.investigating(olive, false)
	path := "/investigations/" + f.id
	withTown := map[string]any{}
	for k, v := range owner {
		withTown[k] = v
	}
	withTown["town"] = "Maidstone"
	ownerID := e.addPerson(path, olive, withTown)
	witnessID := e.addPerson(path, olive, map[string]any{"role": "witness", "name": "Wendy Witness"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "abatement_notice", "person_id": ownerID})
	e.Must(200, "POST", path+"/prosecute", olive, nil)
	conviction := map[string]any{"outcome": "conviction", "offence": "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 800", "sentence_length": "none"}
	conviction["person_id"] = witnessID
	p := testkit.ProblemOf(t, e.Call("POST", path+"/outcome", olive, conviction), 400, "https://casework.dev/problems/validation")
	if errs, _ := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["pointer"] != "/person_id" ||
		errs[0].(map[string]any)["detail"] != "must name the person convicted: a person on the case in the subject or owner role" {
		t.Fatalf("a witness convicted: %v", p)
	}
	conviction["person_id"] = ownerID
	v := e.Must(200, "POST", path+"/outcome", olive, conviction)
	if o := v["outcome"].(map[string]any); o["person_id"] != ownerID {
		t.Fatalf("outcome %v", o)
	}
	msgs := share.WaitFor(t, 1)
	want := map[string]any{"name": "Olga Owner", "town": "Maidstone", "offence": conviction["offence"], "court": conviction["court"],
		"date": "2026-03-02", "sentence": "Fine of GBP 800"}
	if body := testkit.Decode(t, msgs[0]); !reflect.DeepEqual(body["data"], want) {
		t.Errorf("publication outcome %v, want %v", body["data"], want)
	}
	exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-owner",
		RecordIDs: []string{f.id + "/" + ownerID, f.id + "/" + f.subjectID}})
	if len(exported.Records) != 2 {
		t.Fatalf("records %+v", exported.Records)
	}
	if got := exported.Records[0].Held["outcome"]; got == nil || got.(map[string]any)["offence"] != conviction["offence"] {
		t.Errorf("the owner's answer holds outcome %v", got)
	}
	if got, ok := exported.Records[1].Held["outcome"]; ok {
		t.Errorf("the subject's answer holds the owner's conviction %v", got)
	}
}

// refusedAtPersonID posts an action, expects a 400 problem with one error at /person_id
// with the detail, and that nothing was written.
func (e *env) refusedAtPersonID(path, token string, body map[string]any, detail string) {
	e.T.Helper()
	before := e.rowCounts()
	r := e.Call("POST", path+"/actions", token, body)
	p := testkit.ProblemOf(e.T, r, 400, httpserver.TypeValidation)
	if want := []any{map[string]any{"pointer": "/person_id", "detail": detail}}; !reflect.DeepEqual(p["errors"], want) {
		e.T.Errorf("%v: %s\nwant errors %v", body, r.Body, want)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		e.T.Errorf("%v: the refusal wrote rows: %v, before %v", body, after, before)
	}
}

// A community protection notice may be issued only "to an individual aged 16 or over, or a
// body" (ASBCPA 2014 s43(1)), and so the warning that must come first; an injunction only
// against a person aged 10 or over (s1(1)). A person whose recorded date of birth makes
// them younger on the day is refused at /person_id, naming the person by id, never by name
// or birth; from their birthday they may be addressed. No date of birth recorded is no bar,
// and a fixed penalty, one kind for offences with differing ages, has none here.
func TestCommunityProtectionStepsAndInjunctionsHaveAMinimumAge(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, sidID := e.investigating(olive, true)
	path := "/investigations/" + f.id
	kitID := e.addPerson(path, olive, map[string]any{"role": "subject", "name": "Kit Young", "date_of_birth": "2010-03-03"})   // 16 on 3 March 2026
	ivyID := e.addPerson(path, olive, map[string]any{"role": "subject", "name": "Ivy Younger", "date_of_birth": "2016-03-03"}) // 10 on 3 March 2026
	const law = "Anti-social Behaviour, Crime and Policing Act 2014 "

	e.refusedAtPersonID(path, olive, map[string]any{"kind": cpw, "person_id": kitID, "comply_by": "2026-03-09"},
		"must name a person aged 16 or over for a community protection warning ("+law+"s43(1)): person "+kitID+" is under 16 on 2026-03-02")
	e.refusedAtPersonID(path, olive, map[string]any{"kind": cpw, "person_id": ivyID, "comply_by": "2026-03-09"},
		"must name a person aged 16 or over for a community protection warning ("+law+"s43(1)): person "+ivyID+" is under 16 on 2026-03-02")
	e.refusedAtPersonID(path, olive, map[string]any{"kind": "injunction", "person_id": ivyID},
		"must name a person aged 10 or over for an injunction ("+law+"s1(1)): person "+ivyID+" is under 10 on 2026-03-02")
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": sidID, "comply_by": "2026-03-09"}) // no date of birth
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "fixed_penalty", "person_id": kitID})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "injunction", "person_id": kitID})

	e.Clock.Set(time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)) // their birthdays
	olive = e.officer("olive")
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": kitID, "comply_by": "2026-03-09"})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "injunction", "person_id": ivyID})
	e.refusedAtPersonID(path, olive, map[string]any{"kind": cpw, "person_id": ivyID, "comply_by": "2026-03-09"},
		"must name a person aged 16 or over for a community protection warning ("+law+"s43(1)): person "+ivyID+" is under 16 on 2026-03-03")

	// A notice addressed by default to the only subject is refused for a child too, before
	// the warning it needs is asked about: a warning recorded before warnings named anyone
	// counts for every subject (migration 00007).
	child := e.openCase(olive, "anti_social_behaviour", "", map[string]any{"people": []any{reporter,
		map[string]any{"role": "subject", "name": "Kid Subject", "date_of_birth": "2014-06-01"}, witness}})
	childPath := "/investigations/" + child.id
	e.Must(200, "POST", childPath+"/triage", olive, nil)
	e.Must(200, "POST", childPath+"/investigate", olive, nil)
	if _, err := e.DB.Exec(`INSERT INTO investigation_actions (investigation_id, position, kind, at, by_officer)
		VALUES ($1, 0, $2, '2026-02-01T10:00:00Z', 'olive')`, child.id, cpw); err != nil {
		t.Fatal(err)
	}
	e.refusedAtPersonID(childPath, olive, map[string]any{"kind": cpn},
		"must name a person aged 16 or over for a community protection notice ("+law+"s43(1)): person "+child.subjectID+" is under 16 on 2026-03-03")
	// An injunction naming no one is against the only subject, and refused for a child
	// under 10 as when she is named (it was accepted, addressed to no one).
	younger := e.openCase(olive, "anti_social_behaviour", "", map[string]any{"people": []any{reporter,
		map[string]any{"role": "subject", "name": "Kid Younger", "date_of_birth": "2017-01-01"}, witness}})
	youngerPath := "/investigations/" + younger.id
	e.Must(200, "POST", youngerPath+"/triage", olive, nil)
	e.Must(200, "POST", youngerPath+"/investigate", olive, nil)
	e.refusedAtPersonID(youngerPath, olive, map[string]any{"kind": "injunction"},
		"must name a person aged 10 or over for an injunction ("+law+"s1(1)): person "+younger.subjectID+" is under 10 on 2026-03-03")
	if n := e.Count(`SELECT count(*) FROM investigation_actions WHERE investigation_id = $1`, child.id); n != 1 {
		t.Errorf("%d actions on the child's case, want the old warning alone", n)
	}
}

// An owner answers for a notice served on them (ASBCPA 2014 s48, EPA 1990 s80(4)): one on
// whom the case served none, though a seizure and a warning were addressed to her, may not
// be named as convicted; the refusal is a 400 at /person_id and nothing is recorded or sent
// to the publication service.
func TestAnOwnerWithNoNoticeServedOnHerMayNotBeConvicted(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f, _ := e.investigating(olive, false)
	path := "/investigations/" + f.id
	ownerID := e.addPerson(path, olive, owner)
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "seizure", "person_id": ownerID})
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": cpw, "person_id": ownerID, "comply_by": "2026-03-09"})
	e.Must(200, "POST", path+"/prosecute", olive, nil)
	conviction := map[string]any{"outcome": "conviction", "person_id": ownerID, "offence": "Failing to comply with a community protection notice",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 800", "sentence_length": "none"}

	before := e.rowCounts()
	r := e.Call("POST", path+"/outcome", olive, conviction)
	p := testkit.ProblemOf(t, r, 400, httpserver.TypeValidation)
	want := []any{map[string]any{"pointer": "/person_id", "detail": "must name the person convicted: an owner only once a notice " +
		"(community protection notice, abatement notice, notice served or fixed penalty) was served on them, as not complying with it " +
		"is the offence; " + f.view["reference"].(string) + " has none to person " + ownerID}}
	if !reflect.DeepEqual(p["errors"], want) {
		t.Errorf("%s\nwant errors %v", r.Body, want)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusal wrote rows: %v, before %v", after, before)
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log WHERE recipient = 'publication-service'`); n != 0 {
		t.Errorf("%d publication disclosures after the refusal", n)
	}
	if v := e.Must(200, "GET", path, olive, nil); v["status"] != "prosecution" || v["outcome"] != nil {
		t.Errorf("after the refusal: %s outcome %v", v["status"], v["outcome"])
	}
	// The subject may still be.
	conviction["person_id"] = f.subjectID
	if o := e.Must(200, "POST", path+"/outcome", olive, conviction)["outcome"].(map[string]any); o["person_id"] != f.subjectID {
		t.Errorf("outcome %v", o)
	}
}
