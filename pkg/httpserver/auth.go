package httpserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// AuthConfig configures bearer-token authentication. Exactly one of
// DevSigningKey and OIDCIssuerURL is set.
type AuthConfig struct {
	// Issuer is the expected "iss". With OIDC it may be left empty and is then OIDCIssuerURL.
	Issuer string
	// Audience is the expected "aud" (with OIDC: the client id the council's IdP issues tokens for).
	Audience string
	// DevSigningKey (at least 32 bytes) makes this an HS256 dev issuer for the local stack.
	DevSigningKey []byte
	// OIDCIssuerURL, if set, verifies RS256/ES256 tokens against the council's IdP
	// (discovery and JWKS fetched from it).
	OIDCIssuerURL string
	// RolesClaim names the claim holding roles; a dotted path reaches into
	// objects (e.g. "realm_access.roles"). Default "roles". The claim may be
	// an array of strings or one space-separated string.
	RolesClaim string
	// Leeway tolerates clock skew when checking exp, nbf and iat: at most 5 minutes. Zero
	// means none for the dev issuer, which shares our clock, and 30 seconds with OIDC.
	Leeway time.Duration
	// Now is the clock; nil means time.Now. Tests inject it.
	Now func() time.Time
	// HTTPClient fetches OIDC discovery and keys; nil means http.DefaultClient.
	HTTPClient *http.Client
}

const (
	defaultRolesClaim = "roles"
	minDevKeyBytes    = 32
	authRealm         = "casework"
	// An officer sends many requests with one token. Verifying its signature and claims
	// again on each costs more than the rest of a small request's checks (with OIDC, an
	// RSA or ECDSA verification), so a verified token's principal is kept for a while:
	// at most verifiedTokenAge, never past the token's exp, and only the exact bytes that
	// were verified, so a token altered in any way is verified afresh. A key the IdP
	// withdraws is noticed within verifiedTokenAge.
	verifiedTokens   = 4096
	verifiedTokenAge = time.Minute
)

// Authenticator verifies bearer tokens and puts the Principal in the context.
type Authenticator struct {
	verify     func(ctx context.Context, raw string) (map[string]any, error)
	rolesClaim string
	now        func() time.Time
	verified   *expirable.LRU[string, verifiedToken]
}

// verifiedToken is what a token verified earlier gives, until it expires.
type verifiedToken struct {
	principal Principal
	expires   time.Time
}

// NewAuthenticator checks cfg and, for OIDC, fetches the IdP's discovery document.
func NewAuthenticator(ctx context.Context, cfg AuthConfig) (*Authenticator, error) {
	if cfg.Audience == "" {
		return nil, errors.New("httpserver: auth: Audience is required")
	}
	if (len(cfg.DevSigningKey) > 0) == (cfg.OIDCIssuerURL != "") {
		return nil, errors.New("httpserver: auth: set exactly one of DevSigningKey and OIDCIssuerURL")
	}
	a := &Authenticator{rolesClaim: cfg.RolesClaim, now: cfg.Now,
		verified: expirable.NewLRU[string, verifiedToken](verifiedTokens, nil, verifiedTokenAge)}
	if a.now == nil {
		a.now = time.Now
	}
	if a.rolesClaim == "" {
		a.rolesClaim = defaultRolesClaim
	}
	var err error
	if cfg.OIDCIssuerURL != "" {
		a.verify, err = newOIDCVerifier(ctx, cfg)
	} else {
		a.verify, err = newDevVerifier(cfg)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Middleware answers 401 unauthenticated, with a WWW-Authenticate: Bearer
// header, when the bearer token is missing, malformed, badly signed, of
// another algorithm, expired, not yet valid, or for another issuer or
// audience, or breaks another rule of RFC 8725 (see auth_rules.go).
// Otherwise the Principal is in the request context.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := RepeatedAuthorization(r); p != nil {
			WriteProblem(w, r, p)
			return
		}
		raw, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			writeUnauthenticated(w, r, "", "a bearer token is required")
			return
		}
		p, err := a.Authenticate(r.Context(), raw)
		if err != nil {
			writeUnauthenticated(w, r, "invalid_token", err.Error())
			return
		}
		next.ServeHTTP(w, r.WithContext(ContextWithPrincipal(r.Context(), p)))
	})
}

// Authenticate verifies one raw token. Its errors are safe to show the caller.
func (a *Authenticator) Authenticate(ctx context.Context, raw string) (Principal, error) {
	if v, ok := a.verified.Get(raw); ok && a.now().Before(v.expires) {
		v.principal.Roles = slices.Clone(v.principal.Roles)
		return v.principal, nil
	}
	claims, err := a.verify(ctx, raw)
	if err != nil {
		return Principal{}, err
	}
	sub, _ := claims["sub"].(string)
	if sub == "" {
		return Principal{}, errors.New("the token has no subject")
	}
	name, _ := claims["name"].(string)
	if name == "" {
		name, _ = claims["preferred_username"].(string)
	}
	roles, err := rolesFrom(claims, a.rolesClaim)
	if err != nil {
		return Principal{}, err
	}
	p := Principal{Subject: sub, Name: name, Roles: roles}
	// verify required exp; the leeway past it is left to verify's own check.
	if exp, _, err := numericDate(claims, "exp"); err == nil {
		a.verified.Add(raw, verifiedToken{principal: p, expires: exp})
	}
	return p, nil
}

// Token failures as the caller sees them; the cause stays out of the response.
var (
	errTokenExpired  = errors.New("the token has expired")
	errTokenNotValid = errors.New("the token is not valid yet")
	errTokenInvalid  = errors.New("the token is invalid")
)

// RepeatedAuthorization refuses a request that carries more than one Authorization
// header: which one counts would depend on who reads it (a proxy may take the last). Nil
// when there is at most one.
func RepeatedAuthorization(r *http.Request) *Problem {
	if n := len(r.Header.Values("Authorization")); n > 1 {
		return Validation("the Authorization header is given more than once",
			FieldError{Parameter: "Authorization", Detail: fmt.Sprintf("given %d times; send one", n)})
	}
	return nil
}

func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

func writeUnauthenticated(w http.ResponseWriter, r *http.Request, code, detail string) {
	challenge := fmt.Sprintf("Bearer realm=%q", authRealm)
	if code != "" {
		challenge += fmt.Sprintf(", error=%q, error_description=%q", code, detail)
	}
	w.Header().Set("WWW-Authenticate", challenge)
	WriteProblem(w, r, Unauthenticated(detail))
}

// rolesFrom reads the roles claim at a dotted path: an array of strings or
// one space-separated string. A token without it has no roles; a claim of
// another type is refused rather than read as no roles or some of them.
func rolesFrom(claims map[string]any, path string) ([]string, error) {
	refused := fmt.Errorf("the token's %s claim must be an array of strings or one space-separated string", path)
	var v any = claims
	for part := range strings.SplitSeq(path, ".") {
		if v == nil {
			return nil, nil
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, refused
		}
		v = obj[part]
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return strings.Fields(v), nil
	case []any:
		roles := make([]string, 0, len(v))
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, refused
			}
			if s != "" {
				roles = append(roles, s)
			}
		}
		return roles, nil
	}
	return nil, refused
}

// setClaimPath sets value at a dotted path, creating objects on the way.
func setClaimPath(claims map[string]any, path string, value any) {
	parts := strings.Split(path, ".")
	obj := claims
	for _, part := range parts[:len(parts)-1] {
		next, ok := obj[part].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[part] = next
		}
		obj = next
	}
	obj[parts[len(parts)-1]] = value
}
