package messaging

import (
	"context"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"casework.dev/pkg/telemetry"
)

var tracer = telemetry.Tracer("casework.dev/pkg/messaging")

// startPublishSpan continues the trace the outbox row carries (the request that committed
// it) with a producer span, and puts that span's context in the message's headers for
// the consumer to continue. A row without one starts no span.
func (r *Relay) startPublishSpan(ctx context.Context, msg *nats.Msg) trace.Span {
	parent := telemetry.Propagation.Extract(ctx, telemetry.NATSHeaderCarrier(msg.Header))
	if !trace.SpanContextFromContext(parent).IsValid() {
		return nil
	}
	spanCtx, span := tracer.Start(parent, "publish "+msg.Subject, trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(attribute.String("messaging.system", "nats"), attribute.String("messaging.destination.name", msg.Subject),
			attribute.String("messaging.message.id", msg.Header.Get(HeaderEventID))))
	telemetry.Propagation.Inject(spanCtx, telemetry.NATSHeaderCarrier(msg.Header))
	return span
}

func endSpan(span trace.Span, err error) {
	if span == nil {
		return
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// consumeSpan continues the trace a message's headers carry with a consumer span.
func consumeSpan(consumer string, msg *message.Message) (context.Context, trace.Span) {
	parent := telemetry.Propagation.Extract(msg.Context(), telemetry.MapCarrier(msg.Metadata))
	return tracer.Start(parent, "consume "+consumer, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.String("messaging.system", "nats"), attribute.String("messaging.consumer.group.name", consumer),
			attribute.String("messaging.message.id", msg.UUID)))
}
