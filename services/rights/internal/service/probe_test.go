package service_test

import (
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// No input ever causes a 500: every operation of contracts/openapi/rights.yaml gets the
// probe's hostile requests, as the DPO (who holds every route), on a request, a breach and
// an FOI request that exist.
func TestNoInputCausesA500(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)) // after the FOI request was received
	request := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	breach := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
	foi := e.Must(201, "POST", "/foi", e.officer(), anFOI())["id"].(string)
	e.ProbeOperations(t, e.dpo(), testkit.ProbeOptions{Seed: 1, PathValues: map[string]string{
		"/requests/{id}": request, "/breaches/{id}": breach, "/foi/{id}": foi}})
}
