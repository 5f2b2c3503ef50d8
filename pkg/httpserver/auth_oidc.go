package httpserver

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	// VerifierContext keeps ctx's HTTP client for key fetches but not its cancellation.
	verifier := provider.VerifierContext(ctx, &oidc.Config{
		ClientID:             cfg.Audience,
		SupportedSigningAlgs: oidcAlgs,
		Now:                  cfg.Now,
	})
	return func(ctx context.Context, raw string) (map[string]any, error) {
		tok, err := verifier.Verify(ctx, raw)
		if err != nil {
			var expired *oidc.TokenExpiredError
			switch {
			case errors.As(err, &expired):
				return nil, errTokenExpired
			case strings.Contains(err.Error(), "before the nbf"):
				return nil, errTokenNotValid
			}
			return nil, errTokenInvalid
		}
		claims := map[string]any{}
		if err := tok.Claims(&claims); err != nil {
			return nil, errTokenInvalid
		}
		return claims, nil
	}, nil
}
