package bootstrap_test

import (
	"database/sql/driver"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

const thingsSpec = `openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    get:
      responses:
        "200": {description: ok}
`

// A public route answers anyone, with no token, its failures mapped like the API's (an
// unreachable database is a 503 with Retry-After); the API beside it still wants a token.
func TestHandlerServesPublicRoutesInTheOpen(t *testing.T) {
	guards, err := httpserver.NewGuards(t.Context(), []byte(thingsSpec),
		httpserver.AuthConfig{Issuer: "test", Audience: "casework", DevSigningKey: testkit.DevSigningKey}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	h := bootstrap.Handler(bootstrap.HandlerConfig{API: api, MapError: httpserver.CaseErrors(nil), Guards: guards,
		Logger: slog.New(slog.DiscardHandler), Roles: []string{"things_officer"}, Prefixes: []string{"/things"}, Public: []bootstrap.Route{
			{Pattern: "GET /public/list", Handler: func(w http.ResponseWriter, _ *http.Request) error {
				return httpserver.WriteJSON(w, http.StatusOK, []string{"one"})
			}},
			{Pattern: "GET /public/down", Handler: func(http.ResponseWriter, *http.Request) error {
				return fmt.Errorf("register: %w", driver.ErrBadConn)
			}},
		}})
	server := httptest.NewServer(h)
	t.Cleanup(server.Close)

	if r := testkit.Call(t, server.URL, "GET", "/public/list", "", nil); r.Status != 200 || string(r.Body) != "[\"one\"]\n" {
		t.Errorf("public route: %d %s", r.Status, r.Body)
	}
	down := testkit.Call(t, server.URL, "GET", "/public/down", "", nil)
	testkit.ProblemOf(t, down, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable)
	if down.Header.Get("Retry-After") != "5" {
		t.Errorf("public route with the database down: Retry-After %q", down.Header.Get("Retry-After"))
	}
	if r := testkit.Call(t, server.URL, "GET", "/things", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the API without a token: %d %s", r.Status, r.Body)
	}
}
