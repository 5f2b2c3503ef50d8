package service_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
)

// No input ever causes a 500: every operation of contracts/openapi/delivery.yaml gets the
// probe's hostile requests, as the delivery manager, on a dead letter that exists (its
// partner never answers 2xx, so a retry fails again and the letter stays).
func TestNoInputCausesA500(t *testing.T) {
	lgo := newReceiver(t, func(string, int) int { return http.StatusServiceUnavailable })
	e := newEnv(t, domain.RetryPolicy{MaxAttempts: 1, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	e.drained("lgo")
	manager := e.Token("dana", "delivery_manager")
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(e.Expect(200, "GET", "/dead-letters?partner=lgo", manager, nil).Body, &page); err != nil || len(page.Items) != 1 {
		t.Fatalf("dead letters: %v %+v", err, page)
	}
	e.ProbeOperations(t, manager, testkit.ProbeOptions{Seed: 1, PathValues: map[string]string{"id": page.Items[0].ID}})
}
