package main

import (
	"context"
	"os"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

func run(ctx context.Context) error {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework webhook delivery worker"}
	cfg.Defaults("127.0.0.1:8082", 65536, "casework_delivery")
	help, err := conf.Parse("DELIVERY", &cfg)
	return bootstrap.RunService(ctx, bootstrap.ServiceCommand{Name: "delivery", Config: &cfg, Shared: &cfg.Settings,
		Help: help, ParseErr: err, Migrations: service.Migrations(),
		Build: func(ctx context.Context, base bootstrap.ServiceConfig) (bootstrap.Runnable, error) {
			partners, err := webhookPartners(cfg.Webhooks, os.Getenv)
			if err != nil {
				return nil, err
			}
			if len(partners) == 0 {
				base.Logger.Warn("no webhook partners configured (DELIVERY_WEBHOOKS): serving the dead-letter API only")
			}
			streams, err := shareStreams(cfg.Streams)
			if err != nil {
				return nil, err
			}
			svc, err := service.New(ctx, service.Config{ServiceConfig: base, Partners: partners, Streams: streams,
				Retry: domain.RetryPolicy{MaxAttempts: cfg.Retry.MaxAttempts, InitialBackoff: cfg.Retry.InitialBackoff, MaxBackoff: cfg.Retry.MaxBackoff,
					MaxRetryAfter: cfg.Retry.MaxRetryAfter},
				HTTPTimeout:         cfg.Retry.HTTPTimeout,
				DeadLetterRetention: cfg.DeadLetters.Retention, SweepInterval: cfg.DeadLetters.SweepInterval,
				SweepBatch: cfg.DeadLetters.SweepBatch})
			if err != nil {
				return nil, err
			}
			for _, p := range svc.App.Partners() {
				base.Logger.Info("webhook partner", "partner", p.ID, "url", p.URL)
			}
			return svc, nil
		},
	})
}
