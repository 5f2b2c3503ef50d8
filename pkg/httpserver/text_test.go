package httpserver

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Every string a client sends is kept exactly as sent or refused, naming where it is.
func TestDecodeJSONRefusesTextThatCannotBeStoredAsSent(t *testing.T) {
	cases := []struct {
		name, body, typ, pointer, detail string
	}{
		{"NUL in a value", `{"summary":"bins\u0000x"}`, TypeValidation, "/summary", textNUL.detail()},
		{"NUL as the whole value", `{"summary":"\u0000"}`, TypeValidation, "/summary", textNUL.detail()},
		{"NUL in a map key", `{"meta":{"ward":"Fant","a\u0000":"1"}}`, TypeValidation, "/meta/a\x00", textNUL.detail()},
		{"NUL in a raw member's key", `{"free":{"x":{"\u0000":1}}}`, TypeValidation, "/free/x/\x00", textNUL.detail()},
		{"NUL in an array element", `{"free":{"x":["a","\u0000"]}}`, TypeValidation, "/free/x/1", textNUL.detail()},
		{"NUL in a nested value", `{"contacts":[{"email":"a@b.c"},{"email":"x\u0000@b.c"}]}`, TypeValidation, "/contacts/1/email", textNUL.detail()},
		{"lone high surrogate", `{"summary":"bins \ud800 x"}`, TypeValidation, "/summary", textSurrogate.detail()},
		{"high surrogate at the end", `{"summary":"bins \uD83D"}`, TypeValidation, "/summary", textSurrogate.detail()},
		{"lone low surrogate", `{"summary":"\udc00"}`, TypeValidation, "/summary", textSurrogate.detail()},
		{"high surrogate then a letter", `{"summary":"\ud800\u0041"}`, TypeValidation, "/summary", textSurrogate.detail()},
		{"surrogates in the wrong order", `{"summary":"\ude00\ud83d"}`, TypeValidation, "/summary", textSurrogate.detail()},
		{"lone surrogate in a key", `{"meta":{"\ud800":"1"}}`, TypeValidation, "/meta/\ufffd", textSurrogate.detail()},
		{"invalid UTF-8 in a value", "{\"summary\":\"ok\",\"contacts\":[{\"email\":\"a\xff@b.c\"}]}", TypeMalformedJSON, "/contacts/0/email", textInvalidUTF8.detail()},
		{"invalid UTF-8 in a key", "{\"meta\":{\"k\xc0\x80\":\"1\"}}", TypeMalformedJSON, "/meta/k\xc0\x80", textInvalidUTF8.detail()},
		{"surrogate encoded as UTF-8", "{\"summary\":\"\xed\xa0\x80\"}", TypeMalformedJSON, "/summary", textInvalidUTF8.detail()},
		{"time finer than a microsecond", `{"summary":"2026-11-30T10:00:00.1234567Z"}`, TypeValidation, "/summary", textSubMicrosecond.detail()},
		{"a finer time written with escapes", `{"summary":"2026-11-30T10:00:00.123456\u0037Z"}`, TypeValidation, "/summary", textSubMicrosecond.detail()},
		{"nanoseconds with an offset", `{"contacts":[{"email":"2026-03-29T01:30:00.000000001+01:00"}]}`, TypeValidation, "/contacts/0/email", textSubMicrosecond.detail()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, _ := decodeRec(t, jsonRequest(http.MethodPost, "/c", c.body), 0)
			p := readProblem(t, rec, 400, c.typ)
			if len(p.Errors) != 1 || p.Errors[0].Pointer != toValidUTF8(c.pointer) || p.Errors[0].Detail != c.detail {
				t.Fatalf("errors = %+v, want pointer %q: %s", p.Errors, c.pointer, c.detail)
			}
		})
	}
}

// toValidUTF8 is what a pointer with invalid bytes looks like once marshalled.
func toValidUTF8(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r)
	}
	return string(out)
}

func TestDecodeJSONKeepsTextThatOnlyLooksLikeAnEscape(t *testing.T) {
	for body, want := range map[string]string{
		`{"summary":"C:\\u0000"}`:              `C:\u0000`,
		`{"summary":"\\\ud83d\ude00"}`:         `\😀`,
		`{"summary":"pair \ud83d\ude00 kept"}`: "pair 😀 kept",
		`{"summary":"\u00e9t\u00E9 \ufffd"}`:   "été \ufffd",
		// PostgreSQL keeps microseconds: zeros past them lose nothing, and text that is not
		// a time is text.
		`{"summary":"2026-11-30T10:00:00.1234560Z"}`:   "2026-11-30T10:00:00.1234560Z",
		`{"summary":"2026-11-30T10:00:00.123456Z"}`:    "2026-11-30T10:00:00.123456Z",
		`{"summary":"2026-11-30T10:00:00.1234567 ok"}`: "2026-11-30T10:00:00.1234567 ok",
	} {
		rec, got := decodeRec(t, jsonRequest(http.MethodPost, "/c", body), 0)
		if rec.Code != http.StatusNoContent || got.Summary != want {
			t.Errorf("%s: %d %q, want %q: %s", body, rec.Code, got.Summary, want, rec.Body.String())
		}
	}
}

func TestOpenAPIValidatorRefusesTextThatCannotBeStoredAsSent(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		for body, pointer := range map[string]string{
			`{"summary":"bins\u0000x","channel":"web"}`:                       "/summary",
			`{"summary":"bins","channel":"web","tags":["a","\udfff"]}`:        "/tags/1",
			`{"summary":"bins","channel":"web","contact":{"email\u0000":""}}`: "/contact/email\x00",
		} {
			p := readProblem(t, validatedOnly(t, spec, jsonRequest(http.MethodPost, "/complaints", body)), 400, TypeValidation)
			wantPointers(t, p, pointer)
		}
	})
}

// guarded serves r through Base and a Mux whose handler records that it ran.
func guarded(t *testing.T, r *http.Request) (*httptest.ResponseRecorder, bool) {
	t.Helper()
	log, _ := newTestLogger()
	ran := false
	mux := NewMux(nil, log)
	mux.Handle("GET /things/{id}/{rest...}", func(w http.ResponseWriter, r *http.Request) error {
		ran = true
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	rec := httptest.NewRecorder()
	Chain(mux, Base(log)).ServeHTTP(rec, r)
	return rec, ran
}

func TestBaseRefusesParametersAndHeadersThatCannotBeStoredAsSent(t *testing.T) {
	cases := []struct {
		name, target string
		header       []string
		want         []FieldError
	}{
		{"NUL in a query value", "/things/1/x?service=bins%00x", nil,
			[]FieldError{{Parameter: "service", Detail: `query parameter "service": ` + textNUL.detail()}}},
		{"invalid UTF-8 in a query value", "/things/1/x?service=%FF", nil,
			[]FieldError{{Parameter: "service", Detail: `query parameter "service": ` + textInvalidUTF8.detail()}}},
		{"NUL in a query name", "/things/1/x?a%00=1", nil,
			[]FieldError{{Parameter: "a\x00", Detail: `query parameter "a\x00": the name ` + textNUL.detail()}}},
		{"a bad escape net/url would drop", "/things/1/x?service=%zz&page=2", nil,
			[]FieldError{{Parameter: "service", Detail: `query parameter "service": is not validly percent-encoded`}}},
		{"a semicolon net/url would drop", "/things/1/x?service=waste;page=2", nil,
			[]FieldError{{Parameter: "service", Detail: `query parameter "service": contains ';', which does not separate parameters (use '&'; send ';' as %3B)`}}},
		{"invalid UTF-8 in a header", "/things/1/x", []string{"Idempotency-Key", "key-\xff"},
			[]FieldError{{Parameter: "Idempotency-Key", Detail: `header parameter "Idempotency-Key": ` + textInvalidUTF8.detail()}}},
		{"NUL in a path value", "/things/a%00b/x", nil,
			[]FieldError{{Parameter: "id", Detail: `path parameter "id": ` + textNUL.detail()}}},
		{"invalid UTF-8 in a trailing path value", "/things/1/x%C3", nil,
			[]FieldError{{Parameter: "rest", Detail: `path parameter "rest": ` + textInvalidUTF8.detail()}}},
		{"every offending parameter, in order", "/things/1/x?z=%00&a=%FF", []string{"Idempotency-Key", "\xfe"},
			[]FieldError{
				{Parameter: "Idempotency-Key", Detail: `header parameter "Idempotency-Key": ` + textInvalidUTF8.detail()},
				{Parameter: "a", Detail: `query parameter "a": ` + textInvalidUTF8.detail()},
				{Parameter: "z", Detail: `query parameter "z": ` + textNUL.detail()},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, c.target, nil)
			for i := 0; i+1 < len(c.header); i += 2 {
				r.Header.Set(c.header[i], c.header[i+1])
			}
			rec, ran := guarded(t, r)
			p := readProblem(t, rec, 400, TypeValidation)
			if ran {
				t.Fatal("the handler ran")
			}
			if len(p.Errors) != len(c.want) {
				t.Fatalf("errors = %+v, want %+v", p.Errors, c.want)
			}
			for i := range c.want {
				if p.Errors[i] != c.want[i] {
					t.Fatalf("errors = %+v, want %+v", p.Errors, c.want)
				}
			}
		})
	}
}

func TestBaseLetsStorableParametersThrough(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/things/caf%C3%A9/a%2Fb?service=waste+%26+recycling&q=%E2%82%AC&empty=&flag", nil)
	r.Header.Set("Idempotency-Key", "key-été")
	rec, ran := guarded(t, r)
	if rec.Code != http.StatusNoContent || !ran {
		t.Fatalf("status %d, handler ran %v: %s", rec.Code, ran, rec.Body.String())
	}
}
