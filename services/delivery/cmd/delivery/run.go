package main

import (
	"context"
	"os"

	"casework.dev/pkg/bootstrap"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if err != nil {
		return err
	}
	log, err := bootstrap.Logger(os.Stdout, cfg.LogLevel, "delivery")
	if err != nil {
		return err
	}
	log.Info("starting", "config", shown)
	partners, err := webhookPartners(cfg.Webhooks, os.Getenv)
	if err != nil {
		return err
	}
	if len(partners) == 0 {
		log.Warn("no webhook partners configured (DELIVERY_WEBHOOKS): serving the dead-letter API only")
	}

	db, err := bootstrap.OpenDatabase(ctx, cfg.DB, service.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	nc, err := bootstrap.ConnectNATS(cfg.NATS, "delivery")
	if err != nil {
		return err
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit

	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: nc, Partners: partners, Streams: cfg.Streams,
		Retry:       domain.RetryPolicy{MaxAttempts: cfg.Retry.MaxAttempts, InitialBackoff: cfg.Retry.InitialBackoff, MaxBackoff: cfg.Retry.MaxBackoff},
		HTTPTimeout: cfg.Retry.HTTPTimeout,
		Auth:        cfg.Auth.Config(),
		Logger:      log,
	})
	if err != nil {
		return err
	}
	for _, p := range svc.App.Partners() {
		log.Info("webhook partner", "partner", p.ID, "url", p.URL)
	}

	return bootstrap.Serve(ctx, log, cfg.HTTP, cfg.Debug, svc.Handler, svc.RunBackground)
}
