// Package service assembles the information rights service from its parts, so the binary
// and the integration tests start exactly the same thing.
package service

import (
	"context"
	"fmt"
	"time"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/rights/internal/adapters"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
	"casework.dev/services/rights/internal/ports"
)

// Name is the service's name: its streams, contracts, variables and database.
const Name = "rights"

// MaxBodyBytes bounds a request body (the binary's default, and the tests'): it admits
// every body the contract (contracts/openapi/rights.yaml) allows, each string at its
// maxLength and each array at its maxItems, written as JSON with every character escaped
// (an astral character, which the contract's maxLength counts as one, is 12 bytes as
// "\ud83d\ude00"). The largest is an FOI response: 100 parts, each a description of 2000
// characters and a public interest test of three texts of 5000, about 1.7 million
// characters, so 20.5 MB (19.6 MiB). Next come a breach (1,000 people to tell and the
// reporter, each a Person of 1,070 characters, 12.9 KB, with 10,500 characters of
// nature and release: 12.5 MiB) and a confirmation of 1,000 matches (1.8 MiB); a new
// request is 0.2 MiB, a new FOI request 0.3 MiB. 24 MiB admits them all with a fifth over,
// and anything larger is refused 413. A larger maxItems or maxLength in the contract
// needs this figure recomputed (TestTheContractsLargestBodiesAreAccepted sends the largest).
const MaxBodyBytes int64 = 24 << 20

// Migrations are the rights database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Rights())
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

// Config is everything the service needs, already opened: what every case service takes,
// and the rights service's own.
type Config struct {
	bootstrap.CaseConfig
	Calendar *calendar.Calendar
	// WorkingDaysUK counts FOI/EIR working days: bank holidays in any part of the UK (built
	// from calendar.UnitedKingdomHolidays when nil).
	WorkingDaysUK *calendar.Calendar
	// Services are asked about every request (rights.<service>.<verb>).
	Services []string
	// Ask bounds one question to one service; Retry is the wait before a service that did
	// not answer is asked again.
	Ask   rightsreply.CallConfig
	Retry domain.Retry
	// FanOutInterval is how often services that did not answer are asked again (5s when
	// zero); OverdueInterval how often deadlines are checked.
	FanOutInterval  time.Duration
	OverdueInterval time.Duration
}

// Service is the assembled rights service.
type Service struct {
	*bootstrap.Case
	App *app.Service
}

// New provisions the streams and wires the use cases, the relay, the HTTP port, the
// fan-out to the other services and the overdue and retention sweeps.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.CaseConfig.PartnersFile = contracts.Partners()
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	serviceNotices, err := LoadServiceNotices(cfg.Services)
	if err != nil {
		return nil, err
	}
	if cfg.WorkingDaysUK == nil {
		if cfg.WorkingDaysUK, err = workingDaysUK(cfg.Calendar); err != nil {
			return nil, fmt.Errorf("UK bank holidays: %w", err)
		}
	}
	stores := app.Stores{Requests: adapters.NewRequests(cfg.DB, base.Relay), Breaches: adapters.NewBreaches(cfg.DB, base.Relay),
		FOI: adapters.NewFOIRequests(cfg.DB, base.Relay), Own: adapters.NewOwnRecords(cfg.DB)}
	svc, err := app.NewService(stores, adapters.NewResponders(cfg.NATS, cfg.Ask), cfg.Calendar, cfg.WorkingDaysUK,
		base.Config.Clock, cfg.Notice, messaging.NewID, app.Config{Services: cfg.Services, ServiceNotices: serviceNotices, Retry: cfg.Retry})
	if err != nil {
		return nil, err
	}
	base.MapOwnErrors(ports.OwnErrors)
	base.Public("GET /public/foi-disclosure-log", ports.DisclosureLog(svc))
	base.Serve(ports.NewAPI(svc, cfg.MaxBodyBytes, base.Config.Logger), ports.Roles, "/requests", "/breaches", "/foi")
	base.Background(func(ctx context.Context) error { return fanOut(ctx, svc, cfg.FanOutInterval, base) })
	// Deadlines a newly announced bank holiday moves are counted again before any is judged
	// overdue.
	base.Sweep(bootstrap.Sweep{Interval: cfg.OverdueInterval, Steps: []bootstrap.Step{
		{Name: "recompute deadlines", Run: svc.RecomputeDeadlines},
		{Name: "overdue sweep", Run: svc.SweepOverdue},
	}})
	base.RetentionSweep(svc.SweepRetention)
	// The service answers for its own records as every service does (rights.rights.<verb>);
	// it asks itself when Services names it.
	own := rights.Respond(app.NewOwnRecordsHolder(svc))
	base.Background(func(ctx context.Context) error {
		return rightsreply.Run(ctx, cfg.NATS, rightsreply.Config{Subject: rights.Subjects(Name), Queue: rights.QueueGroup(Name),
			Verbs: rights.Verbs, Logger: base.Config.Logger}, rights.Dispatcher{Responder: own})
	})
	return &Service{Case: base, App: svc}, nil
}

// workingDaysUK is the calendar of FOI/EIR working days: the UK table
// (calendar.UnitedKingdomHolidays), and every England and Wales bank holiday cal knows in
// the years it covers that the UK table does not, as a holiday announced since and given to
// cal (a newer England and Wales table, or an extra holiday) is a bank holiday in a part of
// the UK, so no working day either (FOIA s10(6), EIR reg 2(1)).
func workingDaysUK(cal *calendar.Calendar) (*calendar.Calendar, error) {
	uk, err := calendar.New(calendar.Config{Holidays: calendar.UnitedKingdomHolidays()})
	if err != nil {
		return nil, err
	}
	from, to := uk.CoveredYears()
	var extra []calendar.Holiday
	for year := from; year <= to; year++ {
		holidays, err := cal.Holidays(year)
		if err != nil {
			continue // a year cal's table does not cover: the UK table's own days
		}
		for _, h := range holidays {
			if _, known, _ := uk.IsBankHoliday(h.Date); !known {
				extra = append(extra, h)
			}
		}
	}
	if len(extra) == 0 {
		return uk, nil
	}
	return calendar.New(calendar.Config{Holidays: calendar.UnitedKingdomHolidays(), Extra: extra})
}

// fanOut asks the services requests wait for: at once when a search or a confirmation
// starts, and on every tick for those that did not answer before.
func fanOut(ctx context.Context, svc *app.Service, interval time.Duration, base *bootstrap.Case) error {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := svc.SweepFanOut(ctx, base.Config.SweepBatch); err != nil && ctx.Err() == nil {
			base.Config.Logger.Error("fan-out", "err", err)
		} else if n > 0 {
			base.Config.Logger.Debug("fan-out", "recorded", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-svc.Kicked():
		}
	}
}
