// Package service assembles the investigations service from its parts, so the binary and
// the integration tests start exactly the same thing.
package service

import (
	"context"
	"net/http"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/postgres"
	"casework.dev/services/investigations/internal/adapters"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/ports"
)

// Name is the service's name: its streams, contracts and database.
const Name = "investigations"

// Migrations are the investigations database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Investigations())
}

// LoadNotice reads the notice to enforce: a file when one is named, else the contract.
func LoadNotice(file string) (*notice.Notice, []byte, error) {
	return bootstrap.LoadNotice(Name, file, contracts.Notice)
}

// Config is everything the service needs, already opened: what every case service takes,
// and the anti-social behaviour case review threshold.
type Config struct {
	bootstrap.CaseConfig
	ASBReview app.ASBReviewConfig
}

// Service is the assembled investigations service.
type Service struct {
	App     *app.Service
	Handler http.Handler
	base    *bootstrap.Case
}

// New provisions the streams and wires the use cases, the relay and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	cfg.CaseConfig = base.Config
	svc := app.NewService(adapters.NewRepository(cfg.DB, base.Relay), cfg.Clock, cfg.Notice, messaging.NewID, cfg.ASBReview)
	api := ports.NewAPI(svc, cfg.MaxBodyBytes, cfg.Logger)
	return &Service{App: svc, Handler: base.Handler(api, httpserver.CaseErrors(nil), ports.Roles, "/investigations"), base: base}, nil
}

// HTTPHandler is the service's HTTP surface.
func (s *Service) HTTPHandler() http.Handler { return s.Handler }

// RunBackground relays the outbox and runs the retention sweep until ctx ends.
func (s *Service) RunBackground(ctx context.Context) error {
	return s.base.RunBackground(ctx, bootstrap.Sweep{Interval: s.base.Config.RetentionInterval,
		Steps: []bootstrap.Step{{Name: "retention sweep", Run: s.App.SweepRetention}}})
}
