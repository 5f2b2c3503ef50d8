package domain

import (
	"errors"
	"reflect"
	"testing"
)

// onBehalf is Rita's request for Ann, neither Ann's identity nor Rita's authority seen yet.
func onBehalf(t *testing.T) NewRequest {
	in := aRequest(KindAccess, london(t, "2026-02-02 10:00"))
	in.IdentityMethod = ""
	in.Requester = Person{Name: "Rita Rep", Email: "rita@example.org"}
	in.Representative = &Representative{Name: "Rita Rep", Organisation: "Citizens Advice Maidstone"}
	return in
}

// An authority that arrives with the proof of identity, while both are awaited, is the
// representative's: recorded, and the month runs from their arrival; it is not dropped
// leaving the clock stopped for an authority the council holds.
func TestRestartRecordsAnAuthorityThatCameWithTheIdentity(t *testing.T) {
	cal := testCalendar(t)
	r, _, err := Received(onBehalf(t), actorAt(t, cal, "2026-02-02 10:05"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Awaiting != AwaitingIdentity || r.Representative.Authority != "" {
		t.Fatalf("awaiting %s, authority %q", r.Awaiting, r.Representative.Authority)
	}
	e, err := r.RestartClock(Restart{ReceivedAt: london(t, "2026-02-10 14:00"), IdentityMethod: "passport seen",
		Authority: "a signed letter of authority"}, actorAt(t, cal, "2026-02-12 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusOpen || r.Awaiting != "" || r.Representative.Authority != "a signed letter of authority" || !r.Identity.Verified ||
		r.Deadline.DueDate.String() != "2026-03-10" || r.Deadline.Stopped() {
		t.Errorf("status %s awaiting %q authority %q identity %+v due %s", r.Status, r.Awaiting, r.Representative.Authority, r.Identity, r.Deadline.DueDate)
	}
	if e.Detail["status"] != "open" || e.Detail["due_date"] != "2026-03-10" {
		t.Errorf("event %+v", e)
	}
}

// What nothing awaits is refused, naming the rule or the field, and changes nothing.
func TestRestartRefusesWhatIsNotAwaited(t *testing.T) {
	cal := testCalendar(t)
	at := "2026-02-02 10:05"
	own := aRequest(KindAccess, london(t, "2026-02-02 10:00"))
	own.IdentityMethod = ""
	withAuthority := onBehalf(t)
	withAuthority.Representative.Authority = "a signed letter of authority"
	verified := onBehalf(t)
	verified.IdentityMethod = "passport seen"
	clarifying := aRequest(KindAccess, london(t, "2026-02-02 10:00"))
	received := london(t, "2026-02-03 11:00")
	cases := []struct {
		name    string
		in      NewRequest
		stop    Awaiting // stopped again after receipt
		restart Restart
		rule    string
		field   string
	}{
		{"an authority for a person who asks for themselves", own, "",
			Restart{ReceivedAt: received, IdentityMethod: "passport seen", Authority: "a letter"}, "no_authority_awaited", ""},
		{"an authority already recorded", withAuthority, "",
			Restart{ReceivedAt: received, IdentityMethod: "passport seen", Authority: "another letter"}, "no_authority_awaited", ""},
		{"a blank authority while it is awaited with the identity", onBehalf(t), "",
			Restart{ReceivedAt: received, IdentityMethod: "passport seen", Authority: " "}, "", "authority"},
		{"an identity method while only the authority is awaited", verified, "",
			Restart{ReceivedAt: received, IdentityMethod: "driving licence", Authority: "a letter"}, "identity_verified", ""},
		{"an identity method with a clarification", clarifying, AwaitingClarification,
			Restart{ReceivedAt: received, IdentityMethod: "driving licence"}, "identity_verified", ""},
		{"an authority with a clarification", clarifying, AwaitingClarification,
			Restart{ReceivedAt: received, Authority: "a letter"}, "no_authority_awaited", ""},
	}
	for _, tc := range cases {
		r, _, err := Received(tc.in, actorAt(t, cal, at))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.stop != "" {
			if _, err := r.StopClock(tc.stop, actorAt(t, cal, at)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		before := *r
		if r.Representative != nil {
			rep := *r.Representative
			before.Representative = &rep
		}
		_, err = r.RestartClock(tc.restart, actorAt(t, cal, "2026-02-04 09:00"))
		var rule *RuleError
		var invalid *ValidationError
		switch {
		case tc.rule != "" && (!errors.As(err, &rule) || rule.Rule != tc.rule):
			t.Errorf("%s: %v, want rule %s", tc.name, err, tc.rule)
		case tc.field != "" && (!errors.As(err, &invalid) || invalid.Field != tc.field):
			t.Errorf("%s: %v, want field %s", tc.name, err, tc.field)
		}
		if !reflect.DeepEqual(*r, before) {
			t.Errorf("%s: the request changed:\n%+v\n%+v", tc.name, *r, before)
		}
	}
}
