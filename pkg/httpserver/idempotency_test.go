package httpserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"casework.dev/pkg/casework"
)

// The digest covers method, route and the body as JSON (not its spelling); the body is left
// for the handler to decode.
func TestTwoIdempotencyKeysAreRefused(t *testing.T) {
	r := httptest.NewRequest("POST", "/cases", strings.NewReader(`{}`))
	r.Header.Add(HeaderIdempotencyKey, "k-1")
	r.Header.Add(HeaderIdempotencyKey, "k-2")
	_, err := IdempotencyKey(r, 1<<10)
	var p *Problem
	if !errors.As(err, &p) || p.Status != 400 || len(p.Errors) != 1 || p.Errors[0].Parameter != HeaderIdempotencyKey {
		t.Fatalf("two keys: %#v, want a validation problem naming the header", err)
	}
}

func TestIdempotencyKeyDigestsTheCanonicalRequest(t *testing.T) {
	keyOf := func(method, pattern, body, header string) (casework.IdempotencyKey, string) {
		t.Helper()
		var got casework.IdempotencyKey
		var rest []byte
		mux := http.NewServeMux()
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			var err error
			if got, err = IdempotencyKey(r, 1<<10); err != nil {
				t.Fatal(err)
			}
			rest, _ = io.ReadAll(r.Body)
		})
		r := httptest.NewRequest(method, "/cases", strings.NewReader(body))
		r = r.WithContext(context.WithValue(r.Context(), principalKey{}, Principal{Subject: "alice"}))
		if header != "" {
			r.Header.Set(HeaderIdempotencyKey, header)
		}
		mux.ServeHTTP(httptest.NewRecorder(), r)
		return got, string(rest)
	}
	a, rest := keyOf("POST", "POST /cases", `{"b": 1.50, "a": ["x"]}`, "k-1")
	if a.Actor != "alice" || a.Key != "k-1" || len(a.RequestDigest) != 64 || a.Scoped() != "alice|k-1" {
		t.Fatalf("key = %+v", a)
	}
	if rest != `{"b": 1.50, "a": ["x"]}` {
		t.Fatalf("body left for the handler: %q", rest)
	}
	if b, _ := keyOf("POST", "POST /cases", "{\"a\":[\"x\"],\n\"b\":1.50}", "k-1"); b.RequestDigest != a.RequestDigest {
		t.Error("the same JSON spelled differently has another digest")
	}
	for _, other := range []struct{ method, pattern, body string }{
		{"POST", "POST /cases", `{"b": 1.5, "a": ["x"]}`},
		{"POST", "POST /cases", `{"b": 1.50, "a": ["y"]}`},
		{"PUT", "PUT /cases", `{"b": 1.50, "a": ["x"]}`},
		{"POST", "POST /{kind}", `{"b": 1.50, "a": ["x"]}`},
	} {
		if b, _ := keyOf(other.method, other.pattern, other.body, "k-1"); b.RequestDigest == a.RequestDigest {
			t.Errorf("%s %s %s has the same digest", other.method, other.pattern, other.body)
		}
	}
	if none, rest := keyOf("POST", "POST /cases", `{}`, ""); none != (casework.IdempotencyKey{}) || rest != `{}` {
		t.Errorf("no header: %+v, body %q", none, rest)
	}
}
