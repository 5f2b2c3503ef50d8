package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from INVESTIGATIONS_* environment variables or flags, and printed
// at start with secrets masked.
type config struct {
	conf.Version
	HTTP bootstrap.HTTP
	DB   bootstrap.DB
	NATS struct {
		bootstrap.NATS
		Replicas    int           `conf:"default:1"`
		ShareMaxAge time.Duration `conf:"default:168h"`
	}
	Auth   bootstrap.Auth
	Debug  bootstrap.Debug
	Notice struct {
		File string `conf:"help:notice YAML to enforce instead of the built-in contracts/notices/investigations.yaml"`
	}
	ASBReview struct {
		Threshold int           `conf:"default:3,help:reports about one location or person that trigger an ASB case review (0: off)"`
		Within    time.Duration `conf:"default:4392h,help:the period the reports must fall in (default about 6 months)"`
	}
	Sweep struct {
		RetentionInterval time.Duration `conf:"default:1h"`
		Batch             int           `conf:"default:200"`
	}
	Relay struct {
		BatchSize    int           `conf:"default:256"`
		PollInterval time.Duration `conf:"default:500ms"`
	}
	LogLevel string `conf:"default:info"`
}

func parseConfig() (config, string, error) {
	var cfg config
	cfg.HTTP.Addr, cfg.HTTP.MaxBodyBytes, cfg.DB.Name = "127.0.0.1:8083", 262144, "casework_investigations"
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework community protection investigations service"}
	help, err := conf.Parse("INVESTIGATIONS", &cfg)
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(os.Stdout, help)
		os.Exit(0)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	if err := cfg.Auth.Check("INVESTIGATIONS"); err != nil {
		return cfg, "", err
	}
	shown, err := conf.String(&cfg)
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	return cfg, shown, nil
}
