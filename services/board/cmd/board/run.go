package main

import (
	"context"
	"os"

	"github.com/nats-io/nats.go"

	"casework.dev/pkg/bootstrap"
	"casework.dev/services/board/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if err != nil {
		return err
	}
	log, err := bootstrap.Logger(os.Stdout, cfg.LogLevel, "board")
	if err != nil {
		return err
	}
	log.Info("starting", "config", shown)
	stopTracing, err := bootstrap.Tracing(ctx, log, "board", os.Getenv)
	if err != nil {
		return err
	}
	defer stopTracing()

	db, err := bootstrap.OpenDatabase(ctx, cfg.DB, service.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	nc, err := bootstrap.ConnectNATS(cfg.NATS.NATS, "board")
	if err != nil {
		return err
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit
	var natsOpts []nats.Option
	if cfg.NATS.User != "" {
		natsOpts = append(natsOpts, nats.UserInfo(cfg.NATS.User, cfg.NATS.Password))
	}

	svc, err := service.New(ctx, service.Config{
		DB: db, Postgres: cfg.DB.Postgres(), NATS: nc, NATSURL: cfg.NATS.URL, NATSOpts: natsOpts,
		Services: cfg.Services, StreamReplicas: cfg.NATS.Replicas, Auth: cfg.Auth.Config(),
		InsecureCookie: cfg.Session.InsecureCookie, Logger: log,
	})
	if err != nil {
		return err
	}
	return bootstrap.Serve(ctx, log, cfg.HTTP, cfg.Debug, svc.Handler, svc.RunBackground)
}
