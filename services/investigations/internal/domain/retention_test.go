package domain

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestHeldOnIsTheCaseAsTheSweepWouldLeaveIt: the copy HeldOn gives has erased what is due,
// as EraseDue does, and the case it was taken from is left exactly as stored; a legal hold
// keeps everything.
func TestHeldOnIsTheCaseAsTheSweepWouldLeaveIt(t *testing.T) {
	lower := strings.ToLower
	now := time.Date(2033, 3, 27, 9, 0, 0, 0, time.UTC)
	stored := func() *Investigation {
		return &Investigation{Reference: "INV-1", Status: StatusClosed, Retention: Retention{Due: "2033-03-27"},
			People:   []Person{{ID: "r-1", Role: RoleReporter, Name: "Rita", Email: "Rita@example.org"}},
			Matter:   Matter{Summary: "Loud music"},
			Evidence: []EvidenceItem{{ID: "e-1", Kind: EvidenceCCTV, Description: "CCTV", Retention: Retention{Due: "2026-03-27"}}},
			Special:  []SpecialItem{{ID: "h-1", Category: "health", PersonID: "r-1", Details: "Asthma"}},
			Emails:   []Email{{ID: "m-1", From: "rita@example.org", Body: "Again", Retention: Retention{Due: "2036-03-01"}}}}
	}
	c, want := stored(), stored()
	h := c.HeldOn(now, lower)
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("HeldOn changed the case it was taken from:\n %+v", c)
	}
	if !h.Erased() || h.People[0] != (Person{ID: "r-1", Role: RoleReporter}) || h.Matter.Summary != "" ||
		h.Evidence[0].ErasedAt == nil || h.Special[0].ErasedAt == nil || h.Emails[0].ErasedAt != nil {
		t.Fatalf("held on %s: %+v", now, h)
	}
	// The e-mail, kept longer, is still the reporter's though her address has gone.
	if !h.Emails[0].SentBy(h.People[0], lower) || h.Emails[0].SentBy(Person{ID: "x-1"}, lower) {
		t.Errorf("the e-mail held is tied to %q", h.Emails[0].PersonID)
	}

	c.LegalHold = &LegalHold{Reason: "claim"}
	if h := c.HeldOn(now, lower); h.Erased() || h.Evidence[0].ErasedAt != nil || h.People[0].Name != "Rita" {
		t.Errorf("under a legal hold: %+v", h)
	}
}
