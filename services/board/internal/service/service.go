// Package service assembles the board from its parts, so the binary and the integration
// tests start exactly the same thing.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/board/internal/adapters"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/ports"
)

// Migrations are the board database's migration sets: the platform's (processed events) and
// its read model.
func Migrations() []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: migrations.Board(), VersionTable: "goose_board"},
	}
}

// Config is everything the board needs, already opened.
type Config struct {
	DB *sqlx.DB
	// Postgres is DB's connection, for the listener that wakes live pages on every instance.
	Postgres postgres.Config
	NATS     *nats.Conn
	NATSURL  string
	NATSOpts []nats.Option
	// Services are the services whose status streams the board follows, in the order it
	// shows them, e.g. complaints and investigations.
	Services       []string
	StreamReplicas int
	Auth           httpserver.AuthConfig
	InsecureCookie bool
	Now            func() time.Time
	Logger         *slog.Logger
}

// Service is the assembled board.
type Service struct {
	App     *app.Service
	Handler http.Handler
	changes *adapters.Changes
	js      jetstream.JetStream
	cfg     Config
}

// New provisions the board's dead-letter stream and wires the read model, the live
// listener and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Services) == 0 {
		return nil, errors.New("board: no services to follow")
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := messaging.EnsureStreams(ctx, js, adapters.DeadLetterStream(cfg.StreamReplicas)); err != nil {
		return nil, err
	}
	changes, err := adapters.ListenForChanges(cfg.Postgres.DSN(), cfg.Logger)
	if err != nil {
		return nil, err
	}
	svc := app.NewService(adapters.NewReader(cfg.DB), cfg.Now, 0)
	handler, err := newHandler(ctx, cfg, svc, changes)
	if err != nil {
		changes.Close()
		return nil, err
	}
	return &Service{App: svc, Handler: handler, changes: changes, js: js, cfg: cfg}, nil
}

func newHandler(ctx context.Context, cfg Config, svc *app.Service, changes *adapters.Changes) (http.Handler, error) {
	spec, err := contracts.OpenAPI("board")
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, 0)
	if err != nil {
		return nil, err
	}
	return ports.NewHTTPHandler(ports.HTTPConfig{
		Service: svc, Changes: changes, Services: cfg.Services, Auth: guards.Auth, Validator: guards.Validator,
		Spec: spec, Metrics: promhttp.Handler(), Logger: cfg.Logger, InsecureCookie: cfg.InsecureCookie,
		Ready: bootstrap.Ready(cfg.DB, cfg.NATS),
	})
}

// RunBackground follows every service's status stream and wakes live pages until ctx ends.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.changes.Run(ctx) })
	for _, service := range s.cfg.Services {
		g.Go(func() error {
			return adapters.Follow(ctx, s.js, s.cfg.DB, adapters.FollowConfig{Service: service, NATSURL: s.cfg.NATSURL,
				NATSOptions: s.cfg.NATSOpts, Logger: s.cfg.Logger})
		})
	}
	return g.Wait()
}
