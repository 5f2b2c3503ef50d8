// Package service assembles the debt recovery service from its parts, so the binary and
// the integration tests start exactly the same thing.
package service

import (
	"context"
	"fmt"
	"os"
	"time"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/debt/internal/adapters"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
	"casework.dev/services/debt/internal/ports"
)

// Name is the service's name: its streams, contracts, variables and database.
const Name = "debt"

// MaxJSONBodyBytes bounds a JSON request body (the binary's default, DEBT_JSON_MAX_BODY_BYTES,
// and the tests' alike; a referral file streams and is bounded by the server's
// HTTP.MaxBodyBytes instead). It must admit every body the contract allows written as a
// client may write it, every character of every string escaped: \uXXXX is 6 bytes, a
// character beyond the Basic Multilingual Plane a surrogate pair of 12, so 12 bytes for
// each character a maxLength allows (JSON Schema counts characters, not bytes). Reckoned
// so, the largest is a disclosure (POST /cases/{id}/disclosures: a recipient and a purpose
// of 100 characters, 20 categories of 100, a necessity of 2000): 50,694 bytes; the next, a
// vulnerability's nature of 2000 characters, 24,123. 64 KiB admits them and still bounds
// what one request may hold in memory. TestJSONBodyLimitAdmitsEveryBodyTheContractAllows
// writes each operation's largest body from the contract and sends it.
const MaxJSONBodyBytes = 64 << 10

// Migrations are the debt database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Debt())
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

// Config is everything the service needs, already opened: what every case service takes
// (MaxBodyBytes bounds a JSON body; a referral file streams and is bounded by the server),
// the calendar, the fee schedules (the statutory ones when nil), how referral files are
// stored, and how often the procedure's sweeps (notice periods counted again with a new bank
// holiday table, missed instalments, the 12-month limit) run.
type Config struct {
	bootstrap.CaseConfig
	Calendar      *calendar.Calendar
	Schedules     domain.Schedules
	Referrals     ports.Referrals
	SweepInterval time.Duration
}

// Service is the assembled debt service.
type Service struct {
	*bootstrap.Case
	App    *app.Service
	Rights *app.Rights // answers the rights service on rights.debt.*
}

// New provisions the streams and wires the use cases, the relay, the HTTP port (the
// referral upload streamed beside it), the sweeps and the answers to the rights service.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Schedules == nil {
		cfg.Schedules = domain.BuiltInSchedules()
	}
	if err := cfg.Schedules.Check(); err != nil {
		return nil, err
	}
	cfg.CaseConfig.PartnersFile = contracts.Partners()
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	svc := app.NewService(adapters.NewRepository(cfg.DB, base.Relay), cfg.Calendar, base.Config.Clock, cfg.Notice, cfg.Schedules, messaging.NewID)
	api, upload := ports.NewAPI(svc, cfg.MaxBodyBytes, cfg.Referrals, base.Config.Logger)
	base.MapOwnErrors(ports.OwnErrors)
	base.Stream(upload, "/referrals")
	base.Serve(api, ports.Roles, "/cases", "/remittance", "/statistics")
	base.Sweep(bootstrap.Sweep{Interval: cfg.SweepInterval, Steps: []bootstrap.Step{
		{Name: "recompute notice periods", Run: svc.RecomputeNoticePeriods},
		{Name: "missed instalment sweep", Run: svc.SweepInstalments},
		{Name: "control limit sweep", Run: svc.SweepControlLimit},
	}})
	base.RetentionSweep(svc.SweepRetention)
	rightsHolder := app.NewRights(svc)
	base.Background(func(ctx context.Context) error {
		return rightsreply.Run(ctx, cfg.NATS, rightsreply.Config{Subject: rights.Subjects(Name), Queue: rights.QueueGroup(Name),
			Verbs: rights.Verbs, Logger: base.Config.Logger}, rights.Dispatcher{Responder: rights.Respond(rightsHolder)})
	})
	return &Service{Case: base, App: svc, Rights: rightsHolder}, nil
}
