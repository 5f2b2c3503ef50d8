package casework

import "testing"

func TestTransitionErrorSaysWhenNothingMoreIsAllowed(t *testing.T) {
	closed := &TransitionError[string, string]{Kind: "breach", Action: "report", Status: "closed"}
	if got := closed.Error(); got != "cannot report a breach that is closed; allowed now: nothing more" {
		t.Fatalf("%q", got)
	}
	open := &TransitionError[string, string]{Kind: "investigation", Action: "close", Status: "received", Allowed: []string{"triage", "close"}}
	if got := open.Error(); got != "cannot close an investigation that is received; allowed now: triage, close" {
		t.Fatalf("%q", got)
	}
}
