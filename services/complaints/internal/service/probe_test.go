package service_test

import (
	"net/http"
	"testing"

	"casework.dev/pkg/testkit"
)

// No input ever causes a 500: every operation of contracts/openapi/complaints.yaml gets the
// probe's hostile requests, with the role it needs, on a complaint that exists.
func TestNoInputCausesA500(t *testing.T) {
	e := newEnv(t)
	// The Ombudsman routes are probed by a handler who is also an officer: to the handler
	// alone the probe's stage 1 complaint does not exist (404, the attempt audited).
	alice, lgo, manager := e.officer("alice"), e.Token("lucy", "complaints_lgo", "complaints_officer"), e.manager("mina")
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	e.ProbeOperations(t, alice, testkit.ProbeOptions{Seed: 1,
		PathValues: map[string]string{"id": id, "n": "1", "recipient": "kent-county-council"},
		Tokens: map[string]string{
			"GET /disclosures":                                  manager,
			"GET /complaints/{id}/disclosures":                  manager,
			"PUT /complaints/{id}/legal-hold":                   manager,
			"DELETE /complaints/{id}/legal-hold":                manager,
			"POST /complaints/{id}/lgo/necessity":               lgo,
			"POST /complaints/{id}/lgo/enquiries":               lgo,
			"POST /complaints/{id}/lgo/enquiries/{n}/response":  lgo,
			"POST /complaints/{id}/lgo/decision":                lgo,
			"POST /complaints/{id}/lgo/remedies/{n}/compliance": lgo,
		}})
}
