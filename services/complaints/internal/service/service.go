// Package service assembles the complaints service from its parts, so the binary and the
// integration tests start exactly the same thing.
package service

import (
	"context"
	"net/http"
	"time"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/adapters"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/ports"
)

// Name is the service's name: its streams, contracts and database.
const Name = "complaints"

// Migrations are the complaints database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Complaints())
}

// LoadNotice reads the notice to enforce: a file when one is named, else the contract.
func LoadNotice(file string) (*notice.Notice, []byte, error) {
	return bootstrap.LoadNotice(Name, file, contracts.Notice)
}

// Config is everything the service needs, already opened: what every case service takes,
// and the calendar its deadlines are reckoned by.
type Config struct {
	bootstrap.CaseConfig
	Calendar        *calendar.Calendar
	OverdueInterval time.Duration
}

// Service is the assembled complaints service.
type Service struct {
	App     *app.Service
	Handler http.Handler
	base    *bootstrap.Case
	cfg     Config
}

// New provisions the streams and wires the use cases, the relay and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	cfg.CaseConfig = base.Config
	svc := app.NewService(adapters.NewRepository(cfg.DB, base.Relay), cfg.Calendar, cfg.Clock, cfg.Notice, messaging.NewID)
	api := ports.NewAPI(svc, cfg.MaxBodyBytes, cfg.Logger)
	handler := base.Handler(api, httpserver.CaseErrors(nil), ports.Roles, "/complaints", "/statistics", "/disclosures")
	return &Service{App: svc, Handler: handler, base: base, cfg: cfg}, nil
}

// HTTPHandler is the service's HTTP surface.
func (s *Service) HTTPHandler() http.Handler { return s.Handler }

// RunBackground relays the outbox and runs the sweeps until ctx ends. A newly announced
// bank holiday moves running deadlines before any is judged overdue.
func (s *Service) RunBackground(ctx context.Context) error {
	return s.base.RunBackground(ctx,
		bootstrap.Sweep{Interval: s.cfg.OverdueInterval, Steps: []bootstrap.Step{
			{Name: "recompute deadlines", Run: s.App.RecomputeDeadlines},
			{Name: "overdue sweep", Run: s.App.SweepOverdue},
		}},
		bootstrap.Sweep{Interval: s.cfg.RetentionInterval, Steps: []bootstrap.Step{
			{Name: "retention sweep", Run: s.App.SweepRetention},
		}})
}
