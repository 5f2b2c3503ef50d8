package rights_test

import (
	"context"
	"encoding/json"
	"errors"
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
	for _, v := range []string{rights.Export, rights.Erase, rights.Restrict, rights.Lift} {
		if _, err := d.Answer(ctx, v, []byte(`{"request_id":"r","record_ids":["c-1"]}`)); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
	}
	want := []string{"find:ann@example.org", "rectify:address=2 New Road", "export", "erase", "restrict", "lift"}
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
