package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from PUBLICATION_* environment variables or flags, and printed at
// start with secrets masked.
type config struct {
	conf.Version
	HTTP bootstrap.HTTP
	DB   bootstrap.DB
	NATS struct {
		bootstrap.NATS
		Replicas          int           `conf:"default:1"`
		ShareMaxAge       time.Duration `conf:"default:168h"`
		ConvictionsStream string        `conf:"default:INVESTIGATIONS_SHARE,help:the investigations service's share stream the conviction disclosures arrive on"`
	}
	Auth   bootstrap.Auth
	Debug  bootstrap.Debug
	Notice struct {
		File string `conf:"help:notice YAML to enforce instead of the built-in contracts/notices/publication.yaml"`
	}
	Calendar struct {
		HolidaysFile string `conf:"help:bank holiday table (JSON) to use instead of the built-in one"`
	}
	Publication struct {
		PeriodMonths int `conf:"default:1,help:calendar months an entry stays on the website unless spent sooner (Ministry of Justice guidance: one month)"`
	}
	Sweep struct {
		TakedownInterval  time.Duration `conf:"default:10m"`
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
	cfg.HTTP.Addr, cfg.HTTP.MaxBodyBytes, cfg.DB.Name = "127.0.0.1:8084", 65536, "casework_publication"
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework publication decisions service"}
	help, err := conf.Parse("PUBLICATION", &cfg)
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(os.Stdout, help)
		os.Exit(0)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	if err := cfg.Auth.Check("PUBLICATION"); err != nil {
		return cfg, "", err
	}
	if cfg.Publication.PeriodMonths < 1 {
		return cfg, "", errors.New("config: PUBLICATION_PUBLICATION_PERIOD_MONTHS must be at least 1")
	}
	shown, err := conf.String(&cfg)
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	return cfg, shown, nil
}
