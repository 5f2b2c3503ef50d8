package main

import (
	"context"
	"fmt"
	"os"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if err != nil {
		return err
	}
	log, err := bootstrap.Logger(os.Stdout, cfg.LogLevel, "investigations")
	if err != nil {
		return err
	}
	log.Info("starting", "config", shown)
	stopTracing, err := bootstrap.Tracing(ctx, log, "investigations", os.Getenv)
	if err != nil {
		return err
	}
	defer stopTracing()

	n, noticeYAML, err := service.LoadNotice(cfg.Notice.File)
	if err != nil {
		return fmt.Errorf("privacy notice: %w", err)
	}
	log.Info("notice loaded", "notice_version", n.Version)

	db, err := bootstrap.OpenDatabase(ctx, cfg.DB, service.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	nc, err := bootstrap.ConnectNATS(cfg.NATS.NATS, "investigations")
	if err != nil {
		return err
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit

	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: nc, Clock: calendar.SystemClock{}, Notice: n, NoticeYAML: noticeYAML,
		Auth:              cfg.Auth.Config(),
		MaxBodyBytes:      cfg.HTTP.MaxBodyBytes,
		Relay:             messaging.RelayConfig{BatchSize: cfg.Relay.BatchSize, PollInterval: cfg.Relay.PollInterval},
		StreamReplicas:    cfg.NATS.Replicas,
		ShareMaxAge:       cfg.NATS.ShareMaxAge,
		RetentionInterval: cfg.Sweep.RetentionInterval,
		SweepBatch:        cfg.Sweep.Batch,
		ASBReview:         app.ASBReviewConfig{Threshold: cfg.ASBReview.Threshold, Within: cfg.ASBReview.Within},
		Logger:            log,
	})
	if err != nil {
		return err
	}

	return bootstrap.Serve(ctx, log, cfg.HTTP, cfg.Debug, svc.Handler, svc.RunBackground)
}
