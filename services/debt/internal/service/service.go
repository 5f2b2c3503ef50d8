// Package service assembles the debt recovery service from its parts, so the binary and
// the integration tests start exactly the same thing.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
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
	"casework.dev/services/debt/internal/adapters"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
	"casework.dev/services/debt/internal/ports"
)

// Migrations are the debt database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: migrations.Debt(), VersionTable: "goose_debt"},
	}
}

// LoadNotice reads the notice to enforce: a file when one is named, else the contract.
func LoadNotice(file string) (*notice.Notice, []byte, error) {
	raw, err := contracts.Notice("debt")
	if file != "" {
		raw, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("debt notice: %w", err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("debt notice: %w", err)
	}
	return n, raw, nil
}

// LoadSchedules reads the fee schedules: the built-in ones, and those of a file when one is
// named (a new dated schedule, such as a reform, is added there without a code change).
func LoadSchedules(file string) (domain.Schedules, error) {
	s := domain.BuiltInSchedules()
	if file == "" {
		return s, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("fee schedules: %w", err)
	}
	more, err := domain.ParseSchedules(raw)
	if err != nil {
		return nil, err
	}
	s = append(s, more...)
	return s, s.Check()
}

// Config is everything the service needs, already opened.
type Config struct {
	DB            *sqlx.DB
	NATS          *nats.Conn
	Clock         calendar.Clock
	Calendar      *calendar.Calendar
	Notice        *notice.Notice
	NoticeYAML    []byte
	Schedules     domain.Schedules
	Auth          httpserver.AuthConfig
	MaxBodyBytes  int64 // JSON request bodies
	ReferralBatch int
	// ReferralParallel is how many referral batches are stored at once (default 2).
	ReferralParallel int
	Relay            messaging.RelayConfig
	StreamReplicas   int
	ShareMaxAge      time.Duration
	SweepInterval    time.Duration
	SweepBatch       int
	Logger           *slog.Logger
}

// Service is the assembled debt service.
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
	if cfg.ReferralParallel <= 0 {
		cfg.ReferralParallel = 2
	}
	if cfg.Schedules == nil {
		cfg.Schedules = domain.BuiltInSchedules()
	}
	if err := cfg.Schedules.Check(); err != nil {
		return nil, err
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := messaging.EnsureStreams(ctx, js, messaging.ServiceStreams("debt", cfg.StreamReplicas, cfg.ShareMaxAge)...); err != nil {
		return nil, err
	}
	if err := partners.ProvisionReaders(ctx, js, "debt", contracts.Partners(), cfg.Notice.RecipientIDs()); err != nil {
		return nil, err
	}
	cfg.Relay.Logger = cfg.Logger
	relay := messaging.NewRelay(cfg.DB, js, cfg.Relay)
	repo := adapters.NewRepository(cfg.DB, relay)
	svc := app.NewService(repo, cfg.Calendar, cfg.Clock, cfg.Notice, cfg.Schedules, func() string { return uuid.Must(uuid.NewV7()).String() })
	spec, err := contracts.OpenAPI("debt")
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	handler := ports.NewHTTPHandler(ports.HTTPConfig{
		Service: svc, Auth: guards.Auth, Validator: guards.Validator, Spec: spec, NoticeYAML: cfg.NoticeYAML,
		MaxBodyBytes: cfg.MaxBodyBytes, BatchSize: cfg.ReferralBatch, Parallel: cfg.ReferralParallel, Logger: cfg.Logger, Metrics: promhttp.Handler(),
		Ready: bootstrap.Ready(cfg.DB, cfg.NATS, relay.Check),
	})
	return &Service{App: svc, Handler: handler, relay: relay, cfg: cfg}, nil
}

// RunBackground relays the outbox and runs the sweeps until ctx ends.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.relay.Run(ctx) })
	g.Go(func() error {
		return bootstrap.Every(ctx, s.cfg.SweepInterval, func() {
			counts, err := s.App.RunSweeps(ctx, s.cfg.SweepBatch)
			if err != nil {
				s.cfg.Logger.Error("sweeps", "err", err)
			}
			for name, n := range counts {
				if n > 0 {
					s.cfg.Logger.Info("sweep", "sweep", name, "changed", n)
				}
			}
		})
	})
	return g.Wait()
}
