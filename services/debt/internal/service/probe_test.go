package service_test

import (
	"testing"

	"casework.dev/pkg/testkit"
)

// No input ever causes a 500: every operation of contracts/openapi/debt.yaml gets the
// probe's hostile requests, as a manager (who holds every staff route) or the case's client
// (a recall), on a case that exists.
func TestNoInputCausesA500(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-PROBE", 120_000)
	e.ProbeOperations(t, e.manager(), testkit.ProbeOptions{Seed: 1,
		PathValues: map[string]string{"id": id, "recipient": "debt-advice-agency"},
		Tokens:     map[string]string{"POST /cases/{id}/recall": e.client("maidstone-council-tax")}})
}
