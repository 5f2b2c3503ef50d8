package domain

import (
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// A rectification asks every service, waits for the one that does not answer, and owes an
// Article 19 notice to each recipient of each record it corrected.
func TestFanOutWaitsForEveryServiceAndOwesNotices(t *testing.T) {
	cal := testCalendar(t)
	a := actorAt(t, cal, "2026-03-02 10:00")
	r, _, err := Received(aRequest(KindRectification, a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.StartSearch([]string{"complaints", "investigations"}, a); err != nil {
		t.Fatal(err)
	}
	retry := Retry{First: time.Second, Max: 4 * time.Second}
	if ok, _ := r.RecordNoAnswer(rights.Find, "investigations", "no responders", retry, a); !ok {
		t.Fatal("no answer not recorded")
	}
	if got := r.Search.Due(a.Now); !slices.Equal(got, []string{"complaints"}) {
		t.Errorf("due now %v", got)
	}
	if got := r.NextAttemptAt(); !got.Equal(a.Now) {
		t.Errorf("next attempt %v", got)
	}
	cand := rights.Candidate{RecordID: "c1", Kind: "complaint", Reference: "CMP-1", Role: "complainant", Matched: []string{"email"}}
	if _, ok, err := r.RecordAnswer(rights.Find, "complaints", Answer{Candidates: []rights.Candidate{cand}}, a); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, ok, _ := r.RecordAnswer(rights.Find, "complaints", Answer{Candidates: []rights.Candidate{cand}}, a); ok {
		t.Error("a second answer from the same service was recorded")
	}
	if r.Phase != PhaseSearching || !slices.Equal(r.Pending(), []string{"investigations"}) {
		t.Fatalf("phase %s pending %v", r.Phase, r.Pending())
	}
	if _, err := r.Confirm([]Match{{Service: "complaints", RecordID: "c1"}}, offersAll, a); err == nil {
		t.Error("confirmed before every service answered")
	}
	if r.Search.step("investigations").Attempts != 1 {
		t.Errorf("attempts %+v", r.Search.step("investigations"))
	}
	if _, _, err := r.RecordAnswer(rights.Find, "investigations", Answer{}, a); err != nil || r.Phase != PhaseConfirming {
		t.Fatalf("phase %s, %v", r.Phase, err)
	}
	if _, err := r.Confirm([]Match{{Service: "investigations", RecordID: "c1"}}, offersAll, a); err == nil {
		t.Error("confirmed a record no service found")
	}
	if _, err := r.Confirm([]Match{{Service: "complaints", RecordID: "c1"}}, offersAll, a); err != nil {
		t.Fatal(err)
	}
	if r.Phase != PhaseActioning || r.Action.Verb != rights.Rectify || !slices.Equal(r.Pending(), []string{"complaints"}) {
		t.Fatalf("phase %s verb %s pending %v", r.Phase, r.Action.Verb, r.Pending())
	}
	if _, err := r.Complete(2, a); err == nil {
		t.Error("completed while a service had not answered")
	}
	d := rights.Disclosure{DisclosureID: "d1", Recipient: "ward-councillor", Purpose: "representation"}
	// A recipient that reads the record as it is now (the public register) is told by the
	// change itself: no notice is owed to it.
	register := rights.Disclosure{DisclosureID: "d2", Recipient: "public-register", Purpose: "publication", InPlace: true}
	out := rights.Outcome{RecordID: "c1", Done: true, Disclosures: []rights.Disclosure{d, register, d}}
	if _, _, err := r.RecordAnswer(rights.Rectify, "complaints", Answer{Outcomes: []rights.Outcome{out}}, a); err != nil {
		t.Fatal(err)
	}
	owed := r.Owed("complaints", rights.Rectify)
	if len(owed) != 1 || owed[0] != (Article19Notice{Service: "complaints", OriginalDisclosureID: "d1", Recipient: "ward-councillor", Action: "rectified"}) {
		t.Fatalf("owed %+v", owed)
	}
	owed[0].ID = "n1"
	r.RecordNotice(owed[0])
	if len(r.Owed("complaints", rights.Rectify)) != 0 {
		t.Error("a notice is owed twice")
	}
	if r.Phase != PhaseReady {
		t.Fatalf("phase %s", r.Phase)
	}
	e, err := r.Complete(2, actorAt(t, cal, "2026-03-20 10:00"))
	if err != nil || r.Status != StatusCompleted || !r.Closed.OnTime || r.RetentionDue.String() != "2028-03-20" || e.Detail["on_time"] != true {
		t.Fatalf("complete: %v %+v %s", err, r.Closed, r.RetentionDue)
	}
	if _, ok := r.Erase(actorAt(t, cal, "2028-03-19 10:00")); ok {
		t.Error("erased before the end of retention")
	}
	if _, ok := r.Erase(actorAt(t, cal, "2028-03-20 10:00")); !ok || r.Subject.Name != "" || r.Outcomes != nil || len(r.Notices) != 1 {
		t.Errorf("erasure: %+v", r)
	}
}

// An answer that arrives after the request was refused is not recorded (and does not fail).
func TestLateAnswerAfterRefusal(t *testing.T) {
	cal := testCalendar(t)
	a := actorAt(t, cal, "2026-03-02 10:00")
	r, _, err := Received(aRequest(KindAccess, a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.StartSearch([]string{"complaints"}, a); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := r.RecordAnswer(rights.Export, "complaints", Answer{}, a); ok || err != nil {
		t.Errorf("an answer to a question never asked: %v %v", ok, err)
	}
	if _, err := r.Refuse("manifestly_excessive", "The fourth identical request this month.", 2, a); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := r.RecordAnswer(rights.Find, "complaints", Answer{}, a); ok || err != nil {
		t.Errorf("late answer: %v %v", ok, err)
	}
	if ok, err := r.RecordNoAnswer(rights.Find, "complaints", "timeout", Retry{First: time.Second, Max: time.Second}, a); ok || err != nil {
		t.Errorf("late failure: %v %v", ok, err)
	}
	if !r.NextAttemptAt().IsZero() {
		t.Error("a refused request still waits for a service")
	}
}

// offersAll stands in for notices that offer every right.
func offersAll(string, string) bool { return true }

// A portability or objection request is not carried out by a service whose notice does not
// offer the right (its lawful bases exclude it, UK GDPR Art 20(1), 21(1)): the service is
// not asked, and each of its confirmed records is refused on that ground. Other kinds, and
// services that offer the right, are asked as before.
func TestConfirmDeclinesServicesWhoseNoticeDoesNotOfferTheRight(t *testing.T) {
	cal := testCalendar(t)
	// complaints offers objection only, debt portability only, investigations objection only.
	offered := map[string][]string{"complaints": {"objection"}, "debt": {"portability"}, "investigations": {"objection"}}
	offers := func(service, right string) bool { return slices.Contains(offered[service], right) }
	services := []string{"complaints", "debt", "investigations"}
	for _, tc := range []struct {
		kind            Kind
		verb, ground    string
		asked, declined []string
		words           string
	}{
		{KindPortability, rights.Export, GroundPortabilityNotApplicable, []string{"debt"}, []string{"complaints", "investigations"},
			"portability applies only to data processed on consent or contract (UK GDPR Article 20(1)), and this service's privacy notice does not offer it; ask for access instead"},
		{KindObjection, rights.Object, GroundObjectionNotApplicable, []string{"complaints", "investigations"}, []string{"debt"},
			"the right to object applies only to processing on public task or legitimate interests (UK GDPR Article 21(1))"},
		{KindAccess, rights.Export, "", services, nil, ""},
		{KindRestriction, rights.Restrict, "", services, nil, ""},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			a := actorAt(t, cal, "2026-03-02 10:00")
			r, _, err := Received(aRequest(tc.kind, a.Now), a)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.StartSearch(services, a); err != nil {
				t.Fatal(err)
			}
			var matches []Match
			for _, s := range services {
				cand := rights.Candidate{RecordID: s + "-1", Kind: s, Reference: s, Role: "subject", Matched: []string{"email"}}
				if _, _, err := r.RecordAnswer(rights.Find, s, Answer{Candidates: []rights.Candidate{cand}}, a); err != nil {
					t.Fatal(err)
				}
				matches = append(matches, Match{Service: s, RecordID: cand.RecordID})
			}
			evs, err := r.Confirm(matches, offers, a)
			if err != nil {
				t.Fatal(err)
			}
			if r.Action.Verb != tc.verb || r.Phase != PhaseActioning || !slices.Equal(r.Pending(), tc.asked) {
				t.Fatalf("verb %s phase %s pending %v, want %v", r.Action.Verb, r.Phase, r.Pending(), tc.asked)
			}
			if len(evs) != 1+len(tc.declined) || evs[0].Type != "request.matches_confirmed" {
				t.Fatalf("events %+v", evs)
			}
			if len(r.Outcomes) != len(tc.declined) {
				t.Fatalf("outcomes %+v, want one refusal per declined record", r.Outcomes)
			}
			for i, s := range tc.declined {
				st := r.Action.step(s)
				if st.State != StepRefused || !strings.HasPrefix(st.LastError, tc.words) || st.AnsweredAt == nil {
					t.Errorf("%s step %+v", s, st)
				}
				o := r.Outcomes[i]
				if o.Service != s || o.Verb != tc.verb || o.RecordID != s+"-1" || o.Done || o.Refusal == nil ||
					o.Refusal.Ground != tc.ground || !strings.HasPrefix(o.Refusal.Words, tc.words) || o.Disclosures == nil {
					t.Errorf("%s outcome %+v", s, o)
				}
				if e := evs[1+i]; e.Type != "request.service_refused" || e.Service != s {
					t.Errorf("event %+v", e)
				}
			}
			if r.RestrictionInForce() {
				t.Error("a declined record counts as restricted")
			}
		})
	}
	// When every matched service is declined, nothing waits: the response can be sent.
	a := actorAt(t, cal, "2026-03-02 10:00")
	r, _, _ := Received(aRequest(KindPortability, a.Now), a)
	if _, err := r.StartSearch([]string{"investigations"}, a); err != nil {
		t.Fatal(err)
	}
	cand := rights.Candidate{RecordID: "i-1", Kind: "investigation", Reference: "INV-1", Role: "reporter", Matched: []string{"email"}}
	if _, _, err := r.RecordAnswer(rights.Find, "investigations", Answer{Candidates: []rights.Candidate{cand}}, a); err != nil {
		t.Fatal(err)
	}
	evs, err := r.Confirm([]Match{{Service: "investigations", RecordID: "i-1"}}, offers, a)
	if err != nil || r.Phase != PhaseReady || len(r.Pending()) != 0 || len(evs) != 2 || evs[1].Detail["phase"] != string(PhaseReady) {
		t.Fatalf("phase %s pending %v events %+v: %v", r.Phase, r.Pending(), evs, err)
	}
}

// A recipient told that the person's data was restricted is told when the restriction is
// lifted, so it may use the data again; each notice once.
func TestRecipientsToldOfARestrictionAreToldOfItsLifting(t *testing.T) {
	cal := testCalendar(t)
	a := actorAt(t, cal, "2026-03-02 10:00")
	r, _, err := Received(aRequest(KindRestriction, a.Now), a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.StartSearch([]string{"complaints"}, a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.RecordAnswer(rights.Find, "complaints", Answer{Candidates: []rights.Candidate{{RecordID: "c1"}}}, a); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Confirm([]Match{{Service: "complaints", RecordID: "c1"}}, offersAll, a); err != nil {
		t.Fatal(err)
	}
	d := rights.Disclosure{DisclosureID: "d1", Recipient: "lgo", Purpose: "referral"}
	answer := Answer{Outcomes: []rights.Outcome{{RecordID: "c1", Done: true, Disclosures: []rights.Disclosure{d}}}}
	if _, _, err := r.RecordAnswer(rights.Restrict, "complaints", answer, a); err != nil {
		t.Fatal(err)
	}
	restricted := r.Owed("complaints", rights.Restrict)
	if len(restricted) != 1 || restricted[0].Action != "restricted" || restricted[0].Recipient != "lgo" {
		t.Fatalf("owed for the restriction: %+v", restricted)
	}
	restricted[0].ID = "n1"
	r.RecordNotice(restricted[0])
	if _, err := r.LiftRestriction(LiftRequest{ToldOn: calendar.NewDate(2026, 3, 2), ToldHow: "letter"}, a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.RecordAnswer(rights.Lift, "complaints", answer, a); err != nil {
		t.Fatal(err)
	}
	lifted := r.Owed("complaints", rights.Lift)
	want := Article19Notice{Service: "complaints", OriginalDisclosureID: "d1", Recipient: "lgo", Action: "restriction lifted"}
	if len(lifted) != 1 || lifted[0] != want {
		t.Fatalf("owed for the lifting: %+v, want %+v", lifted, want)
	}
	lifted[0].ID = "n2"
	r.RecordNotice(lifted[0])
	if again := r.Owed("complaints", rights.Lift); len(again) != 0 {
		t.Errorf("the lifting owed twice: %+v", again)
	}
}
