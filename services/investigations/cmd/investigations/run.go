package main

import (
	"context"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

func run(ctx context.Context) error {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework community protection investigations service"}
	cfg.Defaults("127.0.0.1:8083", 262144, "casework_investigations")
	help, err := conf.Parse("INVESTIGATIONS", &cfg)
	asb := app.ASBReviewConfig{Threshold: cfg.ASBReview.Threshold, Within: cfg.ASBReview.Within}
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{Name: service.Name, Config: &cfg, Shared: &cfg.CaseService,
		Help: help, ParseErr: err, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			return service.New(ctx, service.Config{CaseConfig: base, ASBReview: asb})
		},
	})
}
