package service_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Notice wording the refusals and decisions must carry (contracts/notices/complaints.yaml).
const (
	sharingNoticeVersion = "2026.11.3"
	sharingKCC           = "kent-county-council"
	sharingSubject       = "subject-of-complaint"
	sharingKCCLabels     = "name, postal address, phone number, email address, " +
		"details of the complaint, including the service it concerns and how it was made, " +
		"further points the complainant asks to have reviewed at stage 2"
	sharingSpecialWithheld = "special category information the complaint reveals, such as details of health or a disability " +
		"is special category data and goes only with the complainant's recorded explicit consent to share that sensitive information as well, which is not recorded"
	sharingNoConsentStage1 = "Stage 1 complaint data is shared with Kent County Council only with the complainant's recorded consent; none is recorded."
)

// sharingCounts is a snapshot of every table a request could change; a refusal must leave
// it exactly as it was. Outbox counts the messages the outbox holds, its rows' and their
// companions'.
type sharingCounts struct {
	Complaints, Versions, Personal, Consents, Withdrawn, Deadlines, Audit, Outbox, Disclosures int
}

func sharingSnapshot(e *env) sharingCounts {
	e.T.Helper()
	var c sharingCounts
	err := e.DB.QueryRow(`SELECT
		(SELECT count(*) FROM complaints), (SELECT coalesce(sum(version), 0) FROM complaints),
		(SELECT count(*) FROM complaint_personal_data), (SELECT count(*) FROM complaint_consents),
		(SELECT count(*) FROM complaint_consents WHERE withdrawn_at IS NOT NULL), (SELECT count(*) FROM complaint_deadlines),
		(SELECT count(*) FROM audit_log),
		(SELECT count(*) + coalesce(sum(json_array_length((metadata->>$1)::json)), 0) FROM watermill_outbox),
		(SELECT count(*) FROM disclosure_log)`, messaging.CompanionsKey).
		Scan(&c.Complaints, &c.Versions, &c.Personal, &c.Consents, &c.Withdrawn, &c.Deadlines, &c.Audit, &c.Outbox, &c.Disclosures)
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}

// sharingUnchanged fails when the tables moved since before.
func sharingUnchanged(e *env, what string, before sharingCounts) {
	e.T.Helper()
	if after := sharingSnapshot(e); after != before {
		e.T.Fatalf("%s changed the database:\nbefore %+v\n after %+v", what, before, after)
	}
}

// sharingRefused asserts a notice refusal: 403 disclosure-refused with the notice's words.
func sharingRefused(t *testing.T, r testkit.Response, recipient, purpose, detail string, withheld []string) {
	t.Helper()
	if r.Status != http.StatusForbidden {
		t.Fatalf("status %d, want 403: %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	p := r.JSON(t)
	want := map[string]any{"type": "https://casework.dev/problems/disclosure-refused", "title": "Disclosure refused by the privacy notice",
		"status": 403.0, "detail": detail, "recipient": recipient, "purpose": purpose, "notice_version": sharingNoticeVersion}
	for k, v := range want {
		if !reflect.DeepEqual(p[k], v) {
			t.Errorf("problem %s = %#v, want %#v", k, p[k], v)
		}
	}
	if got := sharingStrings(p["withheld"]); !reflect.DeepEqual(got, withheld) {
		t.Errorf("problem withheld = %q, want %q", got, withheld)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// sharingStrings reads a JSON array of strings; nil when absent, empty when empty.
func sharingStrings(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i], _ = s.(string)
	}
	return out
}

// sharingExpectDisclosure checks a 201 disclosure answer field by field.
func sharingExpectDisclosure(t *testing.T, got map[string]any, recipient, purpose string, categories, fields, withheld []string, reason string) {
	t.Helper()
	id, _ := got["id"].(string)
	if len(id) != 36 {
		t.Fatalf("disclosure id %q", got["id"])
	}
	want := map[string]any{"id": id, "recipient": recipient, "purpose": purpose, "condition": "consent",
		"categories": categories, "fields": fields, "withheld": withheld, "reason": reason,
		"notice_version": sharingNoticeVersion, "subject": "share." + recipient + ".complaints." + purpose}
	norm := map[string]any{}
	for k, v := range got {
		if _, isList := v.([]any); isList {
			norm[k] = sharingStrings(v)
		} else {
			norm[k] = v
		}
	}
	if !reflect.DeepEqual(norm, want) {
		t.Fatalf("disclosure:\n got %#v\nwant %#v", norm, want)
	}
}

// sharingStreamMsgs is how many messages a stream holds now.
func sharingStreamMsgs(e *env, stream string) uint64 {
	e.T.Helper()
	s, err := e.NATS.JS.Stream(context.Background(), stream)
	if err != nil {
		e.T.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	return info.State.Msgs
}

// sharingShareMessage checks one disclosure message: envelope and exactly the data given.
func sharingShareMessage(t *testing.T, m jetstream.Msg, id, recipient, purpose, reference string, at time.Time, data map[string]any) {
	t.Helper()
	if want := "share." + recipient + ".complaints." + purpose; m.Subject() != want {
		t.Fatalf("subject %s, want %s", m.Subject(), want)
	}
	if got := m.Headers().Get(nats.MsgIdHdr); got != id {
		t.Errorf("Nats-Msg-Id %q, want the disclosure id %q", got, id)
	}
	want := map[string]any{"disclosure_id": id, "recipient": recipient, "purpose": purpose, "condition": "consent",
		"notice_version": sharingNoticeVersion, "reference": reference, "disclosed_at": at.UTC().Format(time.RFC3339Nano), "data": data}
	if got := testkit.Decode(t, m); !reflect.DeepEqual(got, want) {
		t.Fatalf("share message:\n got %#v\nwant %#v", got, want)
	}
}

type sharingLogRow struct {
	ID            string         `db:"id"`
	CaseID        string         `db:"case_id"`
	DataSubject   string         `db:"data_subject"`
	Recipient     string         `db:"recipient"`
	Purpose       string         `db:"purpose"`
	Condition     string         `db:"condition"`
	Categories    pq.StringArray `db:"categories"`
	NoticeVersion string         `db:"notice_version"`
	Subject       string         `db:"subject"`
	EventID       string         `db:"event_id"`
	DisclosedBy   string         `db:"disclosed_by"`
	DisclosedAt   time.Time      `db:"disclosed_at"`
}

func sharingLog(e *env) []sharingLogRow {
	e.T.Helper()
	var rows []sharingLogRow
	if err := e.DB.Select(&rows, `SELECT id, case_id, data_subject, recipient, purpose, condition, categories,
		notice_version, subject, event_id, disclosed_by, disclosed_at FROM disclosure_log ORDER BY disclosed_at, id`); err != nil {
		e.T.Fatal(err)
	}
	for i := range rows {
		rows[i].DisclosedAt = rows[i].DisclosedAt.UTC()
	}
	return rows
}

// sharingNoPersonalData fails when any of the complainant's values appear in raw.
func sharingNoPersonalData(t testing.TB, what string, raw []byte, values ...string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(string(raw), v) {
			t.Fatalf("%s carries personal data %q: %s", what, v, raw)
		}
	}
}

var sharingAdaValues = []string{"Ada Lovelace", "1 High Street", "01622 000111", "ada@example.org", "Bins not collected"}

const sharingSpecialText = "Uses a wheelchair; the bin was left blocking the ramp."

func TestSharingKentCountyCouncilNeedsConsent(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("COMPLAINTS_SHARE", "share.>")
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	alice := e.officer("alice")
	body := aComplaint()
	body["special_details"] = sharingSpecialText
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id, ref := c["id"].(string), c["reference"].(string)
	domainEvents.WaitFor(t, 1) // the relay has caught up with everything written so far

	// Stage 1, no consent: refused with the notice's reason, and nothing is written or sent.
	before := sharingSnapshot(e)
	r := e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	sharingRefused(t, r, sharingKCC, "complaint_handling", sharingNoConsentStage1, []string{})
	sharingUnchanged(e, "a refused disclosure", before)

	// Consent recorded: the disclosure goes, minimised, with the special category data held back.
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC})
	wantConsent := []any{map[string]any{"recipient": sharingKCC, "given_at": "2026-03-02T10:00:00Z", "recorded_by": "alice", "withdrawn_at": nil, "explicit": false}}
	if !reflect.DeepEqual(c["consents"], wantConsent) {
		t.Fatalf("consents %#v", c["consents"])
	}
	e.Clock.Advance(time.Minute)
	disclosedAt := e.Clock.Now()
	before = sharingSnapshot(e)
	got := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	sharingExpectDisclosure(t, got, sharingKCC, "complaint_handling",
		[]string{"complainant_address", "complainant_email", "complainant_name", "complainant_phone", "complaint_details", "stage2_details"},
		[]string{"channel", "complainant_address", "complainant_email", "complainant_name", "complainant_phone", "details", "service"},
		[]string{"complaint_special_details"},
		"Stage 1 complaint data may be shared with Kent County Council for handling the complaint at stage 1 and stage 2 on the basis of "+
			"the complainant's recorded consent: "+sharingKCCLabels+". Withheld: "+sharingSpecialWithheld+".")
	firstID := got["id"].(string)
	after := sharingSnapshot(e)
	// One version bump, one audit row, one disclosure log row, three outbox rows
	// (domain event, status event, share message).
	if want := (sharingCounts{Complaints: before.Complaints, Versions: before.Versions + 1, Personal: before.Personal,
		Consents: before.Consents, Withdrawn: before.Withdrawn, Deadlines: before.Deadlines, Audit: before.Audit + 1,
		Outbox: before.Outbox + 3, Disclosures: before.Disclosures + 1}); after != want {
		t.Fatalf("after disclosure %+v, want %+v", after, want)
	}

	msgs := share.WaitFor(t, 1)
	sharingShareMessage(t, msgs[0], firstID, sharingKCC, "complaint_handling", ref, disclosedAt, map[string]any{
		"complainant_name": "Ada Lovelace", "complainant_address": "1 High Street, Maidstone ME14 1AA",
		"complainant_phone": "01622 000111", "complainant_email": "ada@example.org",
		"details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web"})
	if strings.Contains(string(msgs[0].Data()), "wheelchair") {
		t.Fatalf("special category data left without explicit consent: %s", msgs[0].Data())
	}

	logRows := sharingLog(e)
	wantLog := []sharingLogRow{{ID: firstID, CaseID: id, DataSubject: "complainant:" + id, Recipient: sharingKCC, Purpose: "complaint_handling",
		Condition: "consent", Categories: pq.StringArray{"complainant_address", "complainant_email", "complainant_name", "complainant_phone", "complaint_details", "stage2_details"},
		NoticeVersion: sharingNoticeVersion, Subject: "share.kent-county-council.complaints.complaint_handling", EventID: firstID,
		DisclosedBy: "alice", DisclosedAt: disclosedAt}}
	if !reflect.DeepEqual(logRows, wantLog) {
		t.Fatalf("disclosure log:\n got %+v\nwant %+v", logRows, wantLog)
	}

	// The domain event names the recipient, never a value.
	evs := domainEvents.WaitFor(t, 3)
	if testkit.Subjects(evs) != "complaints.events.stage1.received, complaints.events.consent.recorded, complaints.events.disclosed" {
		t.Fatalf("domain events: %s", testkit.Subjects(evs))
	}
	sharingNoPersonalData(t, "the disclosed event", evs[2].Data(), append(sharingAdaValues, "wheelchair")...)
	ev := testkit.Decode(t, evs[2])
	wantEv := map[string]any{"event_id": ev["event_id"], "type": "disclosed", "occurred_at": "2026-03-02T10:01:00Z", "complaint_id": id,
		"reference": ref, "stage": 1.0, "status": "stage1_received", "service": "waste", "recipient": sharingKCC}
	if !reflect.DeepEqual(ev, wantEv) || len(ev["event_id"].(string)) != 36 {
		t.Fatalf("disclosed event:\n got %#v\nwant %#v", ev, wantEv)
	}

	// The case history gains the disclosure (category names only).
	view := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice, nil)
	history := view["history"].([]any)
	disclosed := history[2].(map[string]any)
	wantEntry := map[string]any{"seq": 3.0, "at": "2026-03-02T10:01:00Z", "actor": "alice", "action": "complaint.disclosed",
		"detail": map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling", "categories": []any{
			"complainant_address", "complainant_email", "complainant_name", "complainant_phone", "complaint_details", "stage2_details"}}}
	if len(history) != 4 || !reflect.DeepEqual(disclosed, wantEntry) {
		t.Fatalf("history: %#v", history)
	}

	// Consent withdrawn: the next disclosure is refused again and sends nothing.
	e.Clock.Advance(time.Minute)
	c = e.Must(http.StatusOK, "DELETE", "/complaints/"+id+"/consents/"+sharingKCC, alice, nil)
	if k := c["consents"].([]any)[0].(map[string]any); k["withdrawn_at"] != "2026-03-02T10:02:00Z" {
		t.Fatalf("withdrawn consent %#v", k)
	}
	before = sharingSnapshot(e)
	r = e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	sharingRefused(t, r, sharingKCC, "complaint_handling", sharingNoConsentStage1, []string{})
	sharingUnchanged(e, "a disclosure after consent was withdrawn", before)
	// Withdrawing twice is a conflict that changes nothing.
	r = e.Call("DELETE", "/complaints/"+id+"/consents/"+sharingKCC, alice, nil)
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "no_consent" {
		t.Fatalf("second withdrawal: %d %s", r.Status, r.Body)
	}
	sharingUnchanged(e, "a second withdrawal", before)

	// Consent given again: the next disclosure is the second message on the share stream,
	// so nothing was published for the refusals in between.
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC})
	second := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice,
		map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling", "categories": []string{"complaint_details"}})
	msgs = share.WaitFor(t, 2)
	if len(msgs) != 2 || msgs[1].Headers().Get(nats.MsgIdHdr) != second["id"] {
		t.Fatalf("share messages: %s", testkit.Subjects(msgs))
	}
	if n := sharingStreamMsgs(e, "COMPLAINTS_SHARE"); n != 2 {
		t.Fatalf("COMPLAINTS_SHARE holds %d messages, want 2", n)
	}
	if rows := sharingLog(e); len(rows) != 2 {
		t.Fatalf("disclosure log has %d rows, want 2", len(rows))
	}
}

func TestSharingRefusesUnknownRecipientsAndPurposes(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	alice := e.officer("alice")
	body := aComplaint()
	body["consent_to"] = []string{sharingKCC}
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)
	domainEvents.WaitFor(t, 1)
	before := sharingSnapshot(e)

	lgo := "Local Government and Social Care Ombudsman"
	cases := []struct {
		name, recipient, purpose string
		categories               []string
		detail                   string
		withheld                 []string
	}{
		{"unknown recipient", "kent-police", "complaint_handling", nil,
			`"kent-police" is not a recipient named in the complaints notice (version 2026.11.3); nothing may be shared with it.`, []string{}},
		{"unknown recipient echoes the categories asked for", "kent-police", "complaint_handling", []string{"complaint_details", "complainant_name", "complaint_details"},
			`"kent-police" is not a recipient named in the complaints notice (version 2026.11.3); nothing may be shared with it.`,
			[]string{"complainant_name", "complaint_details"}},
		{"unknown purpose", sharingKCC, "marketing", nil,
			`"marketing" is not a purpose of the complaints notice; nothing may be shared with Kent County Council for it.`, []string{}},
		{"recipient not named for the purpose", "lgo", "complaint_handling", nil,
			"The complaints notice names " + lgo + " only for referring the complaint to the " + lgo + ", not for handling the complaint at stage 1 and stage 2.", []string{}},
		{"consented recipient, other purpose", sharingKCC, "ombudsman_referral", nil,
			"The complaints notice names Kent County Council only for handling the complaint at stage 1 and stage 2, not for referring the complaint to the " + lgo + ".", []string{}},
		{"ombudsman referral of a stage 1 complaint", "lgo", "ombudsman_referral", nil,
			lgo + " receives only stage 3 (Ombudsman) complaint data for referring the complaint to the " + lgo + ", not stage 1 complaint data.", []string{}},
		{"consent does not release special category data", sharingKCC, "complaint_handling", []string{"complaint_special_details"},
			"Nothing may be shared with Kent County Council: " + sharingSpecialWithheld + ".", []string{"complaint_special_details"}},
		{"a category the recipient may not have", sharingKCC, "complaint_handling", []string{"complaint_outcome"},
			"Nothing may be shared with Kent County Council: the council's responses to the complaint, their outcome and any remedy offered " +
				"is not among the data Kent County Council may receive for handling the complaint at stage 1 and stage 2.", []string{"complaint_outcome"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := map[string]any{"recipient": tc.recipient, "purpose": tc.purpose}
			if tc.categories != nil {
				req["categories"] = tc.categories
			}
			r := e.Call("POST", "/complaints/"+id+"/disclosures", alice, req)
			sharingRefused(t, r, tc.recipient, tc.purpose, tc.detail, tc.withheld)
			sharingUnchanged(e, tc.name, before)
		})
	}

	// Consent can only be recorded for a recipient the notice names.
	r := e.Call("POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": "kent-police"})
	sharingValidation(t, r, "/recipient", `"kent-police" is not a recipient named in the complaints notice`)
	sharingUnchanged(e, "consent to an unknown recipient", before)
	body["consent_to"] = []string{sharingKCC, "kent-police"}
	r = e.Call("POST", "/complaints", alice, body)
	sharingValidation(t, r, "/consent_to/1", `"kent-police" is not a recipient named in the complaints notice`)
	sharingUnchanged(e, "logging with consent to an unknown recipient", before)
	// Recording a consent that already stands is a conflict.
	r = e.Call("POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC})
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "consent_already_recorded" {
		t.Fatalf("repeated consent: %d %s", r.Status, r.Body)
	}
	sharingUnchanged(e, "a repeated consent", before)
	if n := sharingStreamMsgs(e, "COMPLAINTS_SHARE"); n != 0 {
		t.Fatalf("COMPLAINTS_SHARE holds %d messages after refusals only", n)
	}
}

// sharingValidation asserts a 400 validation problem naming exactly one field.
func sharingValidation(t *testing.T, r testkit.Response, pointer, detail string) {
	t.Helper()
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
	}
	p := r.JSON(t)
	want := []any{map[string]any{"pointer": pointer, "detail": detail}}
	if p["type"] != "https://casework.dev/problems/validation" || !reflect.DeepEqual(p["errors"], want) {
		t.Fatalf("validation problem: %s", r.Body)
	}
}

func TestSharingAnonymityWithholdsIdentityFromSubjectOfComplaint(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("COMPLAINTS_SHARE", "share.>")
	alice := e.officer("alice")

	anonymous := aComplaint()
	anonymous["anonymity_requested"] = true
	anonymous["consent_to"] = []string{sharingSubject}
	a := e.Must(http.StatusCreated, "POST", "/complaints", alice, anonymous)
	named := aComplaint()
	named["complainant"] = map[string]any{"name": "Grace Hopper", "email": "grace@example.org"}
	named["details"] = "Missed garden waste collection."
	named["consent_to"] = []string{sharingSubject}
	b := e.Must(http.StatusCreated, "POST", "/complaints", alice, named)

	const purpose = "complaint_handling"
	const why = "The complainant asked not to be identified to the person complained about, so their name and contact details are withheld."
	got := e.Must(http.StatusCreated, "POST", "/complaints/"+a["id"].(string)+"/disclosures", alice, map[string]any{"recipient": sharingSubject, "purpose": purpose})
	sharingExpectDisclosure(t, got, sharingSubject, purpose,
		[]string{"complaint_details", "stage2_details"}, []string{"channel", "details", "service"}, []string{"complainant_name"},
		"Stage 1 complaint data may be shared with the person or organisation complained about for handling the complaint at stage 1 and stage 2 "+
			"on the basis of the complainant's recorded consent: details of the complaint, including the service it concerns and how it was made, "+
			"further points the complainant asks to have reviewed at stage 2. "+why)
	anonID := got["id"].(string)

	got = e.Must(http.StatusCreated, "POST", "/complaints/"+b["id"].(string)+"/disclosures", alice, map[string]any{"recipient": sharingSubject, "purpose": purpose})
	sharingExpectDisclosure(t, got, sharingSubject, purpose,
		[]string{"complainant_name", "complaint_details", "stage2_details"}, []string{"channel", "complainant_name", "details", "service"}, []string{},
		"Stage 1 complaint data may be shared with the person or organisation complained about for handling the complaint at stage 1 and stage 2 "+
			"on the basis of the complainant's recorded consent: name, details of the complaint, including the service it concerns and how it was made, "+
			"further points the complainant asks to have reviewed at stage 2.")
	namedID := got["id"].(string)

	// Asking for the name alone, when the complainant asked to stay anonymous, sends nothing.
	before := sharingSnapshot(e)
	r := e.Call("POST", "/complaints/"+a["id"].(string)+"/disclosures", alice,
		map[string]any{"recipient": sharingSubject, "purpose": purpose, "categories": []string{"complainant_name"}})
	sharingRefused(t, r, sharingSubject, purpose, "Nothing may be shared with the person or organisation complained about: "+
		"the complainant asked not to be identified to them.", []string{"complainant_name"})
	sharingUnchanged(e, "a refused anonymous disclosure", before)

	// Asking for the name with other data: the name stays back, and data the recipient may
	// not have at all is withheld with the notice's own note.
	got = e.Must(http.StatusCreated, "POST", "/complaints/"+a["id"].(string)+"/disclosures", alice, map[string]any{
		"recipient": sharingSubject, "purpose": purpose, "categories": []string{"complainant_name", "complainant_email", "complaint_details"}})
	sharingExpectDisclosure(t, got, sharingSubject, purpose,
		[]string{"complaint_details"}, []string{"channel", "details", "service"}, []string{"complainant_email", "complainant_name"},
		"Stage 1 complaint data may be shared with the person or organisation complained about for handling the complaint at stage 1 and stage 2 "+
			"on the basis of the complainant's recorded consent: details of the complaint, including the service it concerns and how it was made. "+
			"Withheld: email address is not among the data the person or organisation complained about may receive for handling the complaint at stage 1 and stage 2. "+why)
	partialID := got["id"].(string)

	msgs := share.WaitFor(t, 3)
	sharingShareMessage(t, msgs[2], partialID, sharingSubject, purpose, a["reference"].(string), start, map[string]any{
		"details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web"})
	sharingShareMessage(t, msgs[0], anonID, sharingSubject, purpose, a["reference"].(string), start, map[string]any{
		"details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web"})
	sharingNoPersonalData(t, "the anonymous disclosure", msgs[0].Data(), "Ada Lovelace", "ada@example.org", "01622 000111", "1 High Street")
	sharingShareMessage(t, msgs[1], namedID, sharingSubject, purpose, b["reference"].(string), start, map[string]any{
		"complainant_name": "Grace Hopper", "details": "Missed garden waste collection.", "service": "waste", "channel": "web"})
	if n := sharingStreamMsgs(e, "COMPLAINTS_SHARE"); n != 3 {
		t.Fatalf("COMPLAINTS_SHARE holds %d messages, want 3", n)
	}
	var logged []string
	for _, row := range sharingLog(e) {
		logged = append(logged, fmt.Sprintf("%s %s %v", row.CaseID, row.Recipient, []string(row.Categories)))
	}
	wantLogged := []string{
		fmt.Sprintf("%s %s [complaint_details stage2_details]", a["id"], sharingSubject),
		fmt.Sprintf("%s %s [complainant_name complaint_details stage2_details]", b["id"], sharingSubject),
		fmt.Sprintf("%s %s [complaint_details]", a["id"], sharingSubject),
	}
	if !sameSet(logged, wantLogged) {
		t.Fatalf("disclosure log %q, want %q", logged, wantLogged)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestSharingSendsOnlyTheCategoriesAsked(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("COMPLAINTS_SHARE", "share.>")
	alice := e.officer("alice")
	body := aComplaint()
	body["consent_to"] = []string{sharingKCC}
	body["special_details"] = sharingSpecialText
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)

	got := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice, map[string]any{
		"recipient": sharingKCC, "purpose": "complaint_handling", "categories": []string{"complaint_details", "complainant_email"}})
	sharingExpectDisclosure(t, got, sharingKCC, "complaint_handling",
		[]string{"complainant_email", "complaint_details"}, []string{"channel", "complainant_email", "details", "service"}, []string{},
		"Stage 1 complaint data may be shared with Kent County Council for handling the complaint at stage 1 and stage 2 on the basis of "+
			"the complainant's recorded consent: details of the complaint, including the service it concerns and how it was made, email address.")
	firstID := got["id"].(string)

	// Asked for alongside allowed data, what may not go is listed and explained.
	got = e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice, map[string]any{
		"recipient": sharingKCC, "purpose": "complaint_handling", "categories": []string{"complainant_name", "complaint_special_details", "complaint_outcome"}})
	sharingExpectDisclosure(t, got, sharingKCC, "complaint_handling",
		[]string{"complainant_name"}, []string{"complainant_name"}, []string{"complaint_outcome", "complaint_special_details"},
		"Stage 1 complaint data may be shared with Kent County Council for handling the complaint at stage 1 and stage 2 on the basis of "+
			"the complainant's recorded consent: name. Withheld: "+sharingSpecialWithheld+"; the council's responses to the complaint, "+
			"their outcome and any remedy offered is not among the data Kent County Council may receive for handling the complaint at stage 1 and stage 2.")
	secondID := got["id"].(string)

	msgs := share.WaitFor(t, 2)
	sharingShareMessage(t, msgs[0], firstID, sharingKCC, "complaint_handling", c["reference"].(string), start, map[string]any{
		"complainant_email": "ada@example.org", "details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web"})
	sharingShareMessage(t, msgs[1], secondID, sharingKCC, "complaint_handling", c["reference"].(string), start, map[string]any{
		"complainant_name": "Ada Lovelace"})
	rows := sharingLog(e)
	if len(rows) != 2 || !sameSet([]string{strings.Join(rows[0].Categories, ","), strings.Join(rows[1].Categories, ",")},
		[]string{"complainant_email,complaint_details", "complainant_name"}) {
		t.Fatalf("disclosure log: %+v", rows)
	}
}

func TestSharingStageTwoSendsTheFurtherDetails(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("COMPLAINTS_SHARE", "share.>")
	alice, bob := e.officer("alice"), e.officer("bob")
	body := aComplaint()
	body["consent_to"] = []string{"ward-councillor"}
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": "not_upheld", "summary": "Collections were made."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "The crew photos are of another street.", "handler": "bob"})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob, nil)

	// The councillor may have the name, details, stage 2 points, outcome and case record.
	got := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", bob, map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})
	sharingExpectDisclosure(t, got, "ward-councillor", "complaint_handling",
		[]string{"case_record", "complainant_name", "complaint_details", "complaint_outcome", "stage2_details"},
		[]string{"acknowledged_on", "channel", "complainant_name", "details", "received_on", "reference", "response_due_on", "service", "stage2_details"},
		[]string{},
		"Stage 2 complaint data may be shared with a councillor acting for the complainant for handling the complaint at stage 1 and stage 2 on the basis of "+
			"the complainant's recorded consent: name, details of the complaint, including the service it concerns and how it was made, "+
			"further points the complainant asks to have reviewed at stage 2, the council's responses to the complaint, their outcome and any remedy offered, "+
			"the complaint reference and its key dates.")
	msgs := share.WaitFor(t, 1)
	sharingShareMessage(t, msgs[0], got["id"].(string), "ward-councillor", "complaint_handling", c["reference"].(string), start, map[string]any{
		"complainant_name": "Ada Lovelace", "details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web",
		"stage2_details": "The crew photos are of another street.", "reference": c["reference"], "received_on": "2026-03-02",
		"acknowledged_on": "2026-03-02", "response_due_on": "2026-03-30"})
}
