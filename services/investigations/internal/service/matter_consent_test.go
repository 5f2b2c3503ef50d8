package service_test

import (
	"testing"
)

// A consent covers the data of the person who gave it, and the matter is the data of the
// person investigated (the notice tells them it, and nothing of anyone else). The reporter's
// consent to the voluntary organisations, who may not have the reporter's identity, sends
// neither the matter nor anything else: the referral goes with no data, as any referral
// whose people are all held back does. The witness's consent adds the witness alone; the
// matter goes once the person investigated consents too. With two people investigated, one's
// consent does not send it.
func TestAConsentSendsTheMatterOnlyFromEveryoneItIsAbout(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.voluntary-organisations.>")
	olive := e.officer("olive")
	f := e.openCase(olive, "anti_social_behaviour", "", nil)
	consent := func(caseID, personID string) {
		t.Helper()
		e.Must(200, "POST", "/investigations/"+caseID+"/conditions", olive, map[string]any{
			"recipient": "voluntary-organisations", "condition": "consent", "person_id": personID, "reason": "agreed"})
	}
	refer := func(caseID string, want map[string]any) {
		t.Helper()
		got := e.Must(201, "POST", "/investigations/"+caseID+"/referrals", olive, map[string]any{"recipient": "voluntary-organisations", "purpose": "interagency_partnership"})
		if normal(t, got["data"]) != normal(t, want) {
			t.Errorf("the voluntary organisations received\n %s\nwant\n %s", normal(t, got["data"]), normal(t, want))
		}
		if msg := waitForDisclosure(t, share, got["id"].(string)); normal(t, msg.body["data"]) != normal(t, want) {
			t.Errorf("the message carried\n %s\nwant\n %s", normal(t, msg.body["data"]), normal(t, want))
		}
	}
	witnessOnly := map[string]any{"people": []any{pick(witness, f.witnessID, "name", "phone")}}

	consent(f.id, f.reporterID)
	refer(f.id, map[string]any{})
	consent(f.id, f.witnessID)
	refer(f.id, witnessOnly)
	consent(f.id, f.subjectID)
	refer(f.id, map[string]any{"people": []any{pick(subject, f.subjectID, "name", "phone"), pick(witness, f.witnessID, "name", "phone")}, "matter": matter})

	two := e.openCase(olive, "anti_social_behaviour", "", nil)
	sidID := e.addPerson("/investigations/"+two.id, olive, second)
	consent(two.id, sidID)
	refer(two.id, map[string]any{"people": []any{map[string]any{"id": sidID, "role": "subject", "name": "Sid Second"}}})
}
