package main

import (
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from COMPLAINTS_* environment variables or flags, and printed at
// start with secrets masked: what every case service reads, and the complaints' own.
type config struct {
	conf.Version
	bootstrap.CaseService
	Calendar struct {
		HolidaysFile string `conf:"help:bank-holiday table JSON replacing the built-in one"`
	}
	Overdue struct {
		Interval time.Duration `conf:"default:30s,help:how often running deadlines are recomputed and checked for overdue"`
	}
}

func parseConfig() (config, string, error) {
	var cfg config
	cfg.Defaults("127.0.0.1:8081", 65536, "casework_complaints")
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework complaints service"}
	help, err := conf.Parse("COMPLAINTS", &cfg)
	shown, err := bootstrap.Parsed(os.Stdout, "COMPLAINTS", &cfg, cfg.Auth, help, err)
	return cfg, shown, err
}
