package httpserver

import (
	"context"
	"errors"
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
)

// oidcAlgs are pinned whatever the IdP's discovery document advertises.
var oidcAlgs = []string{oidc.RS256, oidc.ES256}

func newOIDCVerifier(ctx context.Context, cfg AuthConfig) (func(context.Context, string) (map[string]any, error), error) {
	if cfg.Issuer != "" && cfg.Issuer != cfg.OIDCIssuerURL {
		return nil, errors.New("httpserver: auth: with OIDC, Issuer must be empty or equal OIDCIssuerURL")
	}
	if cfg.HTTPClient != nil {
		ctx = oidc.ClientContext(ctx, cfg.HTTPClient)
	}
	provider, err := oidc.NewProvider(ctx, cfg.OIDCIssuerURL)
	if err != nil {
		return nil, fmt.Errorf("httpserver: auth: oidc discovery at %s: %w", cfg.OIDCIssuerURL, err)
	}
	rules, err := newTokenRules(cfg, cfg.OIDCIssuerURL, oidcAlgs, defaultOIDCLeeway)
	if err != nil {
		return nil, err
	}
	// VerifierContext keeps ctx's HTTP client for key fetches but not its cancellation. The
	// library checks the signature (keys only from the IdP's JWKS, chosen by kid), iss and
	// aud; the times are checked by rules with their leeway, as for the dev issuer.
	verifier := provider.VerifierContext(ctx, &oidc.Config{
		ClientID:             cfg.Audience,
		SupportedSigningAlgs: oidcAlgs,
		SkipExpiryCheck:      true,
	})
	return func(ctx context.Context, raw string) (map[string]any, error) {
		claims, err := rules.beforeSignature(raw)
		if err != nil {
			return nil, err
		}
		if _, err := verifier.Verify(ctx, raw); err != nil {
			return nil, errTokenInvalid
		}
		if err := rules.afterSignature(claims); err != nil {
			return nil, err
		}
		return claims, nil
	}, nil
}
