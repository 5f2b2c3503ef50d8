package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"

	"casework.dev/services/delivery/internal/service"
)

// config is read once, from DELIVERY_* environment variables or flags, and printed at
// start with secrets masked.
type config struct {
	conf.Version
	bootstrap.Settings
	// Webhooks lists the partners that receive by webhook, each "id|url|SECRET_ENV": the
	// partner id as in share.<id>.>, its endpoint, and the environment variable holding
	// its "whsec_..." secret (never the secret itself, so it is not printed).
	Webhooks []string `conf:"help:partners as id|url|SECRET_ENV separated by ;"`
	// Streams are the share streams to read; none set: every case service's in
	// contracts/services.yaml, so a new case service needs no setting here.
	Streams []string `conf:"help:share streams to read separated by ; (default: every case service's in contracts/services.yaml)"`
	Retry   struct {
		MaxAttempts    int           `conf:"default:8"`
		InitialBackoff time.Duration `conf:"default:2s"`
		MaxBackoff     time.Duration `conf:"default:10m"`
		// MaxRetryAfter caps a partner's Retry-After, which may exceed MaxBackoff; see
		// domain.RetryPolicy.MaxRetryAfter.
		MaxRetryAfter time.Duration `conf:"default:1h,help:longest wait a partner's Retry-After may ask for"`
		HTTPTimeout   time.Duration `conf:"default:10s"`
	}
	// DeadLetters: a dead letter keeps the disclosure's content only for Retention after
	// delivery gave up; the sweep, every SweepInterval, then erases it (keeping the metadata)
	// and a retry is refused: the source service must disclose again.
	DeadLetters struct {
		Retention     time.Duration `conf:"default:720h,help:how long a dead letter keeps the disclosure's content after delivery gave up (30 days)"`
		SweepInterval time.Duration `conf:"default:1h,help:how often dead letters' content past the retention is erased"`
		SweepBatch    int           `conf:"default:200,help:dead letters one sweep statement erases"`
	}
}

// webhookPartners parses DELIVERY_WEBHOOKS, reading each secret from the variable named.
func webhookPartners(specs []string, getenv func(string) string) ([]service.WebhookPartner, error) {
	var out []service.WebhookPartner
	for _, spec := range specs {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		parts := strings.Split(spec, "|")
		if len(parts) != 3 {
			return nil, fmt.Errorf("config: webhook %q: want id|url|SECRET_ENV", spec)
		}
		secret := getenv(parts[2])
		if secret == "" {
			return nil, fmt.Errorf("config: webhook %s: secret variable %s is empty", parts[0], parts[2])
		}
		out = append(out, service.WebhookPartner{ID: parts[0], URL: parts[1], Secret: secret})
	}
	return out, nil
}

// shareStreams are the streams configured, else every case service's share stream from the
// services list.
func shareStreams(configured []string) ([]string, error) {
	if len(configured) > 0 {
		return configured, nil
	}
	list, err := contracts.Services()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return list.ShareStreams(), nil
}
