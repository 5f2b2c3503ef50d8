package main

import (
	"context"
	"errors"

	"github.com/ardanlabs/conf/v3"
	"github.com/nats-io/nats.go"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/publication/internal/service"
)

func run(ctx context.Context) error {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework publication decisions service"}
	cfg.Defaults("127.0.0.1:8084", service.MaxBodyBytes, "casework_publication")
	help, err := conf.Parse("PUBLICATION", &cfg)
	if err == nil && cfg.Publication.PeriodMonths < 0 {
		err = errors.New("PUBLICATION_PUBLICATION_PERIOD_MONTHS must be at least 1, or unset to take the notice's period")
	}
	return bootstrap.RunCase(ctx, bootstrap.CaseCommand{Name: service.Name, Config: &cfg, Shared: &cfg.CaseService,
		Help: help, ParseErr: err, Migrations: service.Migrations(), Notice: contracts.Notice,
		Build: func(ctx context.Context, base bootstrap.CaseConfig) (bootstrap.Runnable, error) {
			cal, err := cfg.Calendar.Load(base.Logger)
			if err != nil {
				return nil, err
			}
			// The consumer opens its own connections, as the service's user.
			natsOpts := []nats.Option{nats.Name("publication-consumer")}
			if cfg.NATS.User != "" {
				natsOpts = append(natsOpts, nats.UserInfo(cfg.NATS.User, cfg.NATS.Password))
			}
			return service.New(ctx, service.Config{CaseConfig: base, Calendar: cal, PublicationMonths: cfg.Publication.PeriodMonths,
				ConvictionsStream: cfg.Convictions.Stream, NATSURL: cfg.NATS.URL, NATSOpts: natsOpts, TakedownInterval: cfg.Takedown.Interval})
		},
	})
}
