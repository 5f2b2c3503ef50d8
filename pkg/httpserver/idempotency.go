package httpserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"casework.dev/pkg/casework"
)

// HeaderIdempotencyKey is the request header of the IETF idempotency-key draft.
const HeaderIdempotencyKey = "Idempotency-Key"

// IdempotencyKey reads the request's Idempotency-Key, scoped to the authenticated caller,
// with the SHA-256 digest of the canonical request: method, route pattern and body, the
// body as JSON with its members sorted and its insignificant white space dropped (a body
// that is not JSON is taken as sent). The body is read up to maxBody+1 bytes and left in
// place for DecodeJSON, which refuses a longer one. No header gives the zero key.
func IdempotencyKey(r *http.Request, maxBody int64) (casework.IdempotencyKey, error) {
	if n := len(r.Header.Values(HeaderIdempotencyKey)); n > 1 {
		return casework.IdempotencyKey{}, Validation("the Idempotency-Key header is given more than once",
			FieldError{Parameter: HeaderIdempotencyKey, Detail: fmt.Sprintf("given %d times; send one", n)})
	}
	key := r.Header.Get(HeaderIdempotencyKey)
	if key == "" {
		return casework.IdempotencyKey{}, nil
	}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1)); err != nil {
			return casework.IdempotencyKey{}, fmt.Errorf("read body for its digest: %w", err)
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", r.Method, r.Pattern)
	h.Write(canonicalJSON(body))
	p, _ := PrincipalFrom(r.Context())
	return casework.IdempotencyKey{Actor: p.Subject, Key: key, RequestDigest: hex.EncodeToString(h.Sum(nil))}, nil
}

// canonicalJSON re-encodes a JSON body with sorted members and numbers as written.
func canonicalJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

type readCloser struct {
	io.Reader
	io.Closer
}
