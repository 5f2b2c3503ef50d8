// Package service assembles the delivery worker from its parts, so the binary and the
// integration tests start exactly the same thing.
package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/delivery/internal/adapters"
	"casework.dev/services/delivery/internal/app"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/ports"
)

// Migrations are the delivery database's migration sets. The worker writes no outbox: it
// only reads streams and logs what it did.
func Migrations() []postgres.Migration {
	return []postgres.Migration{{FS: migrations.Delivery(), VersionTable: "goose_delivery"}}
}

// WebhookPartner is one partner that receives by webhook, filled by the wiring (from the
// partners contract): its id as in share.<id>.>, its endpoint and its "whsec_..." secret.
type WebhookPartner struct {
	ID     string
	URL    string
	Secret string
}

// Config is everything the worker needs, already opened.
type Config struct {
	bootstrap.ServiceConfig
	Partners []WebhookPartner
	// Streams are the share streams to read, e.g. COMPLAINTS_SHARE (the binary reads every
	// case service's from contracts/services.yaml); one durable consumer per partner on each.
	Streams       []string
	Retry         domain.RetryPolicy // a zero MaxRetryAfter takes domain.DefaultMaxRetryAfter
	HTTPTimeout   time.Duration      // per attempt; default 10s
	MaxAckPending int                // per consumer; default messaging.DefaultWebhookMaxAckPending
	// DeadLetterRetention is how long a dead letter keeps the disclosure's body after
	// delivery gave up; default domain.DefaultBodyRetention (30 days).
	DeadLetterRetention time.Duration
	// SweepInterval is how often the retention sweep erases bodies past it; default 1h.
	SweepInterval time.Duration
	SweepBatch    int // bodies one sweep statement erases; default 200
	Now           func() time.Time
}

// Service is the assembled worker.
type Service struct {
	*bootstrap.Service
	App *app.Service
}

// New validates the partners and wires the use cases, the HTTP port, one durable consumer
// per partner and share stream, and the dead letters' retention sweep.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPTimeout <= 0 {
		cfg.HTTPTimeout = 10 * time.Second
	}
	if cfg.MaxAckPending <= 0 {
		cfg.MaxAckPending = messaging.DefaultWebhookMaxAckPending
	}
	if cfg.Retry.MaxRetryAfter == 0 {
		cfg.Retry.MaxRetryAfter = domain.DefaultMaxRetryAfter
	}
	if cfg.DeadLetterRetention == 0 {
		cfg.DeadLetterRetention = domain.DefaultBodyRetention
	}
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = time.Hour
	}
	if cfg.SweepBatch <= 0 {
		cfg.SweepBatch = 200
	}
	if len(cfg.Streams) == 0 {
		return nil, errors.New("delivery: no share streams to read")
	}
	base, err := bootstrap.NewService(ctx, "delivery", contracts.OpenAPI, cfg.ServiceConfig)
	if err != nil {
		return nil, err
	}
	cfg.ServiceConfig = base.Config
	partners := make([]domain.Partner, len(cfg.Partners))
	for i, p := range cfg.Partners {
		partners[i] = domain.Partner{ID: p.ID, URL: p.URL, Secret: p.Secret}
	}
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	svc, err := app.NewService(adapters.NewStore(cfg.DB), adapters.NewHTTPPoster(cfg.HTTPTimeout), partners, cfg.Retry,
		cfg.DeadLetterRetention, cfg.Now, newID)
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}
	base.Serve(bootstrap.Handler(bootstrap.HandlerConfig{API: ports.NewAPI(svc, cfg.Logger), MapError: ports.MapError,
		Guards: base.Guards, Roles: ports.Roles, Prefixes: []string{"/dead-letters"}, Logger: cfg.Logger,
		Operational: base.Operational()}))
	for _, stream := range cfg.Streams {
		base.Background(func(ctx context.Context) error { return consumeStream(ctx, base.JetStream, svc, stream, cfg) })
	}
	base.Background(func(ctx context.Context) error { return sweepDeadLetterBodies(ctx, svc, cfg) })
	return &Service{Service: base, App: svc}, nil
}

// sweepDeadLetterBodies runs the retention sweep every SweepInterval until ctx ends, as a
// case service runs its sweeps: each run erases batches until none is full; a failure is
// logged and tried again at the next interval.
func sweepDeadLetterBodies(ctx context.Context, svc *app.Service, cfg Config) error {
	return bootstrap.Every(ctx, cfg.SweepInterval, func() {
		total := 0
		for ctx.Err() == nil {
			n, err := svc.SweepDeadLetterBodies(ctx, cfg.SweepBatch)
			total += n
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					cfg.Logger.Error("dead letter retention sweep", "err", err)
				}
				break
			}
			if n < cfg.SweepBatch {
				break
			}
		}
		if total > 0 {
			cfg.Logger.Info("dead letter retention sweep", "erased", total, "retention", svc.Retention().String())
		}
	})
}

// consumeStream runs one durable consumer per partner on a share stream until ctx ends,
// once the stream exists.
func consumeStream(ctx context.Context, js jetstream.JetStream, svc *app.Service, stream string, cfg Config) error {
	if messaging.WaitForStream(ctx, js, stream, cfg.Logger); ctx.Err() != nil {
		return nil
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, p := range svc.Partners() {
		cc := adapters.ConsumerConfig{Stream: stream, Partner: p,
			// Never redeliver a message while it may still be in flight.
			AckWait:       2*cfg.HTTPTimeout + 5*time.Second,
			MaxAckPending: cfg.MaxAckPending, ErrorDelay: cfg.Retry.InitialBackoff, Logger: cfg.Logger}
		g.Go(func() error { return adapters.Consume(ctx, js, svc, cc) })
	}
	return g.Wait()
}
