// Package service assembles the publication decisions service from its parts, so the
// binary and the integration tests start exactly the same thing.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/postgres"
	"casework.dev/services/publication/internal/adapters"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/ports"
)

// Migrations are the publication database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: migrations.Publication(), VersionTable: "goose_publication"},
	}
}

// LoadNotice reads the notice to enforce: a file when one is named, else the contract.
func LoadNotice(file string) (*notice.Notice, []byte, error) {
	raw, err := contracts.Notice("publication")
	if file != "" {
		raw, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("publication notice: %w", err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("publication notice: %w", err)
	}
	return n, raw, nil
}

// Recipient is the publication service's recipient id in the notices and the partners file
// (delivery internal): it reads share.publication-service.> from the share streams.
const Recipient = "publication-service"

// ConsumerName is its durable consumer on the investigations share stream, by the council's
// convention for internal readers (the investigations service provisions it too, so no
// conviction is lost before this service first starts), and the key of its processed events.
var ConsumerName = messaging.InternalReaderName(Recipient)

// Config is everything the service needs, already opened.
type Config struct {
	DB       *sqlx.DB
	NATS     *nats.Conn
	NATSURL  string        // the consumer opens its own connections
	NATSOpts []nats.Option // e.g. the service's user and password
	Clock    calendar.Clock
	Calendar *calendar.Calendar
	Notice   *notice.Notice
	// NoticeYAML is served at /notice.yaml.
	NoticeYAML        []byte
	Auth              httpserver.AuthConfig
	MaxBodyBytes      int64
	Relay             messaging.RelayConfig
	StreamReplicas    int
	ShareMaxAge       time.Duration
	PublicationMonths int
	// ConvictionsStream holds the investigations service's disclosures (INVESTIGATIONS_SHARE).
	ConvictionsStream string
	ConsumerRetry     time.Duration // first wait between consumer retries; default 500ms
	TakedownInterval  time.Duration
	RetentionInterval time.Duration
	SweepBatch        int
	Logger            *slog.Logger
}

// Service is the assembled publication service.
type Service struct {
	App     *app.Service
	Handler http.Handler
	relay   *messaging.Relay
	js      jetstream.JetStream
	cfg     Config
}

// New provisions the service's streams and wires the use cases, the relay and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SweepBatch <= 0 {
		cfg.SweepBatch = 200
	}
	if cfg.ConvictionsStream == "" {
		cfg.ConvictionsStream = "INVESTIGATIONS_SHARE"
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := messaging.EnsureStreams(ctx, js, messaging.ServiceStreams("publication", cfg.StreamReplicas, cfg.ShareMaxAge)...); err != nil {
		return nil, err
	}
	if err := partners.ProvisionReaders(ctx, js, "publication", contracts.Partners(), cfg.Notice.RecipientIDs()); err != nil {
		return nil, err
	}
	cfg.Relay.Logger = cfg.Logger
	relay := messaging.NewRelay(cfg.DB, js, cfg.Relay)
	repo := adapters.NewRepository(cfg.DB, relay)
	svc, err := app.NewService(repo, cfg.Calendar, cfg.Clock, cfg.Notice, func() string { return uuid.Must(uuid.NewV7()).String() },
		app.Config{PublicationMonths: cfg.PublicationMonths})
	if err != nil {
		return nil, err
	}

	spec, err := contracts.OpenAPI("publication")
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	handler := ports.NewHTTPHandler(ports.HTTPConfig{
		Service: svc, Auth: guards.Auth, Validator: guards.Validator, Spec: spec, NoticeYAML: cfg.NoticeYAML,
		MaxBodyBytes: cfg.MaxBodyBytes, Logger: cfg.Logger, Metrics: promhttp.Handler(),
		Ready: bootstrap.Ready(cfg.DB, cfg.NATS),
	})
	return &Service{App: svc, Handler: handler, relay: relay, js: js, cfg: cfg}, nil
}

// RunBackground relays the outbox, consumes conviction disclosures and runs the takedown
// and retention sweeps until ctx ends.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.relay.Run(ctx) })
	g.Go(func() error { return s.consumeConvictions(ctx) })
	g.Go(func() error {
		return bootstrap.Every(ctx, s.cfg.TakedownInterval, func() {
			if n, err := s.App.SweepTakedowns(ctx, s.cfg.SweepBatch); err != nil {
				s.cfg.Logger.Error("takedown sweep", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("takedown sweep", "taken_down", n)
			}
		})
	})
	g.Go(func() error {
		return bootstrap.Every(ctx, s.cfg.RetentionInterval, func() {
			if n, err := s.App.SweepRetention(ctx, s.cfg.SweepBatch); err != nil {
				s.cfg.Logger.Error("retention sweep", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("retention sweep", "erased", n)
			}
		})
	})
	return g.Wait()
}

// consumeConvictions provisions the durable consumer, waiting for the investigations
// service to create its share stream (it may start later), then applies each disclosure
// exactly once.
func (s *Service) consumeConvictions(ctx context.Context) error {
	cfg := messaging.ConsumerConfig{Name: ConsumerName, Stream: s.cfg.ConvictionsStream, FilterSubject: messaging.ShareFilter(Recipient),
		NATSURL: s.cfg.NATSURL, NATSOptions: s.cfg.NATSOpts, DeadLetterSubject: "deadletter.publication.convictions",
		RetryInterval: s.cfg.ConsumerRetry, Logger: s.cfg.Logger}
	for wait := 100 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
		c, err := messaging.NewConsumer(ctx, s.js, s.cfg.DB, cfg, adapters.ConvictionHandler(s.App))
		if err == nil {
			return c.Run(ctx)
		}
		s.cfg.Logger.Warn("conviction consumer not provisioned yet", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}
