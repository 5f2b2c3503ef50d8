package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ardanlabs/conf/v3"
)

// config is read once, from INVESTIGATIONS_* environment variables or flags, and printed
// at start with secrets masked.
type config struct {
	conf.Version
	HTTP struct {
		Addr            string        `conf:"default:127.0.0.1:8083"`
		ReadTimeout     time.Duration `conf:"default:10s"`
		WriteTimeout    time.Duration `conf:"default:15s"`
		ShutdownTimeout time.Duration `conf:"default:20s"`
		MaxBodyBytes    int64         `conf:"default:262144"`
	}
	DB struct {
		Host         string `conf:"default:127.0.0.1"`
		Port         int    `conf:"default:54329"`
		User         string `conf:"default:casework"`
		Password     string `conf:"default:casework,mask"`
		Name         string `conf:"default:casework_investigations"`
		SSLMode      string `conf:"default:disable"`
		MaxOpenConns int    `conf:"default:32"`
	}
	NATS struct {
		URL         string        `conf:"default:nats://127.0.0.1:4222"`
		User        string        `conf:""`
		Password    string        `conf:"mask"`
		Replicas    int           `conf:"default:1"`
		ShareMaxAge time.Duration `conf:"default:168h"`
	}
	Auth struct {
		Issuer        string `conf:"default:casework-dev"`
		Audience      string `conf:"default:casework"`
		DevSigningKey string `conf:"mask,help:HS256 key of the local dev issuer (32+ bytes)"`
		OIDCIssuerURL string `conf:"help:the council's identity provider; replaces the dev issuer"`
	}
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
	Debug struct {
		Addr string `conf:"help:serve net/http/pprof here (e.g. 127.0.0.1:6062); off when empty"`
	}
	LogLevel string `conf:"default:info"`
}

func parseConfig() (config, string, error) {
	var cfg config
	cfg.Version = conf.Version{Build: "dev", Desc: "Casework community protection investigations service"}
	help, err := conf.Parse("INVESTIGATIONS", &cfg)
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(os.Stdout, help)
		os.Exit(0)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	if (cfg.Auth.DevSigningKey == "") == (cfg.Auth.OIDCIssuerURL == "") {
		return cfg, "", errors.New("config: set exactly one of INVESTIGATIONS_AUTH_DEV_SIGNING_KEY and INVESTIGATIONS_AUTH_OIDC_ISSUER_URL")
	}
	shown, err := conf.String(&cfg)
	if err != nil {
		return cfg, "", fmt.Errorf("config: %w", err)
	}
	return cfg, shown, nil
}
