package service_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Kent County Council receives the special category details only with the complainant's
// explicit consent (the notice's explicit_consent): the consent request may say it is
// explicit, the case shows it, and withdrawing the consent withdraws it too. Explicit
// consent for a recipient the notice never shares with on it is refused.
func TestSharingKentCountyCouncilSpecialDetailsNeedExplicitConsent(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	body := aComplaint()
	body["special_details"] = sharingSpecialText
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)

	// The ward councillor's rules never use explicit consent: refused, nothing written.
	before := sharingSnapshot(e)
	r := e.Call("POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": "ward-councillor", "explicit": true})
	sharingValidation(t, r, "/explicit",
		"the complaints notice shares nothing with a councillor acting for the complainant on explicit consent, so there is no explicit consent to record")
	sharingUnchanged(e, "refused explicit consent", before)

	// Plain consent first: the special category details are held back.
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC, "explicit": false})
	if want := []any{map[string]any{"recipient": sharingKCC, "given_at": "2026-03-02T10:00:00Z", "recorded_by": "alice", "withdrawn_at": nil, "explicit": false}}; !reflect.DeepEqual(c["consents"], want) {
		t.Fatalf("plain consent: %#v", c["consents"])
	}
	got := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	if !reflect.DeepEqual(sharingStrings(got["withheld"]), []string{"complaint_special_details"}) {
		t.Fatalf("with plain consent: %v", got)
	}

	// Explicit consent, given later, records the consent again as explicit.
	e.Clock.Advance(time.Hour)
	alice = e.officer("alice")
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC, "explicit": true})
	if want := []any{map[string]any{"recipient": sharingKCC, "given_at": "2026-03-02T11:00:00Z", "recorded_by": "alice", "withdrawn_at": nil, "explicit": true}}; !reflect.DeepEqual(c["consents"], want) {
		t.Fatalf("explicit consent: %#v", c["consents"])
	}
	// A reread from the database shows it too.
	if got := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice, nil)["consents"]; !reflect.DeepEqual(got, c["consents"]) {
		t.Fatalf("explicit consent read back: %#v", got)
	}
	r = e.Call("POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC, "explicit": true})
	if p := r.JSON(t); r.Status != http.StatusConflict || p["type"] != "https://casework.dev/problems/conflict" || p["rule"] != "consent_already_recorded" ||
		!strings.HasPrefix(p["detail"].(string), "explicit consent to share ") {
		t.Fatalf("explicit consent twice: %d %s", r.Status, r.Body)
	}

	got = e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	if cats := sharingStrings(got["categories"]); !reflect.DeepEqual(cats, []string{"complainant_address", "complainant_email", "complainant_name", "complainant_phone",
		"complaint_details", "complaint_special_details", "stage2_details"}) || !reflect.DeepEqual(sharingStrings(got["withheld"]), []string{}) {
		t.Fatalf("with explicit consent: %v", got)
	}
	if fields := sharingStrings(got["fields"]); !reflect.DeepEqual(fields, []string{"channel", "complainant_address", "complainant_email", "complainant_name",
		"complainant_phone", "details", "service", "special_details"}) {
		t.Fatalf("fields with explicit consent: %v", fields)
	}

	// Withdrawn: nothing goes, and consent recorded again without explicit does not bring
	// the special category details back.
	c = e.Must(http.StatusOK, "DELETE", "/complaints/"+id+"/consents/"+sharingKCC, alice, nil)
	if k := c["consents"].([]any)[0].(map[string]any); k["withdrawn_at"] == nil {
		t.Fatalf("withdrawn: %#v", k)
	}
	r = e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	sharingRefused(t, r, sharingKCC, "complaint_handling", sharingNoConsentStage1, []string{})
	e.Clock.Advance(time.Hour)
	alice = e.officer("alice")
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/consents", alice, map[string]any{"recipient": sharingKCC})
	if want := []any{map[string]any{"recipient": sharingKCC, "given_at": "2026-03-02T12:00:00Z", "recorded_by": "alice", "withdrawn_at": nil, "explicit": false}}; !reflect.DeepEqual(c["consents"], want) {
		t.Fatalf("consent again, not explicit: %#v", c["consents"])
	}
	got = e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	if !reflect.DeepEqual(sharingStrings(got["withheld"]), []string{"complaint_special_details"}) {
		t.Fatalf("after withdrawal and plain consent: %v", got)
	}
}
