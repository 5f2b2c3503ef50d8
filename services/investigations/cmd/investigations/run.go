package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/nats-io/nats.go"
	"golang.org/x/sync/errgroup"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

func run(ctx context.Context) error {
	cfg, shown, err := parseConfig()
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return fmt.Errorf("config: log level: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level})).With("service", "investigations")
	log.Info("starting", "config", shown)

	n, noticeYAML, err := service.LoadNotice(cfg.Notice.File)
	if err != nil {
		return fmt.Errorf("privacy notice: %w", err)
	}
	log.Info("notice loaded", "notice_version", n.Version)

	dbCfg := postgres.Config{Host: cfg.DB.Host, Port: cfg.DB.Port, User: cfg.DB.User, Password: cfg.DB.Password,
		Database: cfg.DB.Name, SSLMode: cfg.DB.SSLMode, MaxOpenConns: cfg.DB.MaxOpenConns, MaxIdleConns: cfg.DB.MaxOpenConns}
	if err := postgres.EnsureDatabase(ctx, dbCfg); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, dbCfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := postgres.Migrate(ctx, db, service.Migrations()...); err != nil {
		return err
	}

	natsOpts := []nats.Option{nats.Name("investigations"), nats.MaxReconnects(-1)}
	if cfg.NATS.User != "" {
		natsOpts = append(natsOpts, nats.UserInfo(cfg.NATS.User, cfg.NATS.Password))
	}
	nc, err := nats.Connect(cfg.NATS.URL, natsOpts...)
	if err != nil {
		return fmt.Errorf("connect nats %s: %w", cfg.NATS.URL, err)
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit

	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: nc, Clock: calendar.SystemClock{}, Notice: n, NoticeYAML: noticeYAML,
		Auth: httpserver.AuthConfig{Issuer: cfg.Auth.Issuer, Audience: cfg.Auth.Audience,
			DevSigningKey: []byte(cfg.Auth.DevSigningKey), OIDCIssuerURL: cfg.Auth.OIDCIssuerURL},
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

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return svc.RunBackground(ctx) })
	g.Go(func() error {
		return httpserver.Run(ctx, httpserver.Config{Addr: cfg.HTTP.Addr, ReadTimeout: cfg.HTTP.ReadTimeout,
			WriteTimeout: cfg.HTTP.WriteTimeout, ShutdownTimeout: cfg.HTTP.ShutdownTimeout}, svc.Handler, log)
	})
	if cfg.Debug.Addr != "" {
		g.Go(func() error {
			return httpserver.Run(ctx, httpserver.Config{Addr: cfg.Debug.Addr, ShutdownTimeout: cfg.HTTP.ShutdownTimeout}, debugMux(), log)
		})
	}
	err = g.Wait()
	log.Info("stopped", "err", err)
	return err
}
