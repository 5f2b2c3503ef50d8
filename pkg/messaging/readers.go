package messaging

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// A share stream uses interest retention: a disclosure that no consumer is interested in
// when it arrives is dropped at once. So the service that owns the stream also provisions
// the durable consumer of each reader inside the council (a council service, or the webhook
// delivery worker) with exactly the configuration that reader gives it: a disclosure sent
// before its reader first starts waits for it, for at most the stream's MaxAge.

// ShareFilter selects one recipient's disclosures on any share stream: share.<recipient>.>.
func ShareFilter(recipient string) string { return "share." + recipient + ".>" }

// InternalReaderName is the durable consumer, on every share stream, of the council service
// that reads recipient's disclosures (partners file: delivery internal), e.g.
// internal-publication-service. With NewConsumer it is also the key of its processed events.
func InternalReaderName(recipient string) string { return "internal-" + recipient }

// InternalReader is the consumer NewConsumer provisions for the council service reading
// recipient's disclosures on stream, when that service keeps the default AckWait.
func InternalReader(stream, recipient string) jetstream.ConsumerConfig {
	return ConsumerConfig{Name: InternalReaderName(recipient), Stream: stream, FilterSubject: ShareFilter(recipient),
		AckWait: defaultAckWait}.pushConsumer()
}

// WebhookReaderName is the delivery worker's durable consumer of a webhook partner's
// disclosures on every share stream, e.g. webhook-viking-oak.
func WebhookReaderName(partner string) string { return "webhook-" + partner }

// The delivery worker's defaults: AckWait outlasts two attempts of its default 10 s HTTP
// timeout, so a message is never redelivered while it may still be in flight.
const (
	DefaultWebhookAckWait       = 2*10*time.Second + 5*time.Second
	DefaultWebhookMaxAckPending = 256
)

// WebhookReader is the delivery worker's durable pull consumer of partner's disclosures; a
// zero ackWait or maxAckPending takes the worker's default. MaxDeliver is unbounded because
// the worker's attempt log, not the broker, bounds the attempts: a crash or a database
// outage must not use them up.
func WebhookReader(partner string, ackWait time.Duration, maxAckPending int) jetstream.ConsumerConfig {
	if ackWait <= 0 {
		ackWait = DefaultWebhookAckWait
	}
	if maxAckPending <= 0 {
		maxAckPending = DefaultWebhookMaxAckPending
	}
	return jetstream.ConsumerConfig{
		Durable:       WebhookReaderName(partner),
		Description:   "webhook delivery to " + partner,
		FilterSubject: ShareFilter(partner),
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		MaxDeliver:    -1,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxAckPending: maxAckPending,
	}
}

// EnsureConsumers creates each durable consumer on stream that does not exist yet. One that
// exists is left as it is: it is its reader's, and the reader's own configuration wins.
func EnsureConsumers(ctx context.Context, js jetstream.JetStream, stream string, cfgs ...jetstream.ConsumerConfig) error {
	for _, cfg := range cfgs {
		var err error
		if cfg.DeliverSubject != "" {
			_, err = js.CreatePushConsumer(ctx, stream, cfg)
		} else {
			_, err = js.CreateConsumer(ctx, stream, cfg)
		}
		if err != nil && !errors.Is(err, jetstream.ErrConsumerExists) {
			return fmt.Errorf("provision consumer %s on %s: %w", cfg.Durable, stream, err)
		}
	}
	return nil
}
