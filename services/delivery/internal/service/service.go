// Package service assembles the delivery worker from its parts, so the binary and the
// integration tests start exactly the same thing.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"
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
	"casework.dev/services/delivery/internal/adapters"
	"casework.dev/services/delivery/internal/app"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/ports"
)

// Migrations are the delivery database's migration sets. The worker writes no outbox: it
// only reads streams and logs what it did.
func Migrations() []postgres.Migration {
	return []postgres.Migration{{FS: migrations.Delivery(), VersionTable: "goose_delivery"}}
}

// WebhookPartner is one partner that receives by webhook, filled by the wiring (from the
// partners contract): its id as in share.<id>.>, its endpoint and its "whsec_..." secret.
type WebhookPartner struct {
	ID     string
	URL    string
	Secret string
}

// Config is everything the worker needs, already opened.
type Config struct {
	DB       *sqlx.DB
	NATS     *nats.Conn
	Partners []WebhookPartner
	// Streams are the share streams to read, e.g. COMPLAINTS_SHARE (the binary reads every
	// case service's from contracts/services.yaml); one durable consumer per partner on each.
	Streams       []string
	Retry         domain.RetryPolicy
	HTTPTimeout   time.Duration // per attempt; default 10s
	MaxAckPending int           // per consumer; default messaging.DefaultWebhookMaxAckPending
	Auth          httpserver.AuthConfig
	Now           func() time.Time
	Logger        *slog.Logger
}

// Service is the assembled worker.
type Service struct {
	App     *app.Service
	Handler http.Handler
	js      jetstream.JetStream
	cfg     Config
}

// New validates the partners and wires the use cases and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPTimeout <= 0 {
		cfg.HTTPTimeout = 10 * time.Second
	}
	if cfg.MaxAckPending <= 0 {
		cfg.MaxAckPending = messaging.DefaultWebhookMaxAckPending
	}
	if len(cfg.Streams) == 0 {
		return nil, errors.New("delivery: no share streams to read")
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	partners := make([]domain.Partner, len(cfg.Partners))
	for i, p := range cfg.Partners {
		partners[i] = domain.Partner{ID: p.ID, URL: p.URL, Secret: p.Secret}
	}
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	svc, err := app.NewService(adapters.NewStore(cfg.DB), adapters.NewHTTPPoster(cfg.HTTPTimeout), partners, cfg.Retry, cfg.Now, newID)
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}

	spec, err := contracts.OpenAPI("delivery")
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, 0)
	if err != nil {
		return nil, err
	}
	handler := bootstrap.Handler(bootstrap.HandlerConfig{API: ports.NewAPI(svc, cfg.Logger), MapError: ports.MapError,
		Guards: guards, Roles: ports.Roles, Prefixes: []string{"/dead-letters"}, Logger: cfg.Logger,
		Operational: httpserver.Operational{Spec: spec, Ready: bootstrap.Ready(cfg.DB, cfg.NATS), Metrics: promhttp.Handler()}})
	return &Service{App: svc, Handler: handler, js: js, cfg: cfg}, nil
}

// HTTPHandler is the worker's HTTP surface.
func (s *Service) HTTPHandler() http.Handler { return s.Handler }

// RunBackground runs one durable consumer per partner and share stream until ctx ends,
// each stream's once it exists.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, stream := range s.cfg.Streams {
		g.Go(func() error {
			if adapters.WaitForStream(ctx, s.js, stream, s.cfg.Logger); ctx.Err() != nil {
				return nil
			}
			partners, ctx := errgroup.WithContext(ctx)
			for _, p := range s.App.Partners() {
				cc := adapters.ConsumerConfig{Stream: stream, Partner: p,
					// Never redeliver a message while it may still be in flight.
					AckWait:       2*s.cfg.HTTPTimeout + 5*time.Second,
					MaxAckPending: s.cfg.MaxAckPending, ErrorDelay: s.cfg.Retry.InitialBackoff, Logger: s.cfg.Logger}
				partners.Go(func() error { return adapters.Consume(ctx, s.js, s.App, cc) })
			}
			return partners.Wait()
		})
	}
	return g.Wait()
}
