package service_test

import (
	"net/http"
	"testing"
)

// A retried log with the same Idempotency-Key returns the first complaint, to the officer
// who logged it, and the read is audited; another officer's key is their own.
func TestIdempotencyKeyIsTheOfficersOwn(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.officer("alice"), e.officer("bob")
	first := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint(), "Idempotency-Key", "k-1")
	again := e.Must(http.StatusOK, "POST", "/complaints", alice, aComplaint(), "Idempotency-Key", "k-1")
	if again["id"] != first["id"] || again["reference"] != first["reference"] {
		t.Fatalf("retry returned %v, want %v", again["id"], first["id"])
	}
	other := e.Must(http.StatusCreated, "POST", "/complaints", bob, aComplaint(), "Idempotency-Key", "k-1")
	if other["id"] == first["id"] {
		t.Fatal("another officer's identical key returned alice's complaint")
	}
	var reads int
	if err := e.DB.Get(&reads, `SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'complaint.read' AND actor = 'alice'`, first["id"]); err != nil || reads != 1 {
		t.Fatalf("audited reads of the replayed complaint: %d (%v), want 1", reads, err)
	}
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM complaints`); err != nil || n != 2 {
		t.Fatalf("%d complaints stored, want 2", n)
	}
}

// After the referral the notice allows the Ombudsman the case file, but only the enquiry
// testkit.Response sends it: the generic route refuses, and changes nothing.
func TestGenericRouteNeverSendsToTheOmbudsman(t *testing.T) {
	e := newEnv(t)
	id, _ := stage3Answered(e)
	alice := e.officer("alice")
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
	before := sharingSnapshot(e)
	r := e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": "lgo", "purpose": "ombudsman_referral"})
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "lgo_via_enquiry_response" {
		t.Fatalf("generic disclosure to the Ombudsman: %d %s", r.Status, r.Body)
	}
	sharingUnchanged(e, "refused generic disclosure to the Ombudsman", before)
}
