package webhook_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"casework.dev/pkg/webhook"
)

// The test vector published with the Standard Webhooks specification (and Svix's docs).
const (
	specSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTimestamp = 1614265330
	specBody      = `{"test": 2432232314}`
	specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var specTime = time.Unix(specTimestamp, 0)

func specHeaders(sig string) http.Header {
	h := http.Header{}
	h.Set(webhook.HeaderID, specID)
	h.Set(webhook.HeaderTimestamp, strconv.Itoa(specTimestamp))
	h.Set(webhook.HeaderSignature, sig)
	return h
}

func TestSignMatchesSpecVector(t *testing.T) {
	got, err := webhook.Sign(specSecret, specID, specTime, []byte(specBody))
	if err != nil {
		t.Fatal(err)
	}
	if got != specSignature {
		t.Fatalf("signature %q, want %q", got, specSignature)
	}
}

func TestVerifySpecVector(t *testing.T) {
	if err := webhook.Verify(specSecret, specHeaders(specSignature), []byte(specBody), specTime, 0); err != nil {
		t.Fatalf("spec vector refused: %v", err)
	}
	// The prefix is optional, as in the reference libraries.
	if err := webhook.Verify(specSecret[len("whsec_"):], specHeaders(specSignature), []byte(specBody), specTime, 0); err != nil {
		t.Fatalf("spec vector without prefix refused: %v", err)
	}
}

func TestHeadersRoundTrip(t *testing.T) {
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"disclosure_id":"d-1"}`)
	h, err := webhook.Headers(secret, "d-1", now, body)
	if err != nil {
		t.Fatal(err)
	}
	if h.Get(webhook.HeaderID) != "d-1" || h.Get(webhook.HeaderTimestamp) != "1800000000" {
		t.Fatalf("headers %v", h)
	}
	if err := webhook.Verify(secret, h, body, now.Add(4*time.Minute), 0); err != nil {
		t.Fatalf("own signature refused: %v", err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	body := []byte(specBody)
	other, _ := webhook.NewSecret()
	cases := []struct {
		name    string
		secret  string
		headers http.Header
		body    []byte
		now     time.Time
		want    error
	}{
		{"tampered body", specSecret, specHeaders(specSignature), []byte(`{"test": 2432232315}`), specTime, webhook.ErrNoMatchingSig},
		{"other secret", other, specHeaders(specSignature), body, specTime, webhook.ErrNoMatchingSig},
		{"tampered id", specSecret, func() http.Header { h := specHeaders(specSignature); h.Set(webhook.HeaderID, "msg_other"); return h }(), body, specTime, webhook.ErrNoMatchingSig},
		{"too old", specSecret, specHeaders(specSignature), body, specTime.Add(5*time.Minute + time.Second), webhook.ErrTimestampTolerance},
		{"from the future", specSecret, specHeaders(specSignature), body, specTime.Add(-5*time.Minute - time.Second), webhook.ErrTimestampTolerance},
		{"no signature", specSecret, func() http.Header { h := specHeaders(specSignature); h.Del(webhook.HeaderSignature); return h }(), body, specTime, webhook.ErrMissingHeaders},
		{"bad timestamp", specSecret, func() http.Header {
			h := specHeaders(specSignature)
			h.Set(webhook.HeaderTimestamp, "yesterday")
			return h
		}(), body, specTime, webhook.ErrInvalidTimestamp},
		{"wrong version", specSecret, specHeaders("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), body, specTime, webhook.ErrNoMatchingSig},
		{"bad secret", "whsec_not base64!", specHeaders(specSignature), body, specTime, webhook.ErrInvalidSecret},
		{"short secret", "whsec_c2hvcnQ=", specHeaders(specSignature), body, specTime, webhook.ErrInvalidSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := webhook.Verify(c.secret, c.headers, c.body, c.now, 0)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
		})
	}
}

func TestVerifyAcceptsAnyOfSeveralSignatures(t *testing.T) {
	// During secret rotation a sender signs with both keys; any match is enough.
	sigs := "v1a,aW52YWxpZA== v1,Zm9vYmFy " + specSignature
	if err := webhook.Verify(specSecret, specHeaders(sigs), []byte(specBody), specTime, 0); err != nil {
		t.Fatalf("list with a matching signature refused: %v", err)
	}
	if err := webhook.Verify(specSecret, specHeaders("v1,Zm9vYmFy v1,YmFyYmF6"), []byte(specBody), specTime, 0); !errors.Is(err, webhook.ErrNoMatchingSig) {
		t.Fatalf("list without a match: %v", err)
	}
}

func TestVerifyHonoursTolerance(t *testing.T) {
	now := specTime.Add(time.Hour)
	if err := webhook.Verify(specSecret, specHeaders(specSignature), []byte(specBody), now, 2*time.Hour); err != nil {
		t.Fatalf("within a 2h tolerance: %v", err)
	}
	if err := webhook.Verify(specSecret, specHeaders(specSignature), []byte(specBody), now, 30*time.Minute); !errors.Is(err, webhook.ErrTimestampTolerance) {
		t.Fatalf("outside a 30m tolerance: %v", err)
	}
}

// A receiver can tell a stale message (a replay, or one delayed past the tolerance) from a
// sender whose clock is ahead, and from a bad signature.
func TestVerifySaysWhichSideOfTheToleranceATimestampIs(t *testing.T) {
	h := specHeaders(specSignature)
	for _, c := range []struct {
		name       string
		now        time.Time
		want, not  error
		wantDetail string
	}{
		{"six minutes old", specTime.Add(6 * time.Minute), webhook.ErrTimestampStale, webhook.ErrTimestampFuture,
			"webhook: timestamp outside tolerance: stale timestamp: sent 2021-02-25T15:02:10Z, now 2021-02-25T15:08:10Z"},
		{"six minutes ahead", specTime.Add(-6 * time.Minute), webhook.ErrTimestampFuture, webhook.ErrTimestampStale,
			"webhook: timestamp outside tolerance: timestamp in the future: sent 2021-02-25T15:02:10Z, now 2021-02-25T14:56:10Z"},
	} {
		err := webhook.Verify(specSecret, h, []byte(specBody), c.now, 0)
		if !errors.Is(err, c.want) || !errors.Is(err, webhook.ErrTimestampTolerance) || errors.Is(err, c.not) || errors.Is(err, webhook.ErrNoMatchingSig) {
			t.Errorf("%s: err = %v, want %v (and ErrTimestampTolerance)", c.name, err, c.want)
		}
		if err != nil && err.Error() != c.wantDetail {
			t.Errorf("%s: err = %q\nwant %q", c.name, err, c.wantDetail)
		}
	}
}
