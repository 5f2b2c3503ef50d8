package service_test

import (
	"net/http"
	"testing"
)

// Issue 8 item 15: answering enquiry 9, which does not exist, on a complaint at
// stage3_responded is a 404 "no enquiry 9 on this complaint", not a state error; the same
// for a remedy and a consent that do not exist. None of them changes anything.
func TestUnknownEnquiryRemedyAndConsentAreNotFound(t *testing.T) {
	e := newEnv(t)
	id, _ := stage3Answered(e)
	alice, lucy := e.officer("alice"), e.lgo("lucy")
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/enquiries", lucy, map[string]any{"questions": "Send the file.", "response_due_on": "2026-03-20"})
	e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": []string{"Stage 2 letter"}})
	if c := e.Must(http.StatusOK, "GET", "/complaints/"+id, lucy, nil); c["status"] != "stage3_responded" {
		t.Fatalf("status %v, want stage3_responded", c["status"])
	}
	before := sharingSnapshot(e)
	for _, tt := range []struct {
		method, path, token string
		body                any
		detail              string
	}{
		{"POST", "/lgo/enquiries/9/response", lucy, map[string]any{}, "no enquiry 9 on this complaint"},
		{"POST", "/lgo/remedies/9/compliance", lucy, map[string]any{}, "no remedy 9 on this complaint"},
		{"DELETE", "/consents/ward-councillor", alice, nil, "no consent to share with ward-councillor on this complaint"},
	} {
		r := e.Call(tt.method, "/complaints/"+id+tt.path, tt.token, tt.body)
		p := r.JSON(t)
		if r.Status != http.StatusNotFound || r.Header.Get("Content-Type") != "application/problem+json" ||
			p["type"] != "https://casework.dev/problems/not-found" || p["detail"] != tt.detail {
			t.Errorf("%s %s: %d %s %s, want 404 %q", tt.method, tt.path, r.Status, r.Header.Get("Content-Type"), r.Body, tt.detail)
		}
	}
	sharingUnchanged(e, "requests for parts that do not exist", before)
}
