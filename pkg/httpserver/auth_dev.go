package httpserver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// devAlg is pinned: a token headed with any other algorithm ("none", RS256
// signed with the HMAC key as a "public key", ...) is refused.
const devAlg = "HS256"

func checkDevConfig(cfg AuthConfig) error {
	if len(cfg.DevSigningKey) < minDevKeyBytes {
		return fmt.Errorf("httpserver: auth: DevSigningKey must be at least %d bytes", minDevKeyBytes)
	}
	if cfg.Issuer == "" || cfg.Audience == "" {
		return errors.New("httpserver: auth: Issuer and Audience are required")
	}
	return nil
}

func newDevVerifier(cfg AuthConfig) (func(context.Context, string) (map[string]any, error), error) {
	if err := checkDevConfig(cfg); err != nil {
		return nil, err
	}
	rules, err := newTokenRules(cfg, cfg.Issuer, []string{devAlg}, 0)
	if err != nil {
		return nil, err
	}
	// The library checks the signature only; the claims are checked by rules, as for OIDC.
	parser := jwt.NewParser(jwt.WithValidMethods([]string{devAlg}), jwt.WithoutClaimsValidation())
	key := append([]byte(nil), cfg.DevSigningKey...)
	keyFunc := func(*jwt.Token) (any, error) { return key, nil }

	return func(_ context.Context, raw string) (map[string]any, error) {
		claims, err := rules.beforeSignature(raw)
		if err != nil {
			return nil, err
		}
		if _, err := parser.Parse(raw, keyFunc); err != nil {
			return nil, errTokenInvalid
		}
		if err := rules.afterSignature(claims); err != nil {
			return nil, err
		}
		return claims, nil
	}, nil
}

// IssueDevToken mints an HS256 token the dev authenticator for cfg accepts:
// iss, aud, sub, name, roles (at cfg.RolesClaim), iat and nbf = now,
// exp = now+ttl, and a random jti. For the local stack and tests only.
func IssueDevToken(cfg AuthConfig, subject, name string, roles []string, ttl time.Duration, now time.Time) (string, error) {
	if err := checkDevConfig(cfg); err != nil {
		return "", err
	}
	if subject == "" || ttl <= 0 {
		return "", errors.New("httpserver: dev token: subject and a positive ttl are required")
	}
	rolesClaim := cfg.RolesClaim
	if rolesClaim == "" {
		rolesClaim = defaultRolesClaim
	}
	claims := jwt.MapClaims{
		"iss": cfg.Issuer,
		"aud": cfg.Audience,
		"sub": subject,
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(ttl).Unix(),
		"jti": uuid.NewString(),
	}
	if name != "" {
		claims["name"] = name
	}
	setClaimPath(claims, rolesClaim, append([]string{}, roles...))
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(cfg.DevSigningKey)
	if err != nil {
		return "", fmt.Errorf("httpserver: dev token: %w", err)
	}
	return signed, nil
}
