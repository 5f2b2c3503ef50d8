package service_test

import (
	"net/http"
	"testing"

	"casework.dev/pkg/testkit"
)

func TestStageOneAndTwoLifecycle(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	alice, bob := e.officer("alice"), e.officer("bob")

	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	id := c["id"].(string)
	if c["reference"] != "CMP-2026-000001" || c["status"] != "stage1_received" || c["stage"] != 1.0 {
		t.Fatalf("logged: %v", c)
	}
	// Received Monday 2 March 2026: acknowledge by Monday 9 March (5 working days).
	ack := c["deadlines"].([]any)[0].(map[string]any)
	if ack["kind"] != "acknowledge" || ack["due_date"] != "2026-03-09" || ack["due_at"] != "2026-03-10T00:00:00Z" {
		t.Fatalf("acknowledge deadline: %v", ack)
	}

	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	if c["status"] != "stage1_acknowledged" {
		t.Fatalf("acknowledged: %v", c["status"])
	}
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{
		"outcome": "partly_upheld", "summary": "Collections missed; crews rescheduled.", "remedies": []string{"apology", "extra collection"}})
	if c["status"] != "stage1_responded" {
		t.Fatalf("responded: %v", c["status"])
	}
	// Stage 2 by the stage 1 handler is refused.
	r := e.Call("POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "Still missed.", "handler": "alice"})
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "stage2_handler_must_differ" {
		t.Fatalf("escalate to same handler: %d %s", r.Status, r.Body)
	}
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "Still missed.", "handler": "bob"})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", bob, map[string]any{})
	if c["status"] != "closed" || c["retention_due"] != "2032-03-02" {
		t.Fatalf("closed: %v %v", c["status"], c["retention_due"])
	}

	got := domainEvents.WaitFor(t, 7)
	want := []string{"complaints.events.stage1.received", "complaints.events.stage1.acknowledged", "complaints.events.stage1.responded",
		"complaints.events.stage2.received", "complaints.events.stage2.acknowledged", "complaints.events.stage2.responded", "complaints.events.closed"}
	if testkit.Subjects(got) != join(want) {
		t.Fatalf("events:\n got %s\nwant %s", testkit.Subjects(got), join(want))
	}
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}
