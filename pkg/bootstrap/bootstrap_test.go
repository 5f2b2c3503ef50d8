package bootstrap_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ardanlabs/conf/v3"

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

func TestParsedStopsForHelpAndRequiresOneIssuer(t *testing.T) {
	var out strings.Builder
	if _, err := bootstrap.Parsed(&out, "X", &struct{}{}, bootstrap.Auth{}, "usage: x", conf.ErrHelpWanted); !errors.Is(err, bootstrap.ErrHelpShown) || out.String() != "usage: x\n" {
		t.Fatalf("help: %v, printed %q", err, out.String())
	}
	if _, err := bootstrap.Parsed(&out, "X", &struct{}{}, bootstrap.Auth{}, "", nil); err == nil || !strings.Contains(err.Error(), "X_AUTH_DEV_SIGNING_KEY") {
		t.Fatalf("no issuer: %v", err)
	}
	cfg := struct {
		Secret string `conf:"mask"`
	}{Secret: "s3cret"}
	shown, err := bootstrap.Parsed(&out, "X", &cfg, bootstrap.Auth{DevSigningKey: "k"}, "", nil)
	if err != nil || strings.Contains(shown, "s3cret") {
		t.Fatalf("shown %q (%v): the secret must be masked", shown, err)
	}
}
