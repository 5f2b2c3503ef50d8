package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"casework.dev/pkg/telemetry"

	"casework.dev/pkg/messaging"
	"casework.dev/services/delivery/internal/app"
	"casework.dev/services/delivery/internal/domain"
)

// Headers the complaints relay sets on every disclosure: both carry the disclosure id.
const (
	headerWatermillUUID = "_watermill_message_uuid"
	headerMsgID         = "Nats-Msg-Id"
)

// ConsumerConfig describes one partner's durable consumer on one share stream.
type ConsumerConfig struct {
	Stream  string
	Partner domain.Partner
	// AckWait must exceed the HTTP timeout, or the broker redelivers a message while it is
	// still being posted.
	AckWait       time.Duration
	MaxAckPending int
	// ErrorDelay is the wait before a message whose attempt could not be recorded (database
	// down) comes back.
	ErrorDelay time.Duration
	Logger     *slog.Logger
}

// ProvisionConsumer creates or updates the durable pull consumer explicitly, as the case
// service that owns the stream provisions it (messaging.WebhookReader).
func ProvisionConsumer(ctx context.Context, js jetstream.JetStream, cfg ConsumerConfig) (jetstream.Consumer, error) {
	c, err := js.CreateOrUpdateConsumer(ctx, cfg.Stream, messaging.WebhookReader(cfg.Partner.ID, cfg.AckWait, cfg.MaxAckPending))
	if err != nil {
		return nil, fmt.Errorf("provision consumer %s on %s: %w", messaging.WebhookReaderName(cfg.Partner.ID), cfg.Stream, err)
	}
	return c, nil
}

// Consume provisions the consumer on an existing stream (messaging.WaitForStream) and delivers its
// messages until ctx ends. A provisioning failure is retried, and logged when it changes.
func Consume(ctx context.Context, js jetstream.JetStream, svc *app.Service, cfg ConsumerConfig) error {
	log := cfg.Logger.With("stream", cfg.Stream, "partner", cfg.Partner.ID)
	var cons jetstream.Consumer
	lastErr := ""
	for wait := 100 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
		var err error
		if cons, err = ProvisionConsumer(ctx, js, cfg); err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		if err.Error() != lastErr {
			log.Warn("consumer not provisioned yet; retrying", "err", err, "retry_in", wait)
		}
		lastErr = err.Error()
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
	cc, err := cons.Consume(func(m jetstream.Msg) { handle(ctx, svc, cfg, log, m) },
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			if ctx.Err() == nil {
				log.Warn("consume", "err", err)
			}
		}))
	if err != nil {
		return fmt.Errorf("consume %s on %s: %w", messaging.WebhookReaderName(cfg.Partner.ID), cfg.Stream, err)
	}
	log.Info("delivering")
	<-ctx.Done()
	cc.Stop()
	<-cc.Closed()
	return nil
}

func handle(ctx context.Context, svc *app.Service, cfg ConsumerConfig, log *slog.Logger, m jetstream.Msg) {
	d := disclosureOf(cfg.Stream, cfg.Partner.ID, m)
	// Continue the trace of the request that made the disclosure (the relay's headers).
	ctx, span := tracer.Start(telemetry.Propagation.Extract(ctx, telemetry.NATSHeaderCarrier(m.Headers())), "deliver to "+cfg.Partner.ID,
		trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attribute.String("messaging.message.id", d.ID)))
	defer span.End()
	out, err := svc.Deliver(ctx, d)
	if err != nil {
		if ctx.Err() != nil {
			return // shutting down: the broker redelivers after AckWait
		}
		log.Error("delivery not recorded; will retry", "disclosure", d.ID, "err", err)
		_ = m.NakWithDelay(cfg.ErrorDelay)
		return
	}
	attrs := []any{"disclosure", d.ID, "outcome", out.What, "attempt", out.Attempt}
	if out.Verdict == app.RetryLater {
		attrs = append(attrs, "retry_in", out.Delay.String(), "wait", out.WaitReason)
	}
	log.Info("delivery", attrs...)
	countAttempt(cfg.Partner.ID, out.What, out.Attempt)
	span.SetAttributes(attribute.String("casework.delivery.outcome", out.What))
	if out.Verdict == app.RetryLater {
		countWait(cfg.Partner.ID, out.WaitReason)
		if err := m.NakWithDelay(out.Delay); err != nil {
			log.Warn("nak", "disclosure", d.ID, "err", err) // AckWait brings it back anyway
		}
		return
	}
	if err := m.DoubleAck(ctx); err != nil {
		// Redelivery is harmless: the log says it is delivered or dead-lettered.
		log.Warn("ack", "disclosure", d.ID, "err", err)
	}
}

// disclosureOf reads the disclosure id from the relay's headers, else from the payload,
// else names the message by its stream position so even a malformed one is logged and
// dead-lettered rather than lost.
func disclosureOf(stream, partner string, m jetstream.Msg) domain.Disclosure {
	d := domain.Disclosure{Partner: partner, Subject: m.Subject(), Body: m.Data()}
	if d.ID = m.Headers().Get(headerWatermillUUID); d.ID != "" {
		return d
	}
	if d.ID = m.Headers().Get(headerMsgID); d.ID != "" {
		return d
	}
	var payload struct {
		DisclosureID string `json:"disclosure_id"`
	}
	if json.Unmarshal(m.Data(), &payload) == nil && payload.DisclosureID != "" {
		d.ID = payload.DisclosureID
		return d
	}
	if meta, err := m.Metadata(); err == nil {
		d.ID = stream + ":" + strconv.FormatUint(meta.Sequence.Stream, 10)
	}
	return d
}
