package service_test

import (
	"testing"

	"casework.dev/pkg/testkit"
)

// No input ever causes a 500: every operation of contracts/openapi/publication.yaml gets
// the probe's hostile requests, as a manager (who holds every route), on a decision that
// exists.
func TestNoInputCausesA500(t *testing.T) {
	e := newEnv(t)
	manual := map[string]any{"team": "licensing", "case_reference": "LIC-7", "conviction": aConviction()}
	id := e.Must(201, "POST", "/decisions", e.officer("olive"), manual)["id"].(string)
	e.ProbeOperations(t, e.manager("maria"), testkit.ProbeOptions{Seed: 1, PathValues: map[string]string{"id": id}})
}
