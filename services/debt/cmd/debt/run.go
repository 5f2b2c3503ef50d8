package main

import (
	"context"
	"fmt"
	"os"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/services/debt/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if err != nil {
		return err
	}
	log, err := bootstrap.Logger(os.Stdout, cfg.LogLevel, "debt")
	if err != nil {
		return err
	}
	log.Info("starting", "config", shown)
	n, noticeYAML, err := service.LoadNotice(cfg.Notice.File)
	if err != nil {
		return fmt.Errorf("privacy notice: %w", err)
	}
	schedules, err := service.LoadSchedules(cfg.Fees.File)
	if err != nil {
		return err
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
	log.Info("notice, fees and calendar loaded", "notice_version", n.Version, "fee_schedules", len(schedules), "holiday_table", cal.HolidayTableVersion())
	db, err := bootstrap.OpenDatabase(ctx, cfg.DB, service.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	nc, err := bootstrap.ConnectNATS(cfg.NATS.NATS, "debt")
	if err != nil {
		return err
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit
	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: nc, Clock: calendar.SystemClock{}, Calendar: cal, Notice: n, NoticeYAML: noticeYAML, Schedules: schedules,
		Auth: cfg.Auth.Config(), MaxBodyBytes: cfg.JSONMaxBodyBytes, ReferralBatch: cfg.Referrals.Batch, ReferralParallel: cfg.Referrals.Parallel,
		Relay:          messaging.RelayConfig{BatchSize: cfg.Relay.BatchSize, PollInterval: cfg.Relay.PollInterval},
		StreamReplicas: cfg.NATS.Replicas, ShareMaxAge: cfg.NATS.ShareMaxAge,
		SweepInterval: cfg.Sweep.Interval, SweepBatch: cfg.Sweep.Batch, Logger: log,
	})
	if err != nil {
		return err
	}
	return bootstrap.Serve(ctx, log, cfg.HTTP, cfg.Debug, svc.Handler, svc.RunBackground)
}
