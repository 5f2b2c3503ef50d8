package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from RIGHTS_* environment variables or flags, and printed at start
// with secrets masked.
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
		File string `conf:"help:notice YAML to enforce instead of the built-in contracts/notices/rights.yaml"`
	}
	Calendar struct {
		HolidaysFile string `conf:"help:bank holiday table (JSON) to use instead of the built-in one"`
	}
	// Services are asked about every rights request on rights.<service>.<verb>; each needs a
	// notice in contracts/notices.
	Services []string `conf:"default:complaints;investigations;publication,help:services to ask about every rights request, separated by ;"`
	Ask      struct {
		Timeout  time.Duration `conf:"default:2s,help:wait for one service's answer"`
		Attempts int           `conf:"default:2,help:attempts per question before the service is marked as not answering"`
	}
	Retry struct {
		First time.Duration `conf:"default:30s,help:wait before asking again a service that did not answer"`
		Max   time.Duration `conf:"default:15m,help:longest wait between attempts (the wait doubles)"`
	}
	Sweep struct {
		FanOutInterval    time.Duration `conf:"default:5s"`
		OverdueInterval   time.Duration `conf:"default:1m"`
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
	cfg.HTTP.Addr, cfg.HTTP.MaxBodyBytes, cfg.DB.Name = "127.0.0.1:8087", 65536, "casework_rights"
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework information rights service"}
	help, err := conf.Parse("RIGHTS", &cfg)
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(os.Stdout, help)
		os.Exit(0)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	if err := cfg.Auth.Check("RIGHTS"); err != nil {
		return cfg, "", err
	}
	shown, err := conf.String(&cfg)
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	return cfg, shown, nil
}
