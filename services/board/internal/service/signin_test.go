package service_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/board/internal/ports"
)

// The sign-in takes a form. Any other type of body is a 415, the same problem whatever the
// type: a form sent as application/json (the probe's example) was a 400 "invalid JSON at
// byte offset 2" while every other type was a 415. No cookie is set.
func TestSignInAnswersEveryTypeButTheForm415(t *testing.T) {
	e := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	maya := e.token("maya", "complaints_manager")
	form := url.Values{"token": {maya}}.Encode()
	post := func(contentType, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", e.server.URL+"/sign-in", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Origin", e.server.URL)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, c := range []struct{ name, contentType, body string }{
		{"a form sent as JSON (the probe's example)", "application/json", form},
		{"a form sent as JSON in UTF-8", "application/json; charset=utf-8", form},
		{"a form sent as JSON in Latin-1", "application/json; charset=iso-8859-1", form},
		{"a JSON object", "application/json", `{"token":"` + maya + `"}`},
		{"a JSON problem", "application/problem+json", `{"token":"` + maya + `"}`},
		{"plain text", "text/plain", form},
		{"XML", "application/xml", "<token>" + maya + "</token>"},
		{"a multipart form", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + maya + "\r\n--x--\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := post(c.contentType, c.body)
			defer res.Body.Close()
			var p struct {
				Type, Detail string
				Status       int
			}
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatalf("%d: not a problem: %v", res.StatusCode, err)
			}
			want := `Content-Type "` + c.contentType + `" is not accepted here`
			if res.StatusCode != http.StatusUnsupportedMediaType || res.Header.Get("Content-Type") != httpserver.ProblemContentType ||
				p.Type != httpserver.TypeUnsupportedMediaType || p.Status != http.StatusUnsupportedMediaType || p.Detail != want {
				t.Errorf("%d %s %+v, want 415 %s %q", res.StatusCode, res.Header.Get("Content-Type"), p, httpserver.TypeUnsupportedMediaType, want)
			}
			if len(res.Cookies()) != 0 {
				t.Errorf("cookies %v", res.Cookies())
			}
		})
	}

	// The form itself signs in; an empty body with the JSON type is still a missing form.
	res := post("application/x-www-form-urlencoded", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 {
		t.Fatalf("the form: %d %v", res.StatusCode, res.Cookies())
	}
	res = post("application/json", "")
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest || len(res.Cookies()) != 0 {
		t.Fatalf("no body: %d %v", res.StatusCode, res.Cookies())
	}
}

// The longest token the contract allows (8192 characters) is read, whatever its characters
// (each "😀" is 12 bytes form-encoded): a body of 98 KB, refused before by its size ("at
// most 8 KiB", and 413 past the binary's 16 KiB). It is not a token the issuer signed, so
// 401; one character more is a 400 naming the token, and a body over the limit a 413.
func TestSignInReadsTheLongestTokenTheContractAllows(t *testing.T) {
	e := newEnv(t)
	signIn := func(token string) (int, map[string]any) {
		t.Helper()
		body := url.Values{"token": {token}}.Encode()
		req, _ := http.NewRequest("POST", e.server.URL+"/sign-in", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var p map[string]any
		_ = json.NewDecoder(res.Body).Decode(&p)
		if len(res.Cookies()) != 0 {
			t.Errorf("%d: cookies %v", res.StatusCode, res.Cookies())
		}
		return res.StatusCode, p
	}
	for _, char := range []string{"é", "😀"} {
		status, p := signIn(strings.Repeat(char, 8192))
		if status != http.StatusUnauthorized || p["type"] != httpserver.TypeUnauthenticated {
			t.Errorf("8192 × %q: %d %v, want 401 (read, and refused as a token)", char, status, p)
		}
	}
	if status, p := signIn(strings.Repeat("😀", 8193)); status != http.StatusBadRequest || p["type"] != httpserver.TypeValidation {
		t.Errorf("8193 characters: %d %v, want 400 validation", status, p)
	}
	if status, p := signIn(strings.Repeat("x", int(ports.MaxBodyBytes))); status != http.StatusRequestEntityTooLarge || p["type"] != httpserver.TypeBodyTooLarge {
		t.Errorf("a body over the limit: %d %v, want 413", status, p)
	}
}
