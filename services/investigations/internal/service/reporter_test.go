package service_test

import "testing"

// TestWhatTheReporterSuppliedStaysWithTheirIdentity: the reporter's own photo goes to the
// person investigated only with the finding that disclosing who reported is necessary.
func TestWhatTheReporterSuppliedStaysWithTheirIdentity(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	p := "/investigations/" + f.id
	v := e.Must(200, "POST", p+"/evidence", officer, map[string]any{"kind": "photo", "description": "Taken from Rita's bedroom window",
		"person_id": f.reporterID, "captured_at": "2026-02-23T23:30:00Z"})
	evidence := v["evidence"].([]any)
	ritasPhoto := map[string]any{"id": evidence[len(evidence)-1].(map[string]any)["id"], "kind": "photo",
		"description": "Taken from Rita's bedroom window", "person_id": f.reporterID, "captured_at": "2026-02-23T23:30:00Z", "used_as_evidence": false}
	refer := func() map[string]any {
		return e.Must(201, "POST", p+"/referrals", officer, map[string]any{"recipient": "subject-of-investigation", "purpose": "investigation",
			"categories": []string{"evidential_material"}})["data"].(map[string]any)
	}
	if got, want := normal(t, refer()), normal(t, map[string]any{"evidential_material": []any{photoItem(f)}}); got != want {
		t.Errorf("without necessity the subject received\n %s\nwant\n %s", got, want)
	}
	e.Must(200, "POST", p+"/conditions", officer, map[string]any{"recipient": "subject-of-investigation", "condition": "recorded_necessity",
		"reason": "the photo is the evidence the notice rests on"})
	v = e.Must(201, "POST", p+"/referrals", officer, map[string]any{"recipient": "subject-of-investigation", "purpose": "investigation",
		"categories": []string{"evidential_material", "reporter_identity"}})
	if got, want := normal(t, v["data"]), normal(t, map[string]any{"evidential_material": []any{photoItem(f), ritasPhoto}}); got != want {
		t.Errorf("with necessity recorded the subject received\n %s\nwant\n %s", got, want)
	}
}
