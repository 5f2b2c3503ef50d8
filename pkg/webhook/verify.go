package webhook

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far the timestamp may be from the receiver's clock when Verify is
// given no tolerance: the spec's suggested five minutes.
const DefaultTolerance = 5 * time.Minute

// Errors Verify returns; each is wrapped with detail.
var (
	ErrMissingHeaders     = errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature")
	ErrInvalidTimestamp   = errors.New("webhook: invalid timestamp")
	ErrTimestampTolerance = errors.New("webhook: timestamp outside tolerance")
	ErrNoMatchingSig      = errors.New("webhook: no matching signature")
	// ErrTimestampStale (sent longer ago than the tolerance: a replay or a delay) and
	// ErrTimestampFuture (a sender's clock ahead) say which side; both are also
	// ErrTimestampTolerance.
	ErrTimestampStale  = fmt.Errorf("%w: stale timestamp", ErrTimestampTolerance)
	ErrTimestampFuture = fmt.Errorf("%w: timestamp in the future", ErrTimestampTolerance)
)

// Verify checks that body was signed with secret: the timestamp must be within tolerance
// of now (DefaultTolerance when zero), and one of the space-separated v1 signatures must
// match. Comparison is constant-time.
func Verify(secret string, headers http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	id, timestamp, sigs := headers.Get(HeaderID), headers.Get(HeaderTimestamp), headers.Get(HeaderSignature)
	if id == "" || timestamp == "" || sigs == "" {
		return ErrMissingHeaders
	}
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrInvalidTimestamp, timestamp)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	sent := time.Unix(secs, 0)
	var outside error
	switch {
	case sent.Before(now.Add(-tolerance)):
		outside = ErrTimestampStale
	case sent.After(now.Add(tolerance)):
		outside = ErrTimestampFuture
	}
	if outside != nil {
		return fmt.Errorf("%w: sent %s, now %s", outside, sent.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	want := []byte(mac(key, id, timestamp, body))
	for _, sig := range strings.Fields(sigs) {
		version, value, ok := strings.Cut(sig, ",")
		if !ok || version != signatureVersion {
			continue // other schemes (v1a asymmetric) are not ours to check
		}
		if hmac.Equal([]byte(value), want) {
			return nil
		}
	}
	return ErrNoMatchingSig
}
