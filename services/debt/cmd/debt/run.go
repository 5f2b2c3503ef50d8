package main

import (
	"context"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/debt/internal/ports"
	"casework.dev/services/debt/internal/service"
)

// parseConfig reads the configuration from DEBT_* variables and flags over the defaults.
func parseConfig() (cfg config, help string, err error) {
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework debt recovery service"}
	cfg.Defaults("127.0.0.1:8085", 1<<30, "casework_debt")
	cfg.JSONMaxBodyBytes = service.MaxJSONBodyBytes // reckoned from the contract: see MaxJSONBodyBytes
	// A large referral file streams in, and its report streams back, for a while.
	cfg.HTTP.ReadTimeout, cfg.HTTP.WriteTimeout = 10*time.Minute, 10*time.Minute
	help, err = conf.Parse("DEBT", &cfg)
	return cfg, help, err
}

func run(ctx context.Context) error {
	cfg, help, err := parseConfig()
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{Name: service.Name, Config: &cfg, Shared: &cfg.CaseService,
		Help: help, ParseErr: err, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			schedules, err := service.LoadSchedules(cfg.Fees.File)
			if err != nil {
				return nil, err
			}
			cal, err := cfg.Calendar.Load(base.Logger)
			if err != nil {
				return nil, err
			}
			base.Logger.Info("fees loaded", "fee_schedules", len(schedules))
			base.MaxBodyBytes = cfg.JSONMaxBodyBytes
			return service.New(ctx, service.Config{CaseConfig: base, Calendar: cal, Schedules: schedules,
				Referrals:     ports.Referrals{Batch: cfg.Referrals.Batch, Parallel: cfg.Referrals.Parallel},
				SweepInterval: cfg.Procedure.Interval})
		},
	})
}
