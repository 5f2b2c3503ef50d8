// Package service assembles the complaints service from its parts, so the binary and the
// integration tests start exactly the same thing.
package service

import (
	"context"
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
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/adapters"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/ports"
)

// Migrations are the complaints database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: migrations.Complaints(), VersionTable: "goose_complaints"},
	}
}

// LoadNotice reads the notice to enforce: a file when one is named, else the contract.
// A malformed notice stops the service here, with the problems listed.
func LoadNotice(file string) (*notice.Notice, []byte, error) {
	if file != "" {
		n, err := notice.LoadFile(file)
		if err != nil {
			return nil, nil, err
		}
		raw, err := readFile(file)
		return n, raw, err
	}
	raw, err := contracts.Notice("complaints")
	if err != nil {
		return nil, nil, fmt.Errorf("built-in complaints notice: %w", err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("built-in complaints notice: %w", err)
	}
	return n, raw, nil
}

// Config is everything the service needs, already opened.
type Config struct {
	DB                *sqlx.DB
	NATS              *nats.Conn
	Clock             calendar.Clock
	Calendar          *calendar.Calendar
	Notice            *notice.Notice
	NoticeYAML        []byte
	Auth              httpserver.AuthConfig
	MaxBodyBytes      int64
	Relay             messaging.RelayConfig
	StreamReplicas    int
	ShareMaxAge       time.Duration
	OverdueInterval   time.Duration
	RetentionInterval time.Duration
	SweepBatch        int
	Logger            *slog.Logger
}

// Service is the assembled complaints service.
type Service struct {
	App     *app.Service
	Handler http.Handler
	relay   *messaging.Relay
	cfg     Config
}

// New provisions the streams and wires the use cases, the relay and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SweepBatch <= 0 {
		cfg.SweepBatch = 200
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := messaging.EnsureStreams(ctx, js, messaging.ServiceStreams("complaints", cfg.StreamReplicas, cfg.ShareMaxAge)...); err != nil {
		return nil, err
	}
	if err := partners.ProvisionReaders(ctx, js, "complaints", contracts.Partners(), cfg.Notice.RecipientIDs()); err != nil {
		return nil, err
	}
	cfg.Relay.Logger = cfg.Logger
	relay := messaging.NewRelay(cfg.DB, js, cfg.Relay)
	repo := adapters.NewRepository(cfg.DB, relay)
	services, err := LoadServiceCatalogue()
	if err != nil {
		return nil, err
	}
	svc := app.NewService(repo, cfg.Calendar, cfg.Clock, cfg.Notice, services, func() string { return uuid.Must(uuid.NewV7()).String() })

	spec, err := contracts.OpenAPI("complaints")
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	handler := ports.NewHTTPHandler(ports.HTTPConfig{
		Service: svc, Auth: guards.Auth, Validator: guards.Validator, Spec: spec, NoticeYAML: cfg.NoticeYAML,
		MaxBodyBytes: cfg.MaxBodyBytes, Logger: cfg.Logger, Metrics: promhttp.Handler(),
		Ready: bootstrap.Ready(cfg.DB, cfg.NATS, relay.Check),
	})
	return &Service{App: svc, Handler: handler, relay: relay, cfg: cfg}, nil
}

// RunBackground relays the outbox and runs the sweeps until ctx ends.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.relay.Run(ctx) })
	g.Go(func() error {
		return bootstrap.Every(ctx, s.cfg.OverdueInterval, func() {
			// A newly announced bank holiday moves running deadlines before any is judged overdue.
			if n, err := s.App.RecomputeDeadlines(ctx, s.cfg.SweepBatch); err != nil {
				s.cfg.Logger.Error("recompute deadlines", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("recompute deadlines", "moved", n)
			}
			if n, err := s.App.SweepOverdue(ctx, s.cfg.SweepBatch); err != nil {
				s.cfg.Logger.Error("overdue sweep", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("overdue sweep", "raised", n)
			}
		})
	})
	g.Go(func() error {
		return bootstrap.Every(ctx, s.cfg.RetentionInterval, func() {
			if n, err := s.App.SweepRetention(ctx, s.cfg.SweepBatch); err != nil {
				s.cfg.Logger.Error("retention sweep", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("retention sweep", "erased", n)
			}
		})
	})
	return g.Wait()
}
