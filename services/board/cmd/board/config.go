package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from BOARD_* environment variables or flags, and printed at start
// with secrets masked.
type config struct {
	conf.Version
	HTTP bootstrap.HTTP
	DB   bootstrap.DB
	NATS struct {
		bootstrap.NATS
		Replicas int `conf:"default:1"`
	}
	Auth  bootstrap.Auth
	Debug bootstrap.Debug
	// Services are followed on their status streams (<SERVICE>_STATUS) and shown in this order.
	Services []string `conf:"default:complaints;investigations,help:services whose status events the board shows, separated by ;"`
	Session  struct {
		InsecureCookie bool `conf:"help:leave Secure off the sign-in cookie (plain HTTP on a developer's machine only)"`
	}
	LogLevel string `conf:"default:info"`
}

func parseConfig() (config, string, error) {
	var cfg config
	cfg.HTTP.Addr, cfg.HTTP.MaxBodyBytes, cfg.DB.Name = "127.0.0.1:8086", 16384, "casework_board"
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework managers' board"}
	help, err := conf.Parse("BOARD", &cfg)
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(os.Stdout, help)
		os.Exit(0)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	if err := cfg.Auth.Check("BOARD"); err != nil {
		return cfg, "", err
	}
	shown, err := conf.String(&cfg)
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	return cfg, shown, nil
}
