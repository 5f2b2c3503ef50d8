package main

import (
	"context"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

// parseConfig reads the configuration from INVESTIGATIONS_* variables and flags over the
// defaults.
func parseConfig() (cfg config, help string, err error) {
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework community protection investigations service"}
	cfg.Defaults("127.0.0.1:8083", service.MaxBodyBytes, "casework_investigations") // reckoned from the contract: see MaxBodyBytes
	help, err = conf.Parse("INVESTIGATIONS", &cfg)
	return cfg, help, err
}

func run(ctx context.Context) error {
	cfg, help, err := parseConfig()
	asb := app.ASBReviewConfig{Threshold: cfg.ASBReview.Threshold, Within: cfg.ASBReview.Within}
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{Name: service.Name, Config: &cfg, Shared: &cfg.CaseService,
		Help: help, ParseErr: err, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			return service.New(ctx, service.Config{CaseConfig: base, ASBReview: asb})
		},
	})
}
