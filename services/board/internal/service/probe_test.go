package service_test

import (
	"testing"

	"casework.dev/pkg/testkit"
)

// No input ever causes a 500: every operation of contracts/openapi/board.yaml gets the
// probe's hostile requests, as a manager of both services the board follows.
func TestNoInputCausesA500(t *testing.T) {
	e := newEnv(t)
	testkit.Probe(t, testkit.ProbeTarget{URL: e.server.URL, Contract: e.contract, DB: e.db, NoRole: e.token("nobody")},
		e.token("mina", "complaints_manager", "investigations_manager"), testkit.ProbeOptions{Seed: 1})
}
