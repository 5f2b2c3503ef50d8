package main

import (
	"context"
	"errors"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/complaints/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if errors.Is(err, bootstrap.ErrHelpShown) {
		return nil
	} else if err != nil {
		return err
	}
	cal, err := bootstrap.LoadCalendar(cfg.Calendar.HolidaysFile)
	if err != nil {
		return err
	}
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{
		Name: service.Name, Config: cfg.CaseService, Shown: shown, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			return service.New(ctx, service.Config{CaseConfig: base, Calendar: cal, OverdueInterval: cfg.Overdue.Interval})
		},
	})
}
