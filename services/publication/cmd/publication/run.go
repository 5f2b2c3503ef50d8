package main

import (
	"context"
	"fmt"
	"os"

	"github.com/nats-io/nats.go"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/services/publication/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if err != nil {
		return err
	}
	log, err := bootstrap.Logger(os.Stdout, cfg.LogLevel, "publication")
	if err != nil {
		return err
	}
	log.Info("starting", "config", shown)

	n, noticeYAML, err := service.LoadNotice(cfg.Notice.File)
	if err != nil {
		return fmt.Errorf("privacy notice: %w", err)
	}
	calCfg := calendar.Config{}
	if cfg.Calendar.HolidaysFile != "" {
		if calCfg.Holidays, err = os.ReadFile(cfg.Calendar.HolidaysFile); err != nil {
			return fmt.Errorf("bank holidays: %w", err)
		}
	}
	cal, err := calendar.New(calCfg)
	if err != nil {
		return fmt.Errorf("bank holidays: %w", err)
	}
	log.Info("notice and calendar loaded", "notice_version", n.Version, "holiday_table", cal.HolidayTableVersion())

	db, err := bootstrap.OpenDatabase(ctx, cfg.DB, service.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	nc, err := bootstrap.ConnectNATS(cfg.NATS.NATS, "publication")
	if err != nil {
		return err
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit
	natsOpts := []nats.Option{nats.Name("publication-consumer"), nats.MaxReconnects(-1)}
	if cfg.NATS.User != "" {
		natsOpts = append(natsOpts, nats.UserInfo(cfg.NATS.User, cfg.NATS.Password))
	}

	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: nc, NATSURL: cfg.NATS.URL, NATSOpts: natsOpts, Clock: calendar.SystemClock{}, Calendar: cal,
		Notice: n, NoticeYAML: noticeYAML, Auth: cfg.Auth.Config(), MaxBodyBytes: cfg.HTTP.MaxBodyBytes,
		Relay:             messaging.RelayConfig{BatchSize: cfg.Relay.BatchSize, PollInterval: cfg.Relay.PollInterval},
		StreamReplicas:    cfg.NATS.Replicas,
		ShareMaxAge:       cfg.NATS.ShareMaxAge,
		PublicationMonths: cfg.Publication.PeriodMonths,
		ConvictionsStream: cfg.NATS.ConvictionsStream,
		TakedownInterval:  cfg.Sweep.TakedownInterval,
		RetentionInterval: cfg.Sweep.RetentionInterval,
		SweepBatch:        cfg.Sweep.Batch,
		Logger:            log,
	})
	if err != nil {
		return err
	}
	return bootstrap.Serve(ctx, log, cfg.HTTP, cfg.Debug, svc.Handler, svc.RunBackground)
}
