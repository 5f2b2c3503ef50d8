// Package adapters connects the delivery use cases to Postgres, HTTP and JetStream.
package adapters

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// replyExcerpt is how much of a failing reply is kept as the reason: enough to diagnose,
// too little to store a partner's page.
const replyExcerpt = 200

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
	res, err := p.client.Do(req)
	if err != nil {
		var msg string
		if errors.Is(err, context.DeadlineExceeded) {
			msg = "timed out: " + err.Error()
		} else {
			msg = err.Error()
		}
		return domain.Result{Err: msg, Duration: time.Since(start)}
	}
	defer res.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(res.Body, replyExcerpt))
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // let the connection be reused
	r := domain.Result{StatusCode: res.StatusCode, Duration: time.Since(start)}
	if !r.Delivered() {
		r.Err = clean(excerpt)
	}
	return r
}

// clean keeps printable text on one line.
func clean(b []byte) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "")), " ")
}
