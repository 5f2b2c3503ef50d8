package service_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
)

// jsonFields are the JSON member names of a struct type, and those always present.
func jsonFields(v any) (all, always []string) {
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, opts, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			always = append(always, name)
		}
	}
	return all, always
}

// hasExactlyFieldsOf checks that a payload decodes strictly into T's shape: every member
// one of T's fields, every field without omitempty present.
func hasExactlyFieldsOf[T any](t *testing.T, m jetstream.Msg) {
	t.Helper()
	var strict T
	dec := json.NewDecoder(bytes.NewReader(m.Data()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&strict); err != nil {
		t.Errorf("%s: payload is not a %T: %v: %s", m.Subject(), strict, err, m.Data())
		return
	}
	all, always := jsonFields(strict)
	members := testkit.Decode(t, m)
	for k := range members {
		if !slices.Contains(all, k) {
			t.Errorf("%s: member %q is not a field of %T", m.Subject(), k, strict)
		}
	}
	for _, k := range always {
		if _, ok := members[k]; !ok {
			t.Errorf("%s: field %q of %T missing: %s", m.Subject(), k, strict, m.Data())
		}
	}
}

func TestEventsAndStatusCarryNoPersonalData(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	statusEvents := e.Collect("COMPLAINTS_STATUS", "status.complaints.>")
	shares := e.Collect("COMPLAINTS_SHARE", "share.>")
	alice := func() string { return e.officer("alice") } // tokens expire as the clock moves
	bob := func() string { return e.officer("bob") }

	// Every value below is personal data (or free text that may hold it) and must never
	// reach a domain or status event. Fragments catch partial copies.
	personal := []string{
		"Winifred Quaintance", "Winifred", "Quaintance",
		"17 Zebra Crossing Lane, Aylesford ME20 7XX", "Zebra Crossing", "ME20 7XX",
		"07700 900123", "07700", "winifred.q@example.net", "example.net",
		"The Quillfeather hedge blocks the footpath by my house.", "Quillfeather",
		"Severe asthma made worse by the smoke.", "asthma",
		"Still blocked after the Xylograph visit.", "Xylograph",
		"We spoke to the Jabberwock contractor.", "Jabberwock",
		"hedge trimmed by Vorpal Gardens", "Vorpal",
		"Waiting for the Bandersnatch survey.", "Bandersnatch",
		"Stage two found Tumtum fault.", "Tumtum",
		"refund of the Frabjous fee", "Frabjous",
		"Awaiting Callooh legal advice.", "Callooh",
		"Closed after the Mimsy meeting.", "Mimsy",
	}
	body := map[string]any{
		"complainant": map[string]any{"name": "Winifred Quaintance", "address": "17 Zebra Crossing Lane, Aylesford ME20 7XX",
			"phone": "07700 900123", "email": "winifred.q@example.net"},
		"details": "The Quillfeather hedge blocks the footpath by my house.", "special_details": "Severe asthma made worse by the smoke.",
		"service": "environmental-health", "channel": "letter", "anonymity_requested": true, "consent_to": []string{"ward-councillor"},
	}
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice(), body)["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/consents", alice(), map[string]any{"recipient": "kent-county-council"})
	d := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice(),
		map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})
	if d["condition"] != "consent" {
		t.Fatalf("disclosure: %v", d)
	}

	// The acknowledgement is missed.
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 1 {
		t.Fatalf("overdue sweep raised %d, want 1", n)
	}
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice(), nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/extend", alice(), map[string]any{"working_days": 5, "reason": "Waiting for the Bandersnatch survey."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice(), map[string]any{"outcome": "partly_upheld",
		"summary": "We spoke to the Jabberwock contractor.", "remedies": []string{"hedge trimmed by Vorpal Gardens"}})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/escalate", alice(), map[string]any{"further_details": "Still blocked after the Xylograph visit.", "handler": "bob"})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob(), nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/extend", bob(), map[string]any{"working_days": 20, "reason": "Awaiting Callooh legal advice."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", bob(), map[string]any{"outcome": "upheld",
		"summary": "Stage two found Tumtum fault.", "remedies": []string{"refund of the Frabjous fee"}})
	e.Must(http.StatusOK, "DELETE", "/complaints/"+id+"/consents/kent-county-council", bob(), nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", bob(), map[string]any{"reason": "Closed after the Mimsy meeting."})

	wantTypes := []string{"stage1.received", "consent.recorded", "disclosed", "deadline.overdue", "stage1.acknowledged",
		"stage1.extended", "stage1.responded", "stage2.received", "stage2.acknowledged", "stage2.extended",
		"stage2.responded", "consent.withdrawn", "closed"}
	e.WaitRelayed(t)
	for stream, n := range map[string]int{"COMPLAINTS_EVENTS": len(wantTypes), "COMPLAINTS_STATUS": len(wantTypes), "COMPLAINTS_SHARE": 1} {
		s, err := e.NATS.JS.Stream(t.Context(), stream)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(t.Context())
		if err != nil || int(info.State.Msgs) != n {
			t.Fatalf("%s holds %v messages (err %v), want %d", stream, info.State.Msgs, err, n)
		}
	}
	domainMsgs := domainEvents.WaitFor(t, len(wantTypes))
	statusMsgs := statusEvents.WaitFor(t, len(wantTypes))

	var gotTypes []string
	for _, m := range domainMsgs {
		gotTypes = append(gotTypes, strings.TrimPrefix(m.Subject(), events.ComplaintsEventsPrefix))
		hasExactlyFieldsOf[events.ComplaintEvent](t, m)
	}
	if !reflect.DeepEqual(gotTypes, wantTypes) {
		t.Fatalf("domain events\n got %v\nwant %v", gotTypes, wantTypes)
	}
	for i, m := range statusMsgs {
		hasExactlyFieldsOf[events.ComplaintStatus](t, m)
		s := testkit.Decode(t, m)
		if s["change"] != wantTypes[i] || s["complaint_id"] != id || s["team"] != "environmental-health" {
			t.Errorf("status event %d: %s", i, m.Data())
		}
	}

	wantHeaders := []string{"Casework-Event-Type", messaging.HeaderEventID, nats.MsgIdHdr}
	sort.Strings(wantHeaders)
	for _, m := range append(domainMsgs, statusMsgs...) {
		var keys []string
		for k := range m.Headers() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, wantHeaders) {
			t.Errorf("%s: headers %v, want %v", m.Subject(), keys, wantHeaders)
		}
	}
	testkit.NoPersonalData(t, "domain and status events", append(domainMsgs, statusMsgs...), personal...)

	// The check can see personal data where it legitimately goes: the one disclosure.
	share := shares.WaitFor(t, 1)[0]
	if share.Subject() != "share.ward-councillor.complaints.complaint_handling" || !strings.Contains(string(share.Data()), "Winifred Quaintance") {
		t.Fatalf("disclosure %s: %s", share.Subject(), share.Data())
	}
	for _, notShared := range []string{"07700", "Zebra", "asthma"} { // not in the councillor's categories
		if strings.Contains(string(share.Data()), notShared) {
			t.Errorf("disclosure carries %q beyond the notice: %s", notShared, share.Data())
		}
	}
}
