package main

import (
	"os"
	"testing"

	"casework.dev/services/debt/internal/service"
)

// The binary bounds a JSON body by the limit the tests run with, reckoned from the contract
// (service.MaxJSONBodyBytes), unless DEBT_JSON_MAX_BODY_BYTES says otherwise.
func TestTheBinaryRunsWithTheTestedJSONBodyLimit(t *testing.T) {
	args := os.Args
	t.Cleanup(func() { os.Args = args })
	os.Args = []string{"debt"}
	cfg, _, err := parseConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.JSONMaxBodyBytes != service.MaxJSONBodyBytes {
		t.Fatalf("JSONMaxBodyBytes %d, want service.MaxJSONBodyBytes %d", cfg.JSONMaxBodyBytes, service.MaxJSONBodyBytes)
	}
	t.Setenv("DEBT_JSON_MAX_BODY_BYTES", "131072")
	if cfg, _, err := parseConfig(); err != nil || cfg.JSONMaxBodyBytes != 131072 {
		t.Fatalf("JSONMaxBodyBytes %d (%v), want 131072 from the environment", cfg.JSONMaxBodyBytes, err)
	}
}
