package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from DEBT_* environment variables or flags, and printed at start
// with secrets masked.
type config struct {
	conf.Version
	HTTP bootstrap.HTTP
	// JSONMaxBodyBytes bounds JSON requests; HTTP.MaxBodyBytes bounds a streamed referral file.
	JSONMaxBodyBytes int64 `conf:"default:65536"`
	DB               bootstrap.DB
	NATS             struct {
		bootstrap.NATS
		Replicas    int           `conf:"default:1"`
		ShareMaxAge time.Duration `conf:"default:168h"`
	}
	Auth   bootstrap.Auth
	Debug  bootstrap.Debug
	Notice struct {
		File string `conf:"help:notice YAML to enforce instead of the built-in contracts/notices/debt.yaml"`
	}
	Fees struct {
		File string `conf:"help:JSON array of further dated fee schedules (e.g. a reform) added to the statutory ones"`
	}
	Calendar struct {
		HolidaysFile string `conf:"help:bank-holiday table JSON replacing the built-in one"`
	}
	Referrals struct {
		Batch    int `conf:"default:1000,help:referral file rows stored per statement"`
		Parallel int `conf:"default:2,help:referral batches stored at once"`
	}
	Sweep struct {
		Interval time.Duration `conf:"default:1m"`
		Batch    int           `conf:"default:200"`
	}
	Relay struct {
		BatchSize    int           `conf:"default:256"`
		PollInterval time.Duration `conf:"default:500ms"`
	}
	LogLevel string `conf:"default:info"`
}

func parseConfig() (config, string, error) {
	var cfg config
	cfg.HTTP.Addr, cfg.HTTP.MaxBodyBytes, cfg.DB.Name = "127.0.0.1:8085", 1<<30, "casework_debt"
	// A large referral file streams in, and its report streams back, for a while.
	cfg.HTTP.ReadTimeout, cfg.HTTP.WriteTimeout = 10*time.Minute, 10*time.Minute
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework debt recovery service"}
	help, err := conf.Parse("DEBT", &cfg)
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(os.Stdout, help)
		os.Exit(0)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	if err := cfg.Auth.Check("DEBT"); err != nil {
		return cfg, "", err
	}
	shown, err := conf.String(&cfg)
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	return cfg, shown, nil
}
