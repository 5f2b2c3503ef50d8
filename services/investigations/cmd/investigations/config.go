package main

import (
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from INVESTIGATIONS_* environment variables or flags, and printed
// at start with secrets masked: what every case service reads, and the investigations' own.
type config struct {
	conf.Version
	bootstrap.CaseService
	ASBReview struct {
		Threshold int           `conf:"default:3,help:reports about one location or person that trigger an ASB case review (0: off)"`
		Within    time.Duration `conf:"default:4392h,help:the period the reports must fall in (default about 6 months)"`
	}
}

func parseConfig() (config, string, error) {
	var cfg config
	cfg.Defaults("127.0.0.1:8083", 262144, "casework_investigations")
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework community protection investigations service"}
	help, err := conf.Parse("INVESTIGATIONS", &cfg)
	shown, err := bootstrap.Parsed(os.Stdout, "INVESTIGATIONS", &cfg, cfg.Auth, help, err)
	return cfg, shown, err
}
