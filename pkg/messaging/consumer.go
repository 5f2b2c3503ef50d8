package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"

	"casework.dev/pkg/postgres"
)

// Handler applies one event inside tx. The consumer commits tx together with the record
// that the event was processed, so a redelivered event changes nothing twice.
type Handler func(ctx context.Context, tx *sqlx.Tx, msg *message.Message) error

// ErrPermanent marks a failure no retry can mend (a malformed event): it goes straight to
// the dead-letter subject.
var ErrPermanent = errors.New("permanent failure")

// ConsumerConfig describes one durable consumer.
type ConsumerConfig struct {
	Name              string // durable consumer name, also the key in processed_events
	Stream            string
	FilterSubject     string
	NATSURL           string
	NATSOptions       []nats.Option
	DeadLetterSubject string // where poisoned messages go, with the reason in their headers
	// PersonalData says the messages carry personal data (disclosures on a share stream): a
	// dead letter then keeps the message's headers (event id, subject, reason) without its
	// body, which a dead-letter stream would otherwise hold beyond the notice's retention
	// and every erasure. The source service's outbox and disclosure log still have it.
	PersonalData  bool
	MaxRetries    int // default 5, doubling from RetryInterval (default 500ms)
	RetryInterval time.Duration
	AckWait       time.Duration // default 30s
	Logger        *slog.Logger
	// Registerer receives the consumer's metrics; default prometheus.DefaultRegisterer.
	Registerer prometheus.Registerer
}

func (c *ConsumerConfig) defaults() error {
	if c.Name == "" || c.Stream == "" || c.FilterSubject == "" || c.NATSURL == "" || c.DeadLetterSubject == "" {
		return errors.New("consumer needs Name, Stream, FilterSubject, NATSURL and DeadLetterSubject")
	}
	// Defaults ride out a short database or broker blip (about 15 s of retries) before a
	// message is judged poison.
	if c.MaxRetries <= 0 {
		c.MaxRetries = 5
	}
	if c.RetryInterval <= 0 {
		c.RetryInterval = 500 * time.Millisecond
	}
	if c.AckWait <= 0 {
		c.AckWait = defaultAckWait
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Registerer == nil {
		c.Registerer = prometheus.DefaultRegisterer
	}
	return nil
}

const defaultAckWait = 30 * time.Second

// pushConsumer is the durable push consumer the router reads, delivered to a queue group
// named after it.
func (c ConsumerConfig) pushConsumer() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:        c.Name,
		DeliverSubject: "_deliver." + c.Stream + "." + c.Name,
		DeliverGroup:   c.Name,
		FilterSubject:  c.FilterSubject,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        c.AckWait,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		MaxAckPending:  1024,
	}
}

// Consumer runs a watermill router over one durable JetStream consumer, with Recoverer,
// Retry and PoisonQueue middleware and Postgres-backed deduplication.
type Consumer struct {
	router *message.Router
	closer []func() error
}

// NewConsumer provisions the durable push consumer explicitly, then wires the router.
func NewConsumer(ctx context.Context, js jetstream.JetStream, db *sqlx.DB, cfg ConsumerConfig, h Handler) (*Consumer, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if _, err := js.CreateOrUpdatePushConsumer(ctx, cfg.Stream, cfg.pushConsumer()); err != nil {
		return nil, fmt.Errorf("provision consumer %s on %s: %w", cfg.Name, cfg.Stream, err)
	}

	logger := watermill.NewSlogLogger(cfg.Logger)
	natsOptions := append(ConnectOptions(), cfg.NATSOptions...)
	sub, err := wnats.NewSubscriber(wnats.SubscriberConfig{
		URL:              cfg.NATSURL,
		NatsOptions:      natsOptions,
		QueueGroupPrefix: cfg.Name,
		SubscribersCount: 1,
		AckWaitTimeout:   cfg.AckWait,
		Unmarshaler:      &wnats.NATSMarshaler{},
		JetStream: wnats.JetStreamConfig{
			DurableCalculator: func(string, string) string { return cfg.Name },
			SubscribeOptions:  []nats.SubOpt{nats.BindStream(cfg.Stream), nats.ManualAck()},
		},
	}, logger)
	if err != nil {
		return nil, fmt.Errorf("subscriber %s: %w", cfg.Name, err)
	}
	pub, err := wnats.NewPublisher(wnats.PublisherConfig{
		URL:         cfg.NATSURL,
		NatsOptions: natsOptions,
		Marshaler:   &wnats.NATSMarshaler{},
		JetStream:   wnats.JetStreamConfig{TrackMsgID: true},
	}, logger)
	if err != nil {
		sub.Close()
		return nil, fmt.Errorf("dead-letter publisher %s: %w", cfg.Name, err)
	}

	router, err := message.NewRouter(message.RouterConfig{}, logger)
	if err != nil {
		return nil, err
	}
	var deadLetters message.Publisher = pub
	if cfg.PersonalData {
		deadLetters = withoutPayload{pub}
	}
	poison, err := middleware.PoisonQueue(deadLetters, cfg.DeadLetterSubject)
	if err != nil {
		return nil, err
	}
	metrics := newConsumerMetrics(cfg.Registerer)
	retry := middleware.Retry{
		OnRetryHook:     func(int, time.Duration) { metrics.retries.WithLabelValues(cfg.Name).Inc() },
		MaxRetries:      cfg.MaxRetries,
		InitialInterval: cfg.RetryInterval,
		Multiplier:      2,
		ShouldRetry:     func(p middleware.RetryParams) bool { return !errors.Is(p.Err, ErrPermanent) },
		Logger:          logger,
	}
	// Outermost first: a message whose retries are spent (or that panicked every time)
	// lands on the dead-letter subject and the stream moves on.
	router.AddMiddleware(poison, metrics.countDeadLetters(cfg.Name), retry.Middleware, middleware.Recoverer)
	router.AddConsumerHandler(cfg.Name, cfg.FilterSubject, sub, idempotent(db, cfg.Name, h))

	return &Consumer{router: router, closer: []func() error{pub.Close}}, nil
}

// Run processes messages until ctx ends.
func (c *Consumer) Run(ctx context.Context) error {
	defer func() {
		for _, f := range c.closer {
			_ = f()
		}
	}()
	return c.router.Run(ctx)
}

// Running is closed once the router is consuming.
func (c *Consumer) Running() chan struct{} { return c.router.Running() }

func idempotent(db *sqlx.DB, consumer string, h Handler) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		if msg.UUID == "" {
			return fmt.Errorf("message without an event id: %w", ErrPermanent)
		}
		ctx, span := consumeSpan(consumer, msg)
		err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, consumer, msg.UUID)
			if err != nil {
				return fmt.Errorf("record processed event %s: %w", msg.UUID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				span.SetAttributes(attribute.Bool("casework.duplicate", true))
				return nil // already applied: acknowledge and change nothing
			}
			return h(ctx, tx, msg)
		})
		endSpan(span, err)
		return err
	}
}

// withoutPayload publishes messages with their headers only (PersonalData).
type withoutPayload struct{ message.Publisher }

// HeaderPayloadWithheld marks a dead letter whose body was left out: it carried personal data.
const HeaderPayloadWithheld = "payload_withheld"

func (p withoutPayload) Publish(topic string, msgs ...*message.Message) error {
	bare := make([]*message.Message, len(msgs))
	for i, m := range msgs {
		bare[i] = message.NewMessage(m.UUID, nil)
		for k, v := range m.Metadata {
			bare[i].Metadata.Set(k, v)
		}
		bare[i].Metadata.Set(HeaderPayloadWithheld, "personal data")
	}
	return p.Publisher.Publish(topic, bare...)
}
