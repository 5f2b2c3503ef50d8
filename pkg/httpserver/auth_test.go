package httpserver

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var testNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func devConfig() AuthConfig {
	return AuthConfig{
		Issuer:        "https://dev.casework.local",
		Audience:      "casework-api",
		DevSigningKey: []byte("0123456789abcdef0123456789abcdef"),
		Now:           func() time.Time { return testNow },
	}
}

func newDevAuth(t *testing.T, cfg AuthConfig) *Authenticator {
	t.Helper()
	a, err := NewAuthenticator(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustDevToken(t *testing.T, cfg AuthConfig, roles []string, ttl time.Duration, now time.Time) string {
	t.Helper()
	tok, err := IssueDevToken(cfg, "officer-1", "Olive Officer", roles, ttl, now)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// authRec serves one request with token through a's middleware, answering
// the principal as JSON.
func authRec(a *Authenticator, token string, mws ...Middleware) *httptest.ResponseRecorder {
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := PrincipalFrom(r.Context())
		_ = WriteJSON(w, http.StatusOK, p)
	}), append([]Middleware{a.Middleware}, mws...)...)
	r := httptest.NewRequest(http.MethodGet, "/complaints", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func wantUnauthenticated(t *testing.T, rec *httptest.ResponseRecorder, detail string) {
	t.Helper()
	p := readProblem(t, rec, http.StatusUnauthorized, TypeUnauthenticated)
	if p.Detail != detail {
		t.Fatalf("detail = %q, want %q", p.Detail, detail)
	}
	if ch := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(ch, `Bearer realm="casework"`) {
		t.Fatalf("WWW-Authenticate = %q", ch)
	}
}

func TestDevTokenAuthenticates(t *testing.T) {
	cfg := devConfig()
	rec := authRec(newDevAuth(t, cfg), mustDevToken(t, cfg, []string{"case_officer", "manager"}, time.Hour, testNow.Add(-time.Minute)))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	var p Principal
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if p.Subject != "officer-1" || p.Name != "Olive Officer" || strings.Join(p.Roles, ",") != "case_officer,manager" {
		t.Fatalf("principal = %+v", p)
	}
	if !p.HasRole("manager") || p.HasRole("dpo") {
		t.Fatalf("HasRole wrong for %+v", p)
	}
}

func TestMissingOrMalformedAuthorizationIs401(t *testing.T) {
	a := newDevAuth(t, devConfig())
	rec := authRec(a, "")
	wantUnauthenticated(t, rec, "a bearer token is required")
	if ch := rec.Header().Get("WWW-Authenticate"); ch != `Bearer realm="casework"` {
		t.Fatalf("WWW-Authenticate = %q", ch)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Basic b2ZmaWNlcjpwdw==")
	rec = httptest.NewRecorder()
	a.Middleware(http.NotFoundHandler()).ServeHTTP(rec, r)
	wantUnauthenticated(t, rec, "a bearer token is required")

	wantUnauthenticated(t, authRec(a, "not.a.jwt"), "the token is invalid")
}

func TestTwoAuthorizationHeadersAreRefused(t *testing.T) {
	cfg := devConfig()
	a := newDevAuth(t, cfg)
	token := mustDevToken(t, cfg, []string{"manager"}, time.Hour, testNow.Add(-time.Minute))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Add("Authorization", "Bearer "+token)
	r.Header.Add("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	a.Middleware(http.NotFoundHandler()).ServeHTTP(rec, r)
	p := readProblem(t, rec, http.StatusBadRequest, TypeValidation)
	if len(p.Errors) != 1 || p.Errors[0].Parameter != "Authorization" || p.Errors[0].Detail != "given 2 times; send one" {
		t.Fatalf("errors %+v, want one naming the Authorization header", p.Errors)
	}
}

func TestDevTokenRefusals(t *testing.T) {
	cfg := devConfig()
	a := newDevAuth(t, cfg)
	valid := mustDevToken(t, cfg, []string{"case_officer"}, time.Hour, testNow)

	otherIssuer := cfg
	otherIssuer.Issuer = "https://evil.example"
	otherAudience := cfg
	otherAudience.Audience = "another-api"
	otherKey := cfg
	otherKey.DevSigningKey = []byte("ffffffffffffffffffffffffffffffff")

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{"iss": cfg.Issuer, "aud": cfg.Audience, "sub": "x", "roles": []string{"dpo"},
		"iat": testNow.Unix(), "exp": testNow.Add(time.Hour).Unix()}
	rs256, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(rsaKey)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	noExp := jwt.MapClaims{"iss": cfg.Issuer, "aud": cfg.Audience, "sub": "x", "iat": testNow.Unix()}
	noExpToken, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, noExp).SignedString(cfg.DevSigningKey)

	// Tamper: escalate the roles in a validly signed token.
	parts := strings.Split(valid, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	escalated := strings.Replace(string(payload), `"case_officer"`, `"dpo"`, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(escalated)) + "." + parts[2]

	cases := []struct {
		name, token, detail string
	}{
		{"expired", mustDevToken(t, cfg, nil, time.Hour, testNow.Add(-2*time.Hour)), "the token has expired"},
		{"not yet valid", mustDevToken(t, cfg, nil, time.Hour, testNow.Add(time.Hour)), "the token is not valid yet"},
		{"wrong issuer", mustDevToken(t, otherIssuer, nil, time.Hour, testNow), "the token is invalid"},
		{"wrong audience", mustDevToken(t, otherAudience, nil, time.Hour, testNow), "the token is invalid"},
		{"wrong key", mustDevToken(t, otherKey, nil, time.Hour, testNow), "the token is invalid"},
		{"alg none", none, "the token is invalid"},
		{"RS256 signed", rs256, "the token is invalid"},
		{"RS256 header, HMAC signature", hmacWithHeader(`{"alg":"RS256","typ":"JWT"}`, claims, cfg.DevSigningKey), "the token is invalid"},
		{"no exp", noExpToken, "the token is invalid"},
		{"tampered payload", tampered, "the token is invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := authRec(a, c.token)
			wantUnauthenticated(t, rec, c.detail)
			if ch := rec.Header().Get("WWW-Authenticate"); !strings.Contains(ch, `error="invalid_token"`) {
				t.Fatalf("WWW-Authenticate = %q", ch)
			}
		})
	}
}

// hmacWithHeader signs claims with key under an arbitrary header, as an attacker would.
func hmacWithHeader(header string, claims jwt.MapClaims, key []byte) string {
	body, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString(body)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func TestLeewayToleratesClockSkew(t *testing.T) {
	cfg := devConfig()
	tok := mustDevToken(t, cfg, nil, time.Hour, testNow.Add(-time.Hour-10*time.Second))
	wantUnauthenticated(t, authRec(newDevAuth(t, cfg), tok), "the token has expired")
	cfg.Leeway = 30 * time.Second
	if rec := authRec(newDevAuth(t, cfg), tok); rec.Code != http.StatusOK {
		t.Fatalf("with leeway: %d %s", rec.Code, rec.Body.String())
	}
}

func TestRolesClaimAtADottedPath(t *testing.T) {
	cfg := devConfig()
	cfg.RolesClaim = "realm_access.roles"
	tok := mustDevToken(t, cfg, []string{"lgo"}, time.Hour, testNow)
	rec := authRec(newDevAuth(t, cfg), tok, RequireRole("lgo"))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"Roles":["lgo"]`) {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}

func TestRequireRole(t *testing.T) {
	cfg := devConfig()
	a := newDevAuth(t, cfg)
	officer := mustDevToken(t, cfg, []string{"case_officer"}, time.Hour, testNow)

	rec := authRec(a, officer, RequireRole("dpo", "manager"))
	p := readProblem(t, rec, http.StatusForbidden, TypeForbidden)
	if p.Detail != "this action needs one of the roles: dpo, manager" {
		t.Fatalf("detail = %q", p.Detail)
	}
	if roles, _ := p.Extensions["required_roles"].([]any); len(roles) != 2 || roles[0] != "dpo" || roles[1] != "manager" {
		t.Fatalf("required_roles = %v", p.Extensions["required_roles"])
	}
	if rec := authRec(a, officer, RequireRole("dpo", "case_officer")); rec.Code != http.StatusOK {
		t.Fatalf("one matching role should pass: %d", rec.Code)
	}
	noRoles := mustDevToken(t, cfg, nil, time.Hour, testNow)
	readProblem(t, authRec(a, noRoles, RequireRole("case_officer")), http.StatusForbidden, TypeForbidden)
}

func TestAuthConfigErrors(t *testing.T) {
	short := devConfig()
	short.DevSigningKey = []byte("short")
	both := devConfig()
	both.OIDCIssuerURL = "https://idp.example"
	neither := devConfig()
	neither.DevSigningKey = nil
	noAudience := devConfig()
	noAudience.Audience = ""
	noIssuer := devConfig()
	noIssuer.Issuer = ""
	for name, cfg := range map[string]AuthConfig{"short key": short, "both": both, "neither": neither,
		"no audience": noAudience, "no issuer": noIssuer} {
		if _, err := NewAuthenticator(context.Background(), cfg); err == nil {
			t.Errorf("%s: NewAuthenticator accepted it", name)
		}
	}
	if _, err := IssueDevToken(short, "s", "", nil, time.Hour, testNow); err == nil {
		t.Fatal("IssueDevToken accepted a short key")
	}
}

// A verified token is not verified again on each request, but the cache never outlives the
// token's exp and never answers for bytes other than those verified.
func TestVerifiedTokensAreKeptUntilTheyExpire(t *testing.T) {
	now := testNow
	cfg := devConfig()
	cfg.Now = func() time.Time { return now }
	a := newDevAuth(t, cfg)
	verifications := 0
	verify := a.verify
	a.verify = func(ctx context.Context, raw string) (map[string]any, error) {
		verifications++
		return verify(ctx, raw)
	}
	token := mustDevToken(t, cfg, []string{"case_officer"}, 10*time.Minute, now)

	for range 3 {
		if rec := authRec(a, token); rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	}
	if verifications != 1 {
		t.Fatalf("verified %d times for 3 requests with one token, want 1", verifications)
	}

	p, err := a.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	p.Roles[0] = "dpo" // a caller changing its copy changes no one else's
	if p, _ := a.Authenticate(context.Background(), token); !slices.Equal(p.Roles, []string{"case_officer"}) {
		t.Fatalf("roles = %v after a caller changed its copy", p.Roles)
	}

	head, _, _ := strings.Cut(token, ".")
	forged := head + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"officer-1","roles":["dpo"]}`)) +
		token[strings.LastIndex(token, "."):]
	wantUnauthenticated(t, authRec(a, forged), errTokenInvalid.Error())

	now = now.Add(10 * time.Minute) // exp; the dev issuer has no leeway
	wantUnauthenticated(t, authRec(a, token), errTokenExpired.Error())
}
