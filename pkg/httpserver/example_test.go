package httpserver_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"time"

	"casework.dev/pkg/httpserver"
)

var errNoSuchCase = errors.New("no such case")

// Example shows how a service wires the package: problems for every error,
// the spec served openly, bearer auth before OpenAPI validation, roles per
// route, strict decoding in the handler.
func Example() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	spec := []byte("openapi: 3.1.0\ninfo: {title: complaints, version: '1'}\npaths: {}\n")

	mapErr := func(err error) *httpserver.Problem {
		if errors.Is(err, errNoSuchCase) {
			return httpserver.NotFound("no such complaint")
		}
		return nil // anything else: 500 internal, logged once with its chain
	}
	api := httpserver.NewMux(mapErr, log)
	api.Handle("POST /complaints", func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Summary string `json:"summary"`
		}
		if err := httpserver.DecodeJSON(r, &in, 64<<10); err != nil {
			return err
		}
		who, _ := httpserver.PrincipalFrom(r.Context())
		return httpserver.WriteJSON(w, http.StatusCreated, map[string]string{"by": who.Subject})
	}, httpserver.RequireRole("case_officer"))

	ctx := context.Background()
	authCfg := httpserver.AuthConfig{Issuer: "https://dev.casework.local", Audience: "casework-api",
		DevSigningKey: []byte("0123456789abcdef0123456789abcdef")}
	auth, err := httpserver.NewAuthenticator(ctx, authCfg)
	if err != nil {
		panic(err)
	}
	validator, err := httpserver.NewOpenAPIValidator(spec)
	if err != nil {
		panic(err)
	}
	root := http.NewServeMux()
	root.Handle("GET /openapi.yaml", httpserver.ServeSpec(spec))
	root.Handle("/", httpserver.Chain(api, auth.Middleware, validator.Middleware))
	handler := httpserver.Base(log)(root)

	cfg := httpserver.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 10 * time.Second}
	ctx, cancel := context.WithCancel(ctx)
	cancel() // a real service cancels on SIGTERM; here Run returns at once
	_ = httpserver.Run(ctx, cfg, handler, slog.New(slog.DiscardHandler))
}
