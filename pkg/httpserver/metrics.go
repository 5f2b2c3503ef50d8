package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/telemetry"
)

// httpMetrics are every service's request counts and latencies, labelled by the route
// pattern that served the request (never the path, which holds ids) and the status.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) httpMetrics {
	return httpMetrics{
		requests: telemetry.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casework_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "code"})),
		duration: telemetry.Register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "casework_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"})),
	}
}

// routeKey holds where the innermost Mux that matched a request writes its pattern.
type routeKey struct{}

// unmatchedRoute labels requests no pattern matched (404s and 405s), so a scan of random
// paths cannot grow the metric.
const unmatchedRoute = "unmatched"

// Metrics counts requests and observes their latency in reg, by route pattern and status.
// It is part of Base, so every service has it.
func Metrics(reg prometheus.Registerer) Middleware {
	m := newHTTPMetrics(reg)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := wrapWriter(w)
			r = withRouteHolder(r) // LogRequests' or Trace's, when they run outside
			route := routeHolder(r.Context())
			next.ServeHTTP(sw, r)
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			label := *route
			if label == "" {
				label = unmatchedRoute
			}
			m.requests.WithLabelValues(r.Method, label, strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(r.Method, label).Observe(time.Since(start).Seconds())
		})
	}
}

// noteRoute records the pattern a Mux matched; an inner Mux overwrites an outer one's.
func noteRoute(r *http.Request, pattern string) {
	if route, ok := r.Context().Value(routeKey{}).(*string); ok && pattern != "" {
		*route = pattern
	}
}
