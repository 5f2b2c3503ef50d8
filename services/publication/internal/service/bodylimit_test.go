package service_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
	"casework.dev/services/publication/internal/service"
)

// Every JSON body the contract allows is admitted, however it is written: each operation's
// largest body, every character escaped, is within service.MaxBodyBytes, and the service
// answers on what the body says, never 413 or a 5xx.
func TestBodyLimitAdmitsEveryBodyTheContractAllows(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000b01", "", aConviction())
	id := e.waitForDecisions(1)[0]
	bodies := testkit.LargestBodies(t, e.svc.Spec)
	if len(bodies) == 0 {
		t.Fatal("no operation takes a JSON body")
	}
	for _, op := range slices.Sorted(maps.Keys(bodies)) {
		body := bodies[op]
		t.Logf("%s: %d bytes", op, len(body))
		if int64(len(body)) > service.MaxBodyBytes {
			t.Errorf("%s: its largest body, every character escaped, is %d bytes, past the limit of %d", op, len(body), service.MaxBodyBytes)
		}
		method, path, _ := strings.Cut(op, " ")
		r := e.Call(method, strings.ReplaceAll(path, "{id}", id), e.manager("maria"), string(body))
		if r.Status == 413 || r.Status >= 500 {
			t.Errorf("%s (%d bytes): %d %s", op, len(body), r.Status, r.Body)
		}
	}
}
