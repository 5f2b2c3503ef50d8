package rights_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"casework.dev/contracts/rights"
)

// recorder answers every verb with what it was asked.
type recorder struct{ verbs []string }

func (r *recorder) Find(_ context.Context, q rights.FindRequest) (rights.FindReply, error) {
	r.verbs = append(r.verbs, rights.Find+":"+q.Identifiers.Email)
	return rights.FindReply{Candidates: []rights.Candidate{{RecordID: "c-1"}}}, nil
}
func (r *recorder) Export(_ context.Context, q rights.RecordsRequest) (rights.ExportReply, error) {
	r.verbs = append(r.verbs, rights.Export)
	return rights.ExportReply{}, nil
}
func (r *recorder) Erase(_ context.Context, q rights.RecordsRequest) (rights.ActionReply, error) {
	r.verbs = append(r.verbs, rights.Erase)
	return rights.ActionReply{}, nil
}
func (r *recorder) Rectify(_ context.Context, q rights.RectifyRequest) (rights.ActionReply, error) {
	r.verbs = append(r.verbs, rights.Rectify+":"+q.Field+"="+q.Value)
	return rights.ActionReply{}, nil
}
func (r *recorder) Restrict(_ context.Context, q rights.RecordsRequest) (rights.ActionReply, error) {
	r.verbs = append(r.verbs, rights.Restrict)
	return rights.ActionReply{}, nil
}
func (r *recorder) Lift(_ context.Context, q rights.RecordsRequest) (rights.ActionReply, error) {
	r.verbs = append(r.verbs, rights.Lift)
	return rights.ActionReply{}, nil
}
func (r *recorder) Object(_ context.Context, q rights.RecordsRequest) (rights.ActionReply, error) {
	r.verbs = append(r.verbs, rights.Object)
	return rights.ActionReply{}, nil
}

func TestDispatcherDecodesByVerb(t *testing.T) {
	rec := &recorder{}
	d := rights.Dispatcher{Responder: rec}
	ctx := context.Background()
	got, err := d.Answer(ctx, rights.Find, []byte(`{"request_id":"r","identifiers":{"email":"ann@example.org"}}`))
	if reply, ok := got.(rights.FindReply); err != nil || !ok || reply.Candidates[0].RecordID != "c-1" {
		t.Fatalf("find: %#v %v", got, err)
	}
	if _, err := d.Answer(ctx, rights.Rectify, []byte(`{"request_id":"r","record_ids":["c-1"],"field":"address","value":"2 New Road"}`)); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{rights.Export, rights.Erase, rights.Restrict, rights.Lift, rights.Object} {
		if _, err := d.Answer(ctx, v, []byte(`{"request_id":"r","record_ids":["c-1"]}`)); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
	}
	want := []string{"find:ann@example.org", "rectify:address=2 New Road", "export", "erase", "restrict", "lift", "object"}
	if len(rec.verbs) != len(want) {
		t.Fatalf("answered %v", rec.verbs)
	}
	for i := range want {
		if rec.verbs[i] != want[i] {
			t.Errorf("answered %v, want %v", rec.verbs, want)
		}
	}
	if _, err := d.Answer(ctx, "delete", []byte(`{}`)); !errors.Is(err, rights.ErrUnknownVerb) {
		t.Errorf("unknown verb: %v", err)
	}
	var typeErr *json.UnmarshalTypeError
	if _, err := d.Answer(ctx, rights.Erase, []byte(`{"record_ids":"c-1"}`)); !errors.As(err, &typeErr) {
		t.Errorf("bad body: %v", err)
	}
	if len(rec.verbs) != len(want) {
		t.Errorf("a refused request reached the responder: %v", rec.verbs)
	}
}

func TestSubjects(t *testing.T) {
	if rights.Subject("complaints", rights.Erase) != "rights.complaints.erase" || rights.Subjects("complaints") != "rights.complaints.*" ||
		rights.QueueGroup("complaints") != "complaints-rights" {
		t.Error("subject conventions changed")
	}
}

func TestActReportsEachRecord(t *testing.T) {
	errHeld := errors.New("held")
	errDown := errors.New("database down")
	var done []string
	do := func(_ context.Context, id string) error {
		switch id {
		case "held":
			return errHeld
		case "down":
			return errDown
		}
		done = append(done, id)
		return nil
	}
	refuse := func(err error) *rights.Refusal {
		if errors.Is(err, errHeld) {
			return &rights.Refusal{Ground: "legal_claims", Words: "under a legal hold"}
		}
		return nil
	}
	disclosures := func(_ context.Context, id string) ([]rights.Disclosure, error) {
		if id == "a" {
			return []rights.Disclosure{{DisclosureID: "d-1", Recipient: "lgo"}}, nil
		}
		return nil, nil
	}
	got, err := rights.Act(context.Background(), []string{"a", "held"}, do, refuse, disclosures)
	want := rights.ActionReply{Outcomes: []rights.Outcome{
		{RecordID: "a", Done: true, Disclosures: []rights.Disclosure{{DisclosureID: "d-1", Recipient: "lgo"}}},
		{RecordID: "held", Refusal: &rights.Refusal{Ground: "legal_claims", Words: "under a legal hold"}, Disclosures: []rights.Disclosure{}},
	}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := rights.Act(context.Background(), []string{"b", "down"}, do, refuse, disclosures); !errors.Is(err, errDown) {
		t.Errorf("a failure must fail the request: %v", err)
	}
	if !reflect.DeepEqual(done, []string{"a", "b"}) {
		t.Errorf("acted on %v", done)
	}
}

// fakeHolder holds record "a" (disclosed to the LGO) and "held" (under a legal hold).
type fakeHolder struct{ erased, restricted []string }

func (f *fakeHolder) Find(context.Context, string, rights.Identifiers) ([]rights.Candidate, error) {
	return nil, nil
}

func (f *fakeHolder) Export(_ context.Context, _, id string) (rights.Record, bool, error) {
	return rights.Record{RecordID: id, Kind: "complaint"}, id == "a" || id == "held", nil
}

func (f *fakeHolder) Erase(_ context.Context, _, id string) error {
	if id == "held" {
		return errors.New("held")
	}
	f.erased = append(f.erased, id)
	return nil
}
func (f *fakeHolder) Rectify(context.Context, string, string, string, string) error { return nil }
func (f *fakeHolder) Restrict(_ context.Context, _, id string) error {
	if id == "held" {
		return errors.New("held")
	}
	f.restricted = append(f.restricted, id)
	return nil
}
func (f *fakeHolder) Lift(context.Context, string, string) error { return nil }

func (f *fakeHolder) Disclosures(_ context.Context, id string) ([]rights.Disclosure, error) {
	if id == "a" {
		return []rights.Disclosure{{DisclosureID: "d-1", Recipient: "lgo"}}, nil
	}
	return nil, nil
}

func (f *fakeHolder) Refusal(err error) *rights.Refusal {
	return &rights.Refusal{Ground: "legal_claims", Words: err.Error()}
}

// Respond answers for a holder record by record: what it does not hold is left out of an
// export, each record carries its disclosures, and no list is null.
func TestRespondAnswersRecordByRecord(t *testing.T) {
	ctx := context.Background()
	f := &fakeHolder{}
	r := rights.Respond(f)
	found, err := r.Find(ctx, rights.FindRequest{RequestID: "q"})
	if err != nil || found.Candidates == nil || len(found.Candidates) != 0 {
		t.Errorf("find: %#v, %v", found, err)
	}
	exported, err := r.Export(ctx, rights.RecordsRequest{RequestID: "q", RecordIDs: []string{"a", "unknown", "held"}})
	want := rights.ExportReply{Records: []rights.Record{
		{RecordID: "a", Kind: "complaint", Redactions: []string{}, Disclosures: []rights.Disclosure{{DisclosureID: "d-1", Recipient: "lgo"}}},
		{RecordID: "held", Kind: "complaint", Redactions: []string{}, Disclosures: []rights.Disclosure{}},
	}}
	if err != nil || !reflect.DeepEqual(exported, want) {
		t.Errorf("export: %+v, %v", exported, err)
	}
	erased, err := r.Erase(ctx, rights.RecordsRequest{RequestID: "q", RecordIDs: []string{"a", "held"}})
	wantErased := rights.ActionReply{Outcomes: []rights.Outcome{
		{RecordID: "a", Done: true, Disclosures: []rights.Disclosure{{DisclosureID: "d-1", Recipient: "lgo"}}},
		{RecordID: "held", Refusal: &rights.Refusal{Ground: "legal_claims", Words: "held"}, Disclosures: []rights.Disclosure{}},
	}}
	if err != nil || !reflect.DeepEqual(erased, wantErased) || !reflect.DeepEqual(f.erased, []string{"a"}) {
		t.Errorf("erase: %+v, %v; erased %v", erased, err, f.erased)
	}
}

// marketingHolder's notice offers objection only to direct marketing (an Objector).
type marketingHolder struct {
	fakeHolder
	ended []string
}

func (m *marketingHolder) ObjectToMarketing(_ context.Context, _, id string) error {
	if id == "held" {
		return errors.New("held")
	}
	m.ended = append(m.ended, id)
	return nil
}

// An objection restricts a record while it is considered (Art 18(1)(d)), unless the
// service's notice offers objection only to direct marketing: then that use ends at once
// (Art 21(3)) and nothing is restricted. Each outcome done says which; a refused one says
// neither.
func TestObjectionRestrictsOrEndsMarketingAsTheHolderOffers(t *testing.T) {
	ctx := context.Background()
	q := rights.RecordsRequest{RequestID: "q", RecordIDs: []string{"a", "held"}}
	wantOutcomes := func(effect string) rights.ActionReply {
		return rights.ActionReply{Outcomes: []rights.Outcome{
			{RecordID: "a", Done: true, Effect: effect, Disclosures: []rights.Disclosure{{DisclosureID: "d-1", Recipient: "lgo"}}},
			{RecordID: "held", Refusal: &rights.Refusal{Ground: "legal_claims", Words: "held"}, Disclosures: []rights.Disclosure{}},
		}}
	}

	f := &fakeHolder{}
	got, err := rights.Respond(f).Object(ctx, q)
	if err != nil || !reflect.DeepEqual(got, wantOutcomes(rights.EffectRestricted)) || !reflect.DeepEqual(f.restricted, []string{"a"}) {
		t.Errorf("objection to a public task holder: %+v, %v; restricted %v", got, err, f.restricted)
	}

	m := &marketingHolder{}
	got, err = rights.Respond(m).Object(ctx, q)
	if err != nil || !reflect.DeepEqual(got, wantOutcomes(rights.EffectMarketingEnded)) || !reflect.DeepEqual(m.ended, []string{"a"}) {
		t.Errorf("objection to a marketing holder: %+v, %v; ended %v", got, err, m.ended)
	}
	if len(m.restricted) != 0 {
		t.Errorf("an objection to marketing restricted %v", m.restricted)
	}
}

func TestCategoryCarriesTheDetailItIsNamedAfter(t *testing.T) {
	for _, tc := range []struct {
		category, field string
		want            bool
	}{
		{"address", "address", true}, {"debtor_address", "address", true}, {"complainant_address", "address", true},
		{"complaint_details", "address", false}, {"email_address_history", "address", false}, {"nickname", "name", false},
	} {
		if got := rights.CategoryCarries(tc.category, tc.field); got != tc.want {
			t.Errorf("%s carries %s: %v, want %v", tc.category, tc.field, got, tc.want)
		}
	}
}
