package messaging_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

// TestOneTraceSpansTheRequestTheRelayAndTheConsumer follows a request that commits an
// event through the outbox row's metadata, the relay's NATS headers and the consumer; the
// row's companion is published in the same trace.
func TestOneTraceSpansTheRequestTheRelayAndTheConsumer(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	otel.SetTracerProvider(tp) // this package's only test that traces: the global provider is set once
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	applied := make(chan trace.SpanContext, 1)
	c, err := messaging.NewConsumer(ctx, f.nats.JS, f.db, messaging.ConsumerConfig{
		Name: "tracer", Stream: "TEST", FilterSubject: "test.case.received", NATSURL: f.nats.URL, DeadLetterSubject: "deadletter.test.tracer",
		Registerer: prometheus.NewRegistry(),
	}, func(ctx context.Context, _ *sqlx.Tx, _ *message.Message) error {
		applied <- trace.SpanContextFromContext(ctx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	<-c.Running()

	mux := httpserver.NewMux(nil, nil)
	mux.Handle("POST /cases", func(w http.ResponseWriter, r *http.Request) error {
		var st postgres.Statement
		msg, err := messaging.NewMessage("test.case.received", map[string]string{"reference": "CASE-1"})
		if err != nil {
			return err
		}
		status, err := messaging.NewMessage("test.case.status", map[string]string{"status": "open"})
		if err != nil {
			return err
		}
		msg.Companions = []messaging.Message{status}
		if err := messaging.AddToOutboxStatement(&st, "true", msg); err != nil {
			return err
		}
		var one int
		if err := st.Get(r.Context(), f.db, &one, "SELECT 1"); err != nil {
			return err
		}
		return httpserver.WriteJSON(w, http.StatusCreated, map[string]string{"id": msg.ID})
	})
	srv := httptest.NewServer(httpserver.Chain(mux, httpserver.Trace))
	defer srv.Close()
	testkit.Must(t, http.StatusCreated, srv.URL, "POST", "/cases", "", nil)

	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()}), 1)
	var consumed trace.SpanContext
	select {
	case consumed = <-applied:
	case <-time.After(10 * time.Second):
		t.Fatal("the consumer did not apply the event")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans.GetSpans() {
		byName[s.Name] = s
	}
	server, publish, consume := byName["POST /cases"], byName["publish test.case.received"], byName["consume tracer"]
	if !server.SpanContext.IsValid() || !publish.SpanContext.IsValid() || !consume.SpanContext.IsValid() {
		t.Fatalf("spans: %v", names(spans.GetSpans()))
	}
	traceID := server.SpanContext.TraceID()
	if publish.SpanContext.TraceID() != traceID || consume.SpanContext.TraceID() != traceID || consumed.TraceID() != traceID {
		t.Fatalf("not one trace: server %s, publish %s, consume %s, handler %s", traceID, publish.SpanContext.TraceID(),
			consume.SpanContext.TraceID(), consumed.TraceID())
	}
	if publish.Parent.SpanID() != server.SpanContext.SpanID() || consume.Parent.SpanID() != publish.SpanContext.SpanID() ||
		consumed.SpanID() != consume.SpanContext.SpanID() {
		t.Fatalf("chain broken: publish's parent %s (server %s), consume's parent %s (publish %s)",
			publish.Parent.SpanID(), server.SpanContext.SpanID(), consume.Parent.SpanID(), publish.SpanContext.SpanID())
	}
	if companion := byName["publish test.case.status"]; companion.SpanContext.TraceID() != traceID ||
		companion.Parent.SpanID() != server.SpanContext.SpanID() || companion.SpanKind != trace.SpanKindProducer {
		t.Fatalf("companion's publish span: trace %s parent %s kind %v, want in the request's trace under it",
			companion.SpanContext.TraceID(), companion.Parent.SpanID(), companion.SpanKind)
	}
	if server.SpanKind != trace.SpanKindServer || publish.SpanKind != trace.SpanKindProducer || consume.SpanKind != trace.SpanKindConsumer {
		t.Fatalf("kinds %v %v %v", server.SpanKind, publish.SpanKind, consume.SpanKind)
	}
}

func names(spans tracetest.SpanStubs) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name
	}
	return out
}
