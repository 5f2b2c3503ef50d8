package bootstrap_test

import (
	"testing"

	"casework.dev/pkg/bootstrap"
)

func TestAuthConfigPassesOnOnlyTheChosenIssuer(t *testing.T) {
	dev := bootstrap.Auth{Issuer: "casework-dev", Audience: "casework", DevSigningKey: "k"}.Config()
	if dev.Issuer != "casework-dev" || string(dev.DevSigningKey) != "k" || dev.OIDCIssuerURL != "" {
		t.Fatalf("dev issuer: %+v", dev)
	}
	// The dev issuer's default name must not reach an OIDC verifier, which requires the
	// provider's own URL as issuer.
	oidc := bootstrap.Auth{Issuer: "casework-dev", Audience: "casework", OIDCIssuerURL: "https://id.example.gov.uk"}.Config()
	if oidc.Issuer != "" || oidc.DevSigningKey != nil || oidc.OIDCIssuerURL != "https://id.example.gov.uk" || oidc.Audience != "casework" {
		t.Fatalf("oidc issuer: %+v", oidc)
	}
	if err := (bootstrap.Auth{}).Check("X"); err == nil {
		t.Fatal("no issuer at all must be refused")
	}
	if err := (bootstrap.Auth{DevSigningKey: "k", OIDCIssuerURL: "https://id"}).Check("X"); err == nil {
		t.Fatal("two issuers must be refused")
	}
}
