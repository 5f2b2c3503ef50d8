package httpserver

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"casework.dev/pkg/telemetry"
)

// Trace starts a server span per request, continuing a caller's W3C trace context, and
// names it by the route pattern that served it (never the path, which holds ids). It is
// part of Base; without a configured exporter its spans cost next to nothing.
func Trace(next http.Handler) http.Handler {
	tracer := telemetry.Tracer("casework.dev/pkg/httpserver")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := telemetry.Propagation.Extract(r.Context(), telemetry.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method)))
		defer span.End()
		route := routeHolder(ctx)
		if route == nil {
			route = new(string)
			ctx = context.WithValue(ctx, routeKey{}, route)
		}
		sw := wrapWriter(w)
		next.ServeHTTP(sw, r.WithContext(ctx))
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		if *route != "" {
			span.SetName(*route)
			span.SetAttributes(attribute.String("http.route", *route))
		}
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
	})
}

func routeHolder(ctx context.Context) *string {
	route, _ := ctx.Value(routeKey{}).(*string)
	return route
}

// withRouteHolder gives r a place for the pattern its Mux will match, unless it has one.
func withRouteHolder(r *http.Request) *http.Request {
	if routeHolder(r.Context()) != nil {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), routeKey{}, new(string)))
}

// RouteOf is the pattern that served r so far, or "unmatched": what a log line names the
// request by, never its path.
func RouteOf(r *http.Request) string {
	if route := routeHolder(r.Context()); route != nil && *route != "" {
		return *route
	}
	return unmatchedRoute
}
