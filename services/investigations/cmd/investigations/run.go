package main

import (
	"context"
	"errors"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if errors.Is(err, bootstrap.ErrHelpShown) {
		return nil
	} else if err != nil {
		return err
	}
	asb := app.ASBReviewConfig{Threshold: cfg.ASBReview.Threshold, Within: cfg.ASBReview.Within}
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{
		Name: service.Name, Config: cfg.CaseService, Shown: shown, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			return service.New(ctx, service.Config{CaseConfig: base, ASBReview: asb})
		},
	})
}
