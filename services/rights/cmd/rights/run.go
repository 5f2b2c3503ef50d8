package main

import (
	"context"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/rights/internal/domain"
	"casework.dev/services/rights/internal/service"
)

func run(ctx context.Context) error {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework information rights service"}
	cfg.Defaults("127.0.0.1:8087", service.MaxBodyBytes, "casework_rights") // every body the contract allows
	help, err := conf.Parse("RIGHTS", &cfg)
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{Name: service.Name, Config: &cfg, Shared: &cfg.CaseService,
		Help: help, ParseErr: err, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			cal, err := cfg.Calendar.Load(base.Logger)
			if err != nil {
				return nil, err
			}
			return service.New(ctx, service.Config{CaseConfig: base, Calendar: cal, Services: cfg.Services,
				Ask:   rightsreply.CallConfig{Timeout: cfg.Ask.Timeout, Attempts: cfg.Ask.Attempts},
				Retry: domain.Retry{First: cfg.Retry.First, Max: cfg.Retry.Max}, FanOutInterval: cfg.FanOut.Interval,
				OverdueInterval: cfg.Overdue.Interval})
		},
	})
}
