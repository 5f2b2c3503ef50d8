package e2e_test

import "testing"

// TestConvictionRecordedWhileRestrictedReachesPublicationOnceLifted: a restriction stops
// the conviction's disclosure to the publication service (investigations records
// "refused: restricted"); lifting the restriction should let it go, as it lets a referral
// go again. It goes after the lift (a referral to the publication service by hand stays
// refused, 409 publication_decision_via_conviction), so the decision is made.
func TestConvictionRecordedWhileRestrictedReachesPublicationOnceLifted(t *testing.T) {
	c := newCouncil(t)
	olive := c.investigations.Token("olive", "investigations_officer")
	id := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "web",
		"people": []any{person("reporter", ann), person("subject", sam)},
		"matter": map[string]any{"summary": "Loud music every night", "locations": []any{"Mill Lane, Maidstone"}, "dates": []any{"2026-01-20"}}})["id"].(string)
	for _, step := range []string{"/triage", "/investigate", "/prosecute"} {
		c.investigations.Must(200, "POST", "/investigations/"+id+step, olive, nil)
	}
	req, candidates := c.rightsRequestOf(map[string]any{"name": "Sam Subject", "email": "sam@example.org"}, "restriction", nil)
	c.confirm(req, candidates, "investigations subject")
	c.investigations.Must(200, "POST", "/investigations/"+id+"/outcome", olive, map[string]any{"outcome": "conviction",
		"offence": "Breach of a noise abatement notice (EPA 1990 s80(4))", "court": "Maidstone Magistrates' Court",
		"date": "2026-03-02", "sentence": "Fine of GBP 1,200", "sentence_length": "none"})
	c.rights.Must(200, "POST", "/requests/"+req+"/lift", c.rights.Token("dora", "dpo"), map[string]any{"told_on": "2026-03-02", "told_how": "letter"})
	c.waitFor(req, "every service to lift the restriction", "ready")
	if d := c.decisions(1); len(d) != 1 || d[0]["status"] != "to_decide" {
		t.Fatalf("decisions after the lift: %v", d)
	}
}
