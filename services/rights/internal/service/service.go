// Package service assembles the information rights service from its parts, so the binary
// and the integration tests start exactly the same thing.
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
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/rights/internal/adapters"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
	"casework.dev/services/rights/internal/ports"
)

// Migrations are the rights database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: migrations.Rights(), VersionTable: "goose_rights"},
	}
}

// LoadNotice reads the notice to enforce: a file when one is named, else the contract.
func LoadNotice(file string) (*notice.Notice, []byte, error) {
	raw, err := contracts.Notice("rights")
	if file != "" {
		raw, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("rights notice: %w", err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("rights notice: %w", err)
	}
	return n, raw, nil
}

// LoadServiceNotices reads the notice of every service the rights service asks: the
// compiled response explains each service's data from it.
func LoadServiceNotices(services []string) (map[string]*notice.Notice, error) {
	out := make(map[string]*notice.Notice, len(services))
	for _, s := range services {
		raw, err := contracts.Notice(s)
		if err != nil {
			return nil, fmt.Errorf("service %q has no notice in the contracts: %w", s, err)
		}
		if out[s], err = notice.Load(raw); err != nil {
			return nil, fmt.Errorf("notice of %s: %w", s, err)
		}
	}
	return out, nil
}

// Config is everything the service needs, already opened.
type Config struct {
	DB       *sqlx.DB
	NATS     *nats.Conn
	Clock    calendar.Clock
	Calendar *calendar.Calendar
	// WorkingDaysUK counts FOI/EIR working days: bank holidays in any part of the UK (built
	// from calendar.UnitedKingdomHolidays when nil).
	WorkingDaysUK *calendar.Calendar
	Notice        *notice.Notice
	// NoticeYAML is served at /notice.yaml.
	NoticeYAML     []byte
	Auth           httpserver.AuthConfig
	MaxBodyBytes   int64
	Relay          messaging.RelayConfig
	StreamReplicas int
	ShareMaxAge    time.Duration
	// Services are asked about every rights request (rights.<service>.<verb>).
	Services []string
	// Ask bounds one question to one service; Retry is the wait before a service that did
	// not answer is asked again.
	Ask               rightsreply.CallConfig
	Retry             domain.Retry
	FanOutInterval    time.Duration
	OverdueInterval   time.Duration
	RetentionInterval time.Duration
	SweepBatch        int
	Logger            *slog.Logger
}

// Service is the assembled rights service.
type Service struct {
	App     *app.Service
	Handler http.Handler
	relay   *messaging.Relay
	cfg     Config
}

// New provisions the service's streams and wires the use cases, the relay and the HTTP port.
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
	if err := messaging.EnsureStreams(ctx, js, messaging.ServiceStreams("rights", cfg.StreamReplicas, cfg.ShareMaxAge)...); err != nil {
		return nil, err
	}
	if err := partners.ProvisionReaders(ctx, js, "rights", contracts.Partners(), cfg.Notice.RecipientIDs()); err != nil {
		return nil, err
	}
	serviceNotices, err := LoadServiceNotices(cfg.Services)
	if err != nil {
		return nil, err
	}
	if cfg.WorkingDaysUK == nil {
		if cfg.WorkingDaysUK, err = calendar.New(calendar.Config{Holidays: calendar.UnitedKingdomHolidays()}); err != nil {
			return nil, fmt.Errorf("UK bank holidays: %w", err)
		}
	}
	cfg.Relay.Logger = cfg.Logger
	relay := messaging.NewRelay(cfg.DB, js, cfg.Relay)
	stores := app.Stores{Requests: adapters.NewRequests(cfg.DB, relay), Breaches: adapters.NewBreaches(cfg.DB, relay),
		FOI: adapters.NewFOIRequests(cfg.DB, relay)}
	svc, err := app.NewService(stores, adapters.NewResponders(cfg.NATS, cfg.Ask),
		cfg.Calendar, cfg.WorkingDaysUK, cfg.Clock, cfg.Notice, func() string { return uuid.Must(uuid.NewV7()).String() },
		app.Config{Services: cfg.Services, ServiceNotices: serviceNotices, Retry: cfg.Retry})
	if err != nil {
		return nil, err
	}
	spec, err := contracts.OpenAPI("rights")
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

// RunBackground relays the outbox and runs the fan-out, overdue and retention sweeps until
// ctx ends.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.relay.Run(ctx) })
	g.Go(func() error { return s.fanOut(ctx) })
	s.every(g, ctx, s.cfg.OverdueInterval, "overdue sweep", "raised", s.App.SweepOverdue)
	s.every(g, ctx, s.cfg.RetentionInterval, "retention sweep", "erased", s.App.SweepRetention)
	return g.Wait()
}

func (s *Service) every(g *errgroup.Group, ctx context.Context, interval time.Duration, what, counted string, sweep func(context.Context, int) (int, error)) {
	g.Go(func() error {
		return bootstrap.Every(ctx, interval, func() {
			if n, err := sweep(ctx, s.cfg.SweepBatch); err != nil {
				s.cfg.Logger.Error(what, "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info(what, counted, n)
			}
		})
	})
}

// fanOut asks the services requests wait for: at once when a search or a confirmation
// starts, and on every tick for those that did not answer before.
func (s *Service) fanOut(ctx context.Context) error {
	interval := s.cfg.FanOutInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.App.SweepFanOut(ctx, s.cfg.SweepBatch); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("fan-out", "err", err)
		} else if n > 0 {
			s.cfg.Logger.Debug("fan-out", "recorded", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-s.App.Kicked():
		}
	}
}
