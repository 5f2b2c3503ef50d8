package bootstrap_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
)

const tinySpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /cases:
    get:
      responses:
        '200': {description: ok}
`

// A public route answers without a token; the service's own routes still ask for one.
func TestHandlerServesPublicRoutesOutsideTheGuards(t *testing.T) {
	guards, err := httpserver.NewGuards(context.Background(), []byte(tinySpec),
		httpserver.AuthConfig{Issuer: "i", Audience: "a", DevSigningKey: []byte("test-signing-key-that-is-32-bytes-long!")}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	h := bootstrap.Handler(bootstrap.HandlerConfig{API: ok, Guards: guards, Roles: []string{"officer"}, Prefixes: []string{"/cases"},
		Public:      []bootstrap.PublicRoute{{Pattern: "GET /public/register", Handler: ok}},
		Operational: httpserver.Operational{Spec: []byte(tinySpec), Ready: func() error { return nil }, Metrics: ok},
		Logger:      slog.New(slog.DiscardHandler)})
	for path, want := range map[string]int{"/public/register": http.StatusOK, "/cases": http.StatusUnauthorized} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
	}
}
