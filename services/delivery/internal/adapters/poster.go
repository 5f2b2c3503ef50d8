// Package adapters connects the delivery use cases to Postgres, HTTP and JetStream.
package adapters

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"casework.dev/pkg/telemetry"
	"casework.dev/services/delivery/internal/domain"
)

// HTTPPoster posts webhooks. It never follows redirects: a redirect would send personal
// data to an address nobody approved, so a 3xx counts as a failure.
type HTTPPoster struct {
	client *http.Client
}

// NewHTTPPoster uses timeout for each whole request.
func NewHTTPPoster(timeout time.Duration) *HTTPPoster {
	return &HTTPPoster{client: &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Post sends body with headers and reports what came back.
func (p *HTTPPoster) Post(ctx context.Context, url string, headers http.Header, body []byte) domain.Result {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return domain.Result{Err: err.Error()}
	}
	req.Header = headers.Clone()
	req.Header.Set("User-Agent", "casework-delivery/1")
	ctx, span := tracer.Start(ctx, "POST webhook", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("server.address", req.URL.Host)))
	defer span.End()
	telemetry.Propagation.Inject(ctx, telemetry.HeaderCarrier(req.Header)) // a partner may continue the trace
	res, err := p.client.Do(req.WithContext(ctx))
	if err != nil {
		span.SetStatus(codes.Error, "no response")
		var msg string
		if errors.Is(err, context.DeadlineExceeded) {
			msg = "timed out: " + err.Error()
		} else {
			msg = err.Error()
		}
		return domain.Result{Err: msg, Duration: time.Since(start)}
	}
	defer res.Body.Close()
	// The reply's body is not kept: a partner's validation error may echo the disclosure,
	// and attempts and dead letters must hold no personal data. The status says enough.
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // let the connection be reused
	span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
	if res.StatusCode >= 300 {
		span.SetStatus(codes.Error, res.Status)
	}
	result := domain.Result{StatusCode: res.StatusCode, Duration: time.Since(start)}
	if res.StatusCode >= 300 {
		// Read on every failed answer, not only 429 and 503 (RFC 6585 section 4, RFC 9110
		// section 10.2.3): each is retried anyway, the header can only lengthen the wait (up
		// to the policy's cap), and a partner's gateway may send it with a 502 or 504 too.
		result.RetryAfter = parseRetryAfter(res.Header.Get("Retry-After"))
	}
	return result
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 section
// 10.2.3). Anything else, a negative number among it, is ignored (zero). A delay too large
// to hold is kept as the longest one: the policy caps it anyway.
func parseRetryAfter(v string) domain.RetryAfter {
	v = strings.TrimSpace(v)
	if v == "" {
		return domain.RetryAfter{}
	}
	// ParseUint takes no sign, so "-5" and "+5" are refused, as the grammar (1*DIGIT) does.
	secs, err := strconv.ParseUint(v, 10, 64)
	switch {
	case err == nil && secs <= math.MaxInt64/uint64(time.Second):
		return domain.RetryAfter{Delay: time.Duration(secs) * time.Second}
	case err == nil || errors.Is(err, strconv.ErrRange):
		return domain.RetryAfter{Delay: math.MaxInt64}
	}
	if at, err := http.ParseTime(v); err == nil {
		return domain.RetryAfter{At: at}
	}
	return domain.RetryAfter{}
}
