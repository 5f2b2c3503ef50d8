package httpserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The rules every bearer token meets, whichever verifier checks its signature: RFC 8725
// (JWT best current practice), RFC 7515 (JWS) and RFC 7519 (JWT). The verifiers' libraries
// check the signature; these rules are checked here, once, so both verifiers agree.

const (
	// maxTokenBytes bounds a token before it is decoded: access tokens are a few hundred
	// bytes to a few KiB, and a larger one is refused unread.
	maxTokenBytes = 8 << 10
	// maxLeeway keeps the clock-skew tolerance small, as RFC 7519 section 4.1.4 asks.
	maxLeeway = 5 * time.Minute
	// defaultOIDCLeeway tolerates the skew between the IdP's clock and ours; the dev
	// issuer mints tokens on our own clock and needs none.
	defaultOIDCLeeway = 30 * time.Second
)

// Refusals specific enough to help whoever integrates a token issuer; none repeats what the
// token says.
var (
	errTokenTooLarge = fmt.Errorf("the token is larger than %d bytes", maxTokenBytes)
	errTokenCrit     = errors.New("the token's header marks extensions critical (crit) that this server does not understand")
	errTokenType     = errors.New("the token's type (typ) must be JWT or at+jwt")
	errTokenKeyRef   = errors.New("the token's header carries a key or a key URL (jwk, jku, x5c, x5u); " +
		"keys come only from the issuer's configuration")
	errTokenDuplicate = errors.New("the token names a header parameter or claim twice")
)

// keyHeaders are the header parameters that carry a key or say where to fetch one. Trusting
// them would let the token choose the key it is checked with (RFC 8725 section 3.10).
var keyHeaders = []string{"jwk", "jku", "x5c", "x5u"}

// tokenRules is one verifier's configuration of the rules.
type tokenRules struct {
	algs     []string // the only algorithms accepted, whatever the token or the IdP says
	issuer   string
	audience string
	leeway   time.Duration
	now      func() time.Time
}

func newTokenRules(cfg AuthConfig, issuer string, algs []string, defaultLeeway time.Duration) (tokenRules, error) {
	if cfg.Leeway < 0 || cfg.Leeway > maxLeeway {
		return tokenRules{}, fmt.Errorf("httpserver: auth: Leeway must be between 0 and %v", maxLeeway)
	}
	r := tokenRules{algs: algs, issuer: issuer, audience: cfg.Audience, leeway: cfg.Leeway, now: cfg.Now}
	if r.leeway == 0 {
		r.leeway = defaultLeeway
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r, nil
}

// beforeSignature checks the token's form and header and returns its claims, decoded from
// the very bytes whose signature the verifier then checks.
func (r tokenRules) beforeSignature(raw string) (map[string]any, error) {
	if len(raw) > maxTokenBytes {
		return nil, errTokenTooLarge
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 { // a JWS in compact form; five parts would be an encrypted JWE
		return nil, errTokenInvalid
	}
	header, err := decodeTokenPart(parts[0])
	if err != nil {
		return nil, err
	}
	if alg, _ := header["alg"].(string); !slices.Contains(r.algs, alg) {
		return nil, errTokenInvalid // "none", or HS256 offered to a public-key verifier and the like
	}
	if _, ok := header["crit"]; ok { // no extension is understood here (RFC 7515 section 4.1.11)
		return nil, errTokenCrit
	}
	if typ, ok := header["typ"]; ok && !acceptedType(typ) {
		return nil, errTokenType
	}
	for _, name := range keyHeaders {
		if _, ok := header[name]; ok {
			return nil, errTokenKeyRef
		}
	}
	if kid, ok := header["kid"]; ok {
		if _, isString := kid.(string); !isString {
			return nil, errTokenInvalid
		}
	}
	return decodeTokenPart(parts[1])
}

// acceptedType: RFC 7519 section 5.1 ("JWT") and RFC 9068 ("at+jwt"), as media types that
// may omit "application/" and compare without regard to case.
func acceptedType(typ any) bool {
	s, ok := typ.(string)
	if !ok {
		return false
	}
	s = strings.TrimPrefix(strings.ToLower(s), "application/")
	return s == "jwt" || s == "at+jwt"
}

// decodeTokenPart decodes one base64url part to a JSON object that names no member twice:
// RFC 7515 section 4 and RFC 7519 section 4 let a parser take the last of two, and two
// parsers of one token (ours and the library's) must never see different values. Names
// that differ only in case count as the same, because encoding/json matches struct fields
// that way.
func decodeTokenPart(part string) (map[string]any, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(part)
	if err != nil {
		return nil, errTokenInvalid
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		return nil, errTokenInvalid
	}
	// Text a claim cannot be stored exactly with (U+0000, lone surrogates, invalid UTF-8)
	// would reach the database as the actor's name: refused like any other malformed part.
	if !utf8.Valid(b) {
		return nil, errTokenInvalid
	}
	switch fault := scanMembers(b); {
	case fault.duplicate:
		return nil, errTokenDuplicate
	case fault.found():
		return nil, errTokenInvalid
	}
	return obj, nil
}

// afterSignature checks the registered claims of a token whose signature holds: iss and
// aud exactly, exp required, nbf and iat not in the future, each within the leeway.
func (r tokenRules) afterSignature(claims map[string]any) error {
	if iss, _ := claims["iss"].(string); iss != r.issuer {
		return errTokenInvalid
	}
	if !audienceIncludes(claims["aud"], r.audience) {
		return errTokenInvalid
	}
	now := r.now()
	exp, ok, err := numericDate(claims, "exp")
	if err != nil || !ok {
		return errTokenInvalid
	}
	if !now.Before(exp.Add(r.leeway)) {
		return errTokenExpired
	}
	for _, claim := range []string{"nbf", "iat"} {
		t, ok, err := numericDate(claims, claim)
		if err != nil {
			return errTokenInvalid
		}
		if ok && now.Add(r.leeway).Before(t) {
			return errTokenNotValid
		}
	}
	return nil
}

// audienceIncludes: "aud" is one string or an array of strings (RFC 7519 section 4.1.3);
// either way ours must be in it, compared exactly.
func audienceIncludes(aud any, audience string) bool {
	switch aud := aud.(type) {
	case string:
		return aud == audience
	case []any:
		found := false
		for _, a := range aud {
			s, ok := a.(string)
			if !ok {
				return false
			}
			found = found || s == audience
		}
		return found
	}
	return false
}

// numericDate reads a NumericDate claim: seconds since the epoch, a JSON number.
func numericDate(claims map[string]any, name string) (t time.Time, present bool, err error) {
	v, ok := claims[name]
	if !ok {
		return time.Time{}, false, nil
	}
	n, isNumber := v.(json.Number)
	if !isNumber {
		return time.Time{}, true, fmt.Errorf("claim %s is not a number", name)
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1<<40 {
		return time.Time{}, true, fmt.Errorf("claim %s is not a date", name)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}
