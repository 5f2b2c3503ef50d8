package httpserver

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
	"github.com/golang-jwt/jwt/v5"
)

type testIdP struct {
	url    string
	rsaKey *rsa.PrivateKey
	ecKey  *ecdsa.PrivateKey
}

func newTestIdP(t *testing.T) *testIdP {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &oidctest.Server{
		PublicKeys: []oidctest.PublicKey{
			{PublicKey: rsaKey.Public(), KeyID: "rsa-1", Algorithm: oidc.RS256},
			{PublicKey: ecKey.Public(), KeyID: "ec-1", Algorithm: oidc.ES256},
		},
		Algorithms: []string{oidc.RS256, oidc.ES256, "HS256"},
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.SetIssuer(srv.URL)
	return &testIdP{url: srv.URL, rsaKey: rsaKey, ecKey: ecKey}
}

func (idp *testIdP) claims(aud string, exp time.Time) string {
	b, _ := json.Marshal(map[string]any{
		"iss": idp.url, "aud": aud, "sub": "officer-9", "preferred_username": "o.nine",
		"roles": []string{"dpo"}, "iat": testNow.Unix(), "exp": exp.Unix(),
	})
	return string(b)
}

func TestOIDCAuthenticator(t *testing.T) {
	idp := newTestIdP(t)
	cfg := AuthConfig{Audience: "casework-api", OIDCIssuerURL: idp.url, Now: func() time.Time { return testNow }}
	a, err := NewAuthenticator(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	good := idp.claims("casework-api", testNow.Add(time.Hour))

	for _, tok := range []string{
		oidctest.SignIDToken(idp.rsaKey, "rsa-1", oidc.RS256, good),
		oidctest.SignIDToken(idp.ecKey, "ec-1", oidc.ES256, good),
	} {
		rec := authRec(a, tok, RequireRole("dpo"))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		var p Principal
		_ = json.Unmarshal(rec.Body.Bytes(), &p)
		if p.Subject != "officer-9" || p.Name != "o.nine" || fmt.Sprint(p.Roles) != "[dpo]" {
			t.Fatalf("principal = %+v", p)
		}
	}

	// HS256 with the IdP's advertised algorithm list including it: still pinned out.
	var hsClaims jwt.MapClaims
	_ = json.Unmarshal([]byte(good), &hsClaims)
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, hsClaims).SignedString([]byte("0123456789abcdef0123456789abcdef"))
	wantUnauthenticated(t, authRec(a, hs), "the token is invalid")

	wrongAud := oidctest.SignIDToken(idp.rsaKey, "rsa-1", oidc.RS256, idp.claims("other-api", testNow.Add(time.Hour)))
	wantUnauthenticated(t, authRec(a, wrongAud), "the token is invalid")

	expired := oidctest.SignIDToken(idp.rsaKey, "rsa-1", oidc.RS256, idp.claims("casework-api", testNow.Add(-time.Minute)))
	wantUnauthenticated(t, authRec(a, expired), "the token has expired")

	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	forged := oidctest.SignIDToken(otherKey, "rsa-1", oidc.RS256, good)
	wantUnauthenticated(t, authRec(a, forged), "the token is invalid")
}

func TestOIDCIssuerMismatchIsAConfigError(t *testing.T) {
	idp := newTestIdP(t)
	_, err := NewAuthenticator(context.Background(), AuthConfig{Issuer: "https://other", Audience: "a", OIDCIssuerURL: idp.url})
	if err == nil {
		t.Fatal("want an error for Issuer != OIDCIssuerURL")
	}
}
