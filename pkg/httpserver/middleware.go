package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws to h so that the first one is the outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

type requestIDKey struct{}

// RequestIDFrom returns the request id RequestID stored, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// RequestID echoes a well-formed incoming X-Request-Id, or generates one, and
// stores it in the request context. Ill-formed ids are replaced so a caller
// cannot inject text into the logs.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// LogRequests writes one info line per request: method, route, status, bytes, duration and
// request id. It never logs bodies, query strings or the path itself, any of which may hold
// personal data (an e-mail address typed where an id or a recipient goes): the route is
// the pattern that served the request ("POST /complaints/{id}/acknowledge"), as metrics
// and traces name it, and the request id leads to the rest.
func LogRequests(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := wrapWriter(w)
			r = withRouteHolder(r)
			defer func() {
				status := sw.status
				if status == 0 {
					status = http.StatusOK
				}
				log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
					slog.String("method", r.Method),
					slog.String("route", RouteOf(r)),
					slog.Int("status", status),
					slog.Int64("bytes", sw.bytes),
					slog.Duration("duration", time.Since(start)),
					slog.String("request_id", RequestIDFrom(r.Context())),
				)
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// Recover turns a panic into a 500 internal problem and logs it once, with
// its stack. http.ErrAbortHandler is re-panicked: it is net/http's way to
// abort a response on purpose.
func Recover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := wrapWriter(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
					slog.String("method", r.Method),
					slog.String("route", RouteOf(r)),
					slog.String("request_id", RequestIDFrom(r.Context())),
					slog.String("panic", fmt.Sprint(v)),
					slog.String("stack", string(debug.Stack())),
				)
				if !sw.written() {
					WriteProblem(sw, r, Internal())
				}
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// Base is the stack every service puts outermost: request id, answers private by default
// (privateByDefault), request log, a trace span, request metrics (in the default
// Prometheus registry, which /metrics serves), then panic
// recovery (inside the log, the span and the metrics so a recovered panic counts as a 500),
// then the refusal of requests framed in a way no handler reads as sent (RequestFraming) and
// of query parameters and headers that cannot be stored as sent.
func Base(log *slog.Logger) Middleware {
	metrics := Metrics(prometheus.DefaultRegisterer)
	return func(next http.Handler) http.Handler {
		return Chain(next, RequestID, privateByDefault, LogRequests(log), Trace, metrics, Recover(log), RequestFraming, StorableText, IfMatch)
	}
}

// privateByDefault marks every answer as not to be stored by any cache nor sniffed for
// another type: most carry personal data, and an answer that may be cached (the public
// register) says so itself, replacing the default.
func privateByDefault(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
