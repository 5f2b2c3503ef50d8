package bootstrap_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
)

const streamSpec = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /notes:
    post:
      operationId: addNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object}
      responses:
        '201': {description: added}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          text/csv:
            schema: {type: string}
      responses:
        '200': {description: read}
`

// A streamed route reads a body larger than the JSON limit, which the validated API
// refuses; it still needs a token holding one of the service's roles.
func TestStreamedRoutesSkipTheValidatorNotTheIdentity(t *testing.T) {
	auth := httpserver.AuthConfig{Issuer: "i", Audience: "a", DevSigningKey: []byte("test-signing-key-that-is-32-bytes-long!")}
	guards, err := httpserver.NewGuards(t.Context(), []byte(streamSpec), auth, 16)
	if err != nil {
		t.Fatal(err)
	}
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "read %d bytes", n)
	})
	srv := httptest.NewServer(bootstrap.Handler(bootstrap.HandlerConfig{API: counted, MapError: httpserver.CaseErrors(nil), Guards: guards,
		Roles: []string{"clerk"}, Prefixes: []string{"/notes"}, Streamed: []bootstrap.Streamed{{API: counted, Prefixes: []string{"/uploads"}}},
		Logger: slog.New(slog.DiscardHandler)}))
	defer srv.Close()
	token := func(role string) string {
		tok, err := httpserver.IssueDevToken(auth, "ann", "ann", []string{role}, time.Hour, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	big := strings.Repeat("a,b\n", 1000) // 4,000 bytes, well over the 16-byte JSON limit
	for _, tc := range []struct {
		path, contentType, body, token string
		status                         int
	}{
		{"/uploads", "text/csv", big, token("clerk"), 200},
		{"/notes", "application/json", `{"note":"` + big + `"}`, token("clerk"), 413},
		{"/uploads", "text/csv", "a,b\n", "", 401},
		{"/uploads", "text/csv", "a,b\n", token("visitor"), 403},
	} {
		req, _ := http.NewRequest("POST", srv.URL+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.contentType)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %d: %v", tc.path, tc.status, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s with role token %v: %d, want %d: %s", tc.path, tc.token != "", res.StatusCode, tc.status, body)
		}
		if tc.status == 200 && string(body) != "read 4000 bytes" {
			t.Errorf("%s answered %q, want the whole body read", tc.path, body)
		}
	}
}
