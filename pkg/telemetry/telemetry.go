// Package telemetry carries OpenTelemetry traces across Casework: from the HTTP request
// that changed a case, through the outbox row (trace context kept in its metadata) and
// the NATS headers the relay publishes, to the consumer and the webhook post. Tracing is
// off unless the standard OTEL_ variables ask for an exporter; spans then go by OTLP to
// the endpoint those variables name. Spans carry routes, subjects and ids: never a body.
package telemetry

import (
	"context"
	"errors"
	"fmt"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// Propagation is W3C Trace Context (traceparent, tracestate) and nothing else: baggage
// could carry anything, personal data included.
var Propagation propagation.TextMapPropagator = propagation.TraceContext{}

// Tracer is the named tracer of the process's provider (a no-op until Setup enables one).
func Tracer(name string) trace.Tracer { return otel.Tracer(name) }

// Config says whether to export and as which service.
type Config struct {
	Service string
	Enabled bool
}

// EnabledBy reads the standard variables through getenv (os.Getenv in a command): on when
// OTEL_TRACES_EXPORTER is otlp or an OTLP endpoint is set, unless OTEL_SDK_DISABLED is
// true or OTEL_TRACES_EXPORTER is none.
func EnabledBy(getenv func(string) string) bool {
	if getenv("OTEL_SDK_DISABLED") == "true" || getenv("OTEL_TRACES_EXPORTER") == "none" {
		return false
	}
	return getenv("OTEL_TRACES_EXPORTER") == "otlp" || getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" ||
		getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Setup installs an OTLP/HTTP exporter (configured by the OTEL_EXPORTER_OTLP_* variables,
// which the exporter reads) when cfg.Enabled; shutdown flushes it.
func Setup(ctx context.Context, cfg Config) (shutdown func(context.Context) error, err error) {
	if !cfg.Enabled {
		return func(context.Context) error { return nil }, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("telemetry: otlp exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(cfg.Service)))
	if err != nil && !errors.Is(err, resource.ErrSchemaURLConflict) {
		return nil, fmt.Errorf("telemetry: resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// MapCarrier adapts string maps (outbox metadata, watermill metadata) to propagation.
type MapCarrier = propagation.MapCarrier

// HeaderCarrier adapts HTTP headers (canonical names) to propagation.
type HeaderCarrier = propagation.HeaderCarrier

// NATSHeaderCarrier adapts NATS headers, whose names keep their case ("traceparent" as
// the outbox metadata wrote it), to propagation.
type NATSHeaderCarrier map[string][]string

// Get returns the first value of key.
func (c NATSHeaderCarrier) Get(key string) string {
	if v := c[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Set replaces key's values.
func (c NATSHeaderCarrier) Set(key, value string) { c[key] = []string{value} }

// Keys lists the header names.
func (c NATSHeaderCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}
