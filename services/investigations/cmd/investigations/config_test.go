package main

import (
	"os"
	"testing"

	"casework.dev/services/investigations/internal/service"
)

// The binary bounds a request body by the limit the tests run with, reckoned from the
// contract (service.MaxBodyBytes), unless INVESTIGATIONS_HTTP_MAX_BODY_BYTES says otherwise.
func TestTheBinaryRunsWithTheTestedBodyLimit(t *testing.T) {
	args := os.Args
	t.Cleanup(func() { os.Args = args })
	os.Args = []string{"investigations"}
	cfg, _, err := parseConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.MaxBodyBytes != service.MaxBodyBytes {
		t.Fatalf("HTTP.MaxBodyBytes %d, want service.MaxBodyBytes %d", cfg.HTTP.MaxBodyBytes, service.MaxBodyBytes)
	}
	t.Setenv("INVESTIGATIONS_HTTP_MAX_BODY_BYTES", "131072")
	if cfg, _, err := parseConfig(); err != nil || cfg.HTTP.MaxBodyBytes != 131072 {
		t.Fatalf("HTTP.MaxBodyBytes %d (%v), want 131072 from the environment", cfg.HTTP.MaxBodyBytes, err)
	}
}
