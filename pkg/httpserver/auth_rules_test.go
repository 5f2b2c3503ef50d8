package httpserver

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// tokenMinter signs any header and claims, as an attacker or a sloppy issuer would, for
// one verifier.
type tokenMinter struct {
	name string
	auth *Authenticator
	iss  string
	alg  string                         // the verifier's own algorithm
	kid  string                         // the key id the verifier knows, if any
	keys map[string]func([]byte) []byte // signature by algorithm
}

var absent = struct{}{} // a claim or header parameter left out

func (m tokenMinter) headers(over map[string]any) map[string]any {
	h := map[string]any{"alg": m.alg, "typ": "JWT"}
	if m.kid != "" {
		h["kid"] = m.kid
	}
	return merge(h, over)
}

func (m tokenMinter) claims(over map[string]any) map[string]any {
	return merge(map[string]any{"iss": m.iss, "aud": "casework-api", "sub": "officer-1", "roles": []string{"dpo"},
		"iat": testNow.Unix(), "nbf": testNow.Unix(), "exp": testNow.Add(time.Hour).Unix()}, over)
}

func merge(base, over map[string]any) map[string]any {
	out := maps.Clone(base)
	for k, v := range over {
		if v == absent {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// token signs header and claims (each with the defaults overridden) under the header's alg.
func (m tokenMinter) token(header, claims map[string]any) string {
	h := m.headers(header)
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(m.claims(claims))
	alg, _ := h["alg"].(string)
	return m.raw(alg, string(hb), string(cb))
}

// raw signs the exact JSON texts given with alg.
func (m tokenMinter) raw(alg, header, claims string) string {
	return m.signed(alg, base64.RawURLEncoding.EncodeToString([]byte(header)), base64.RawURLEncoding.EncodeToString([]byte(claims)))
}

// signed signs the exact encoded parts given with alg.
func (m tokenMinter) signed(alg, header, claims string) string {
	input := header + "." + claims
	var sig []byte
	if sign, ok := m.keys[alg]; ok {
		sig = sign([]byte(input))
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func rs256Signer(t *testing.T, key *rsa.PrivateKey) func([]byte) []byte {
	return func(input []byte) []byte {
		digest := sha256.Sum256(input)
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

func hs256Signer(key []byte) func([]byte) []byte {
	return func(input []byte) []byte {
		mac := hmac.New(sha256.New, key)
		mac.Write(input)
		return mac.Sum(nil)
	}
}

// bothVerifiers builds the dev and the OIDC authenticator with the same audience and
// leeway, and a minter for each. Each minter can also sign with the other family's
// algorithm, keyed as an algorithm-confusion attack would be.
func bothVerifiers(t *testing.T, leeway time.Duration) []tokenMinter {
	t.Helper()
	dev := devConfig()
	dev.Leeway = leeway
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	idp := newTestIdP(t)
	oidcAuth, err := NewAuthenticator(context.Background(), AuthConfig{Audience: "casework-api", OIDCIssuerURL: idp.url,
		Leeway: leeway, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	publicDER, err := x509.MarshalPKIXPublicKey(idp.rsaKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	return []tokenMinter{
		{name: "dev", auth: newDevAuth(t, dev), iss: dev.Issuer, alg: "HS256",
			keys: map[string]func([]byte) []byte{"HS256": hs256Signer(dev.DevSigningKey), "RS256": rs256Signer(t, stranger)}},
		{name: "oidc", auth: oidcAuth, iss: idp.url, alg: "RS256", kid: "rsa-1",
			keys: map[string]func([]byte) []byte{"RS256": rs256Signer(t, idp.rsaKey), "HS256": hs256Signer(publicDER)}},
	}
}

// The rules of RFC 8725, RFC 7515 and RFC 7519, one row each, for both verifiers.
func TestTokenRulesForBothVerifiers(t *testing.T) {
	const (
		invalid   = "the token is invalid"
		expired   = "the token has expired"
		notYet    = "the token is not valid yet"
		badRoles  = "the token's roles claim must be an array of strings or one space-separated string"
		accepted  = ""
		leeway    = 30 * time.Second
		withinLee = 20 * time.Second
		beyondLee = 40 * time.Second
	)
	other := func(m tokenMinter) string { // the other family's algorithm
		if m.alg == "HS256" {
			return "RS256"
		}
		return "HS256"
	}
	h := func(kv ...any) map[string]any {
		out := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	at := func(d time.Duration) int64 { return testNow.Add(d).Unix() }
	cases := []struct {
		name  string
		token func(m tokenMinter) string
		want  string
	}{
		{"a token keeping every rule", func(m tokenMinter) string { return m.token(nil, nil) }, accepted},

		// Algorithms: an explicit allow-list, never what the token or the IdP proposes.
		{"alg none, unsigned", func(m tokenMinter) string { return m.token(h("alg", "none"), nil) }, invalid},
		{"alg of the other family (key confusion)", func(m tokenMinter) string { return m.token(h("alg", other(m)), nil) }, invalid},
		{"alg spelled in another case", func(m tokenMinter) string { return m.token(h("alg", strings.ToLower(m.alg)), nil) }, invalid},
		{"alg missing", func(m tokenMinter) string { return m.token(h("alg", absent), nil) }, invalid},
		{"signature of other content", func(m tokenMinter) string {
			good, forged := m.token(nil, nil), m.token(nil, h("roles", []string{"dpo", "manager"}))
			return forged[:strings.LastIndex(forged, ".")] + good[strings.LastIndex(good, "."):]
		}, invalid},

		// Header: critical extensions, type, keys carried in the token.
		{"crit naming an extension not understood", func(m tokenMinter) string {
			return m.token(h("crit", []string{"http://example.com/ext"}, "http://example.com/ext", true), nil)
		}, errTokenCrit.Error()},
		{"crit naming b64 (unencoded payload)", func(m tokenMinter) string { return m.token(h("crit", []string{"b64"}, "b64", false), nil) },
			errTokenCrit.Error()},
		{"crit empty", func(m tokenMinter) string { return m.token(h("crit", []string{}), nil) }, errTokenCrit.Error()},
		{"typ at+jwt", func(m tokenMinter) string { return m.token(h("typ", "at+jwt"), nil) }, accepted},
		{"typ application/AT+JWT", func(m tokenMinter) string { return m.token(h("typ", "application/AT+JWT"), nil) }, accepted},
		{"typ left out", func(m tokenMinter) string { return m.token(h("typ", absent), nil) }, accepted},
		{"typ of another kind of token", func(m tokenMinter) string { return m.token(h("typ", "secevent+jwt"), nil) }, errTokenType.Error()},
		{"typ not a string", func(m tokenMinter) string { return m.token(h("typ", 1), nil) }, errTokenType.Error()},
		{"jku: fetch the key from here", func(m tokenMinter) string { return m.token(h("jku", "https://attacker.example/jwks"), nil) },
			errTokenKeyRef.Error()},
		{"x5u: fetch the certificate from here", func(m tokenMinter) string { return m.token(h("x5u", "https://attacker.example/cert"), nil) },
			errTokenKeyRef.Error()},
		{"jwk: the key is in the token", func(m tokenMinter) string { return m.token(h("jwk", map[string]any{"kty": "oct", "k": "AAAA"}), nil) },
			errTokenKeyRef.Error()},
		{"x5c: the certificate is in the token", func(m tokenMinter) string { return m.token(h("x5c", []string{"MIIB"}), nil) },
			errTokenKeyRef.Error()},
		{"kid not a string", func(m tokenMinter) string { return m.token(h("kid", 7), nil) }, invalid},

		// One value per name: duplicates would let two parsers read two tokens.
		{"header names alg twice", func(m tokenMinter) string {
			return m.raw(m.alg, `{"alg":"none","kid":"`+m.kid+`","alg":"`+m.alg+`"}`, mustJSON(m.claims(nil)))
		}, errTokenDuplicate.Error()},
		{"claims name sub twice", func(m tokenMinter) string {
			c := mustJSON(m.claims(nil))
			return m.raw(m.alg, mustJSON(m.headers(nil)), c[:len(c)-1]+`,"sub":"admin"}`)
		}, errTokenDuplicate.Error()},
		{"claims name roles twice, in another case", func(m tokenMinter) string {
			c := mustJSON(m.claims(nil))
			return m.raw(m.alg, mustJSON(m.headers(nil)), c[:len(c)-1]+`,"ROLES":["manager"]}`)
		}, errTokenDuplicate.Error()},

		// Text the actor's name could not be stored with exactly.
		{"sub with U+0000", func(m tokenMinter) string { return m.token(nil, h("sub", "alice\u0000x")) }, invalid},
		{"sub with a lone surrogate escape", func(m tokenMinter) string {
			c := mustJSON(m.claims(nil))
			return m.raw(m.alg, mustJSON(m.headers(nil)), c[:len(c)-1]+`,"x":"\ud800"}`)
		}, invalid},

		// Form and size.
		{"larger than 8 KiB", func(m tokenMinter) string { return m.token(nil, h("padding", strings.Repeat("x", maxTokenBytes))) },
			errTokenTooLarge.Error()},
		{"five parts (an encrypted JWE)", func(m tokenMinter) string { return m.token(nil, nil) + ".e30.e30" }, invalid},
		{"base64 with padding", func(m tokenMinter) string {
			header := mustJSON(m.headers(nil))
			header += strings.Repeat(" ", 1+len(header)%3) // a length that base64 pads
			return m.signed(m.alg, base64.URLEncoding.EncodeToString([]byte(header)),
				base64.RawURLEncoding.EncodeToString([]byte(mustJSON(m.claims(nil)))))
		}, invalid},
		{"claims that are not an object", func(m tokenMinter) string { return m.raw(m.alg, mustJSON(m.headers(nil)), `["officer-1"]`) }, invalid},
		{"claims followed by more JSON", func(m tokenMinter) string {
			return m.raw(m.alg, mustJSON(m.headers(nil)), mustJSON(m.claims(nil))+`{"sub":"admin"}`)
		}, invalid},

		// Registered claims: iss and aud exactly, exp required, times within the leeway.
		{"iss of another issuer", func(m tokenMinter) string { return m.token(nil, h("iss", "https://evil.example")) }, invalid},
		{"iss with a trailing slash", func(m tokenMinter) string { return m.token(nil, h("iss", m.iss+"/")) }, invalid},
		{"iss missing", func(m tokenMinter) string { return m.token(nil, h("iss", absent)) }, invalid},
		{"aud of another API", func(m tokenMinter) string { return m.token(nil, h("aud", "another-api")) }, invalid},
		{"aud extending ours", func(m tokenMinter) string { return m.token(nil, h("aud", "casework-api-admin")) }, invalid},
		{"aud a list with ours", func(m tokenMinter) string { return m.token(nil, h("aud", []string{"another-api", "casework-api"})) }, accepted},
		{"aud a list with a number", func(m tokenMinter) string { return m.token(nil, h("aud", []any{"casework-api", 1})) }, invalid},
		{"aud missing", func(m tokenMinter) string { return m.token(nil, h("aud", absent)) }, invalid},
		{"exp missing", func(m tokenMinter) string { return m.token(nil, h("exp", absent)) }, invalid},
		{"exp a string", func(m tokenMinter) string { return m.token(nil, h("exp", fmt.Sprint(at(time.Hour)))) }, invalid},
		{"exp passed beyond the leeway", func(m tokenMinter) string { return m.token(nil, h("exp", at(-beyondLee))) }, expired},
		{"exp passed within the leeway", func(m tokenMinter) string { return m.token(nil, h("exp", at(-withinLee))) }, accepted},
		{"nbf ahead beyond the leeway", func(m tokenMinter) string { return m.token(nil, h("nbf", at(beyondLee))) }, notYet},
		{"nbf ahead within the leeway", func(m tokenMinter) string { return m.token(nil, h("nbf", at(withinLee))) }, accepted},
		{"nbf not a number", func(m tokenMinter) string { return m.token(nil, h("nbf", "soon")) }, invalid},
		{"iat ahead beyond the leeway", func(m tokenMinter) string { return m.token(nil, h("iat", at(beyondLee))) }, notYet},
		{"iat ahead within the leeway", func(m tokenMinter) string { return m.token(nil, h("iat", at(withinLee))) }, accepted},
		{"iat a fractional number", func(m tokenMinter) string { return m.token(nil, h("iat", float64(at(-time.Minute))+0.5)) }, accepted},

		// The roles claim must be what it says.
		{"roles one space-separated string", func(m tokenMinter) string { return m.token(nil, h("roles", "dpo manager")) }, accepted},
		{"roles left out", func(m tokenMinter) string { return m.token(nil, h("roles", absent)) }, accepted},
		{"roles a number", func(m tokenMinter) string { return m.token(nil, h("roles", 5)) }, badRoles},
		{"roles a list holding a number", func(m tokenMinter) string { return m.token(nil, h("roles", []any{"dpo", 5})) }, badRoles},
		{"roles an object", func(m tokenMinter) string { return m.token(nil, h("roles", map[string]any{"dpo": true})) }, badRoles},
	}
	rolesOf := map[string][]string{ // of accepted tokens, when not the default ["dpo"]
		"roles one space-separated string": {"dpo", "manager"},
		"roles left out":                   {},
	}
	for _, m := range bothVerifiers(t, leeway) {
		for _, c := range cases {
			t.Run(m.name+"/"+c.name, func(t *testing.T) {
				rec := authRec(m.auth, c.token(m))
				if c.want != accepted {
					wantUnauthenticated(t, rec, c.want)
					return
				}
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
				}
				wantRoles, ok := rolesOf[c.name]
				if !ok {
					wantRoles = []string{"dpo"}
				}
				var p Principal
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Subject != "officer-1" || !slices.Equal(p.Roles, wantRoles) {
					t.Fatalf("principal %+v (%v), want roles %q", p, err, wantRoles)
				}
			})
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// With OIDC the IdP's clock is not ours: unless configured, 30 seconds of skew are
// tolerated; the dev issuer, on our own clock, gets none (TestLeewayToleratesClockSkew).
func TestOIDCDefaultLeeway(t *testing.T) {
	idp := newTestIdP(t)
	a, err := NewAuthenticator(context.Background(), AuthConfig{Audience: "casework-api", OIDCIssuerURL: idp.url,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	m := tokenMinter{auth: a, iss: idp.url, alg: "RS256", kid: "rsa-1",
		keys: map[string]func([]byte) []byte{"RS256": rs256Signer(t, idp.rsaKey)}}
	if rec := authRec(a, m.token(nil, map[string]any{"iat": testNow.Add(20 * time.Second).Unix()})); rec.Code != http.StatusOK {
		t.Fatalf("issued 20 s ahead by the IdP's clock: %d %s", rec.Code, rec.Body.String())
	}
	wantUnauthenticated(t, authRec(a, m.token(nil, map[string]any{"exp": testNow.Add(-40 * time.Second).Unix()})), "the token has expired")
}

func TestLeewayMustBeSmall(t *testing.T) {
	for _, leeway := range []time.Duration{-time.Second, 6 * time.Minute} {
		cfg := devConfig()
		cfg.Leeway = leeway
		if _, err := NewAuthenticator(context.Background(), cfg); err == nil || err.Error() != "httpserver: auth: Leeway must be between 0 and 5m0s" {
			t.Errorf("Leeway %v: err = %v", leeway, err)
		}
	}
}
