package service_test

import (
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// problemMembers are the members contracts/openapi/rights.yaml gives a problem: the
// standard ones and those its Problem schema names.
var problemMembers = []string{"type", "title", "status", "detail", "instance", "request_id", "errors", "rule", "allowed_actions",
	"request_status", "breach_status", "foi_status", "phase", "pending", "dependency", "retryable", "recipient", "purpose",
	"notice_version", "withheld"}

// An action the case's status does not allow is refused with the status under the member
// the contract names for its kind (request_status, breach_status, foi_status; not "rights
// request_status" nor "request for information_status"), beside allowed_actions, and with
// no member the contract does not know.
func TestRefusedTransitionsNameTheStatusAsTheContractDoes(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)) // after the FOI request was received
	olly, dora := e.officer(), e.dpo()
	unverified := anAccessRequest("access")
	delete(unverified, "identity_method")
	req := "/requests/" + e.Must(201, "POST", "/requests", olly, unverified)["id"].(string)
	e.Must(200, "POST", req+"/refuse", dora, map[string]any{"ground": "identity_not_confirmed", "reasons": "The fourth identical request this month."})
	br := "/breaches/" + e.Must(201, "POST", "/breaches", olly, aBreach())["id"].(string)
	e.Must(200, "POST", br+"/assessment", dora, map[string]any{"reportable": false, "reason": "the letter came back unopened",
		"high_risk": false, "tell_people": false})
	e.Must(200, "POST", br+"/close", dora, nil)
	foi := "/foi/" + e.Must(201, "POST", "/foi", olly, anFOI())["id"].(string)
	e.Must(200, "POST", foi+"/respond", olly, map[string]any{"publish": false,
		"parts": []map[string]any{{"description": "number of reports", "outcome": "released"}}})

	statusIn := func(member, status string) func(*testing.T, testkit.Response, map[string]any) {
		return func(t *testing.T, r testkit.Response, p map[string]any) {
			if p[member] != status || p["allowed_actions"] == nil {
				t.Errorf("%s %v, want %s, allowed %v: %s", member, p[member], status, p["allowed_actions"], r.Body)
			}
			for k := range p {
				if !slices.Contains(problemMembers, k) {
					t.Errorf("member %q is not in the contract: %s", k, r.Body)
				}
			}
		}
	}
	e.RefusesBadInput(t, dora, []testkit.BadInput{
		{Name: "completing a refused request", Method: "POST", Path: req + "/complete",
			Status: 409, Problem: "illegal-transition", Check: statusIn("request_status", "refused")},
		{Name: "assessing a closed breach", Method: "POST", Path: br + "/assessment", Body: map[string]any{"reportable": true, "reason": "r",
			"high_risk": false, "tell_people": false}, Status: 409, Problem: "illegal-transition", Check: statusIn("breach_status", "closed")},
		{Name: "extending an answered FOI request", Method: "POST", Path: foi + "/extend", Body: map[string]any{"reason": "r"},
			Status: 409, Problem: "illegal-transition", Check: statusIn("foi_status", "responded")},
	})
}
