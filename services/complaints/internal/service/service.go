// Package service assembles the complaints service from its parts, so the binary and the
// integration tests start exactly the same thing.
package service

import (
	"context"
	"time"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/complaints/internal/adapters"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/ports"
)

// Name is the service's name: its streams, contracts, variables and database.
const Name = "complaints"

// MaxBodyBytes bounds a request body (the binary's default, and the tests'): it admits
// every body the contract (contracts/openapi/complaints.yaml) allows, each string at its
// maxLength written as JSON with every character escaped (an astral character, which the
// contract's maxLength counts as one, is 12 bytes as "\ud83d\ude00"). The largest is an
// Ombudsman decision: a summary of 20000 characters and 20 remedies of 2000, about 60,200
// characters, so 722 KB with the member names and punctuation (a stage's response is
// 720 KB, a new complaint 526 KB). 1 MiB admits them all with room over, and anything
// larger is refused 413.
const MaxBodyBytes int64 = 1 << 20

// Migrations are the complaints database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Complaints())
}

// Config is everything the service needs, already opened: what every case service takes,
// the calendar its deadlines are reckoned by, and how often they are checked.
type Config struct {
	bootstrap.CaseConfig
	Calendar        *calendar.Calendar
	OverdueInterval time.Duration
}

// Service is the assembled complaints service.
type Service struct {
	*bootstrap.Case
	App    *app.Service
	Rights *app.Rights // answers the rights service on rights.complaints.*
}

// New provisions the streams and wires the use cases, the relay, the HTTP port, the sweeps
// and the answers to the rights service.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.CaseConfig.PartnersFile = contracts.Partners()
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	services, err := LoadServiceCatalogue()
	if err != nil {
		return nil, err
	}
	repo := adapters.NewRepository(cfg.DB, base.Relay)
	svc := app.NewService(repo, cfg.Calendar, base.Config.Clock, cfg.Notice, services, messaging.NewID)
	base.Serve(ports.NewAPI(svc, cfg.MaxBodyBytes, base.Config.Logger), ports.Roles, "/complaints", "/statistics", "/disclosures")
	// Deadlines saved before referrals stopped clocks, and those a newly announced bank
	// holiday moves, are counted again before any is judged overdue.
	base.Sweep(bootstrap.Sweep{Interval: cfg.OverdueInterval, Steps: []bootstrap.Step{
		{Name: "settle referral deadlines", Run: svc.SettleReferralDeadlines},
		{Name: "recompute deadlines", Run: svc.RecomputeDeadlines},
		{Name: "overdue sweep", Run: svc.SweepOverdue},
		// Answered complaints the complainant took no further for 12 months are closed, so
		// their retention runs (from that closure) rather than never starting.
		{Name: "close after no further contact", Run: svc.CloseNoFurtherContact},
	}})
	base.RetentionSweep(svc.SweepRetention)
	rightsHolder := app.NewRights(svc)
	base.Background(func(ctx context.Context) error {
		return rightsreply.Run(ctx, cfg.NATS, rightsreply.Config{Subject: rights.Subjects(Name), Queue: rights.QueueGroup(Name),
			Verbs: rights.Verbs, Logger: base.Config.Logger}, rights.Dispatcher{Responder: rights.Respond(rightsHolder)})
	})
	return &Service{Case: base, App: svc, Rights: rightsHolder}, nil
}
