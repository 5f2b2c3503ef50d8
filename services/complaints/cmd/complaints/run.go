package main

import (
	"context"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/complaints/internal/service"
)

func run(ctx context.Context) error {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework complaints service"}
	cfg.Defaults("127.0.0.1:8081", service.MaxBodyBytes, "casework_complaints") // every body the contract allows
	help, err := conf.Parse("COMPLAINTS", &cfg)
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{Name: service.Name, Config: &cfg, Shared: &cfg.CaseService,
		Help: help, ParseErr: err, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			cal, err := cfg.Calendar.Load(base.Logger)
			if err != nil {
				return nil, err
			}
			return service.New(ctx, service.Config{CaseConfig: base, Calendar: cal, OverdueInterval: cfg.Overdue.Interval})
		},
	})
}
