package service_test

import (
	"testing"

	"casework.dev/pkg/testkit"
)

// No input ever causes a 500: every operation of contracts/openapi/investigations.yaml gets
// the probe's hostile requests, as a manager (who holds every route), on a case that exists.
func TestNoInputCausesA500(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "noise", "", nil)
	e.ProbeOperations(t, e.manager("mina"), testkit.ProbeOptions{Seed: 1,
		PathValues: map[string]string{"id": f.id, "item": f.photoID}})
}
