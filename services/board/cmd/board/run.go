package main

import (
	"context"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
	"casework.dev/services/board/internal/domain"
	"casework.dev/services/board/internal/ports"
	"casework.dev/services/board/internal/service"
)

func run(ctx context.Context) error {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework managers' board"}
	cfg.Defaults("127.0.0.1:8086", ports.MaxBodyBytes, "casework_board") // every body the contract allows
	help, err := conf.Parse("BOARD", &cfg)
	var followed []domain.Followed
	if err == nil { // what the services list says of the configured services, before anything opens
		followed, err = cfg.followed()
	}
	return bootstrap.RunService(ctx, bootstrap.ServiceCommand{Name: "board", Config: &cfg, Shared: &cfg.Settings,
		Help: help, ParseErr: err, Migrations: service.Migrations(),
		Build: func(ctx context.Context, base bootstrap.ServiceConfig) (bootstrap.Runnable, error) {
			return service.New(ctx, service.Config{ServiceConfig: base, Postgres: cfg.DB.Postgres(),
				NATSURL: cfg.NATS.URL, NATSOpts: cfg.NATS.Options(), Services: followed,
				StreamReplicas: cfg.StreamReplicas, InsecureCookie: cfg.Session.InsecureCookie})
		},
	})
}
