package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"casework.dev/pkg/partners"
	"casework.dev/pkg/webhook"
)

// devWebhooks is the local stack's webhook partners: every webhook partner of the partners
// file, each with a dev secret, all posting to the dev receiver instead of the partner's
// real endpoint (which does not exist on a developer's machine).
type devWebhooks struct {
	partners []partners.Partner
	secrets  map[string]string // partner id -> whsec_ secret
	baseURL  string            // the dev receiver; partner <id> posts to baseURL/<id>
}

// prepareWebhooks derives each webhook partner's dev secret from a secret kept per checkout,
// so secrets stay the same across restarts, as the NATS dev passwords do.
func prepareWebhooks(dataDir, partnersPath, receiverAddr string) (devWebhooks, error) {
	dir, err := partners.Load(partnersPath)
	if err != nil {
		return devWebhooks{}, err
	}
	seed, err := devSigningKey(filepath.Join(dataDir, "webhook-dev-secret"))
	if err != nil {
		return devWebhooks{}, err
	}
	w := devWebhooks{partners: dir.ByDelivery(partners.Webhook), secrets: map[string]string{},
		baseURL: "http://" + receiverAddr + "/hooks"}
	for _, p := range w.partners {
		mac := hmac.New(sha256.New, []byte(seed))
		mac.Write([]byte("webhook secret " + p.ID))
		w.secrets[p.ID] = webhook.SecretPrefix + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return w, nil
}

// env is the delivery worker's partner list (DELIVERY_WEBHOOKS, id|url|SECRET_ENV; lists are
// separated by ";" in ardanlabs/conf v3) and each secret in the variable partners.yaml names
// for it.
func (w devWebhooks) env() []string {
	var specs, out []string
	for _, p := range w.partners {
		specs = append(specs, p.ID+"|"+w.url(p.ID)+"|"+p.Webhook.SecretEnv)
		out = append(out, p.Webhook.SecretEnv+"="+w.secrets[p.ID])
	}
	return append(out, "DELIVERY_WEBHOOKS="+strings.Join(specs, ";"))
}

func (w devWebhooks) url(id string) string { return w.baseURL + "/" + id }

// receiver is the dev stand-in for every webhook partner: it checks each request's
// signature with that partner's secret, as a partner must, prints what arrived, and answers
// 204 so the worker records the delivery. A retry of an id already seen is answered 204 and
// printed as a duplicate.
type receiver struct {
	secrets map[string]string
	now     func() time.Time
	print   func(format string, args ...any)
	mu      sync.Mutex
	seen    map[string]bool
}

func newReceiver(w devWebhooks, print func(format string, args ...any)) *receiver {
	return &receiver{secrets: w.secrets, now: time.Now, print: print, seen: map[string]bool{}}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutPrefix(r.URL.Path, "/hooks/")
	secret, known := rc.secrets[id]
	if !ok || !known || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	// The exact bytes received, before any decoding.
	if err := webhook.Verify(secret, r.Header, body, rc.now(), webhook.DefaultTolerance); err != nil {
		reason := refusal(err)
		rc.print("%s: refused %s: %s (%v)", id, r.Header.Get(webhook.HeaderID), reason, err)
		http.Error(w, reason, http.StatusUnauthorized)
		return
	}
	msgID := r.Header.Get(webhook.HeaderID)
	rc.mu.Lock()
	dup := rc.seen[id+" "+msgID]
	rc.seen[id+" "+msgID] = true
	rc.mu.Unlock()
	if dup {
		rc.print("%s: %s again (a retry), already stored", id, msgID)
	} else {
		rc.print("%s: %s signature verified, %d bytes: %s", id, msgID, len(body), body)
	}
	w.WriteHeader(http.StatusNoContent)
}

// refusal is what the receiver answers for each way a request fails verification: a
// partner's developer needs to know whether to fix the clock, the headers or the key.
func refusal(err error) string {
	switch {
	case errors.Is(err, webhook.ErrTimestampStale):
		return "stale timestamp"
	case errors.Is(err, webhook.ErrTimestampFuture):
		return "timestamp in the future"
	case errors.Is(err, webhook.ErrMissingHeaders):
		return "missing webhook-id, webhook-timestamp or webhook-signature"
	case errors.Is(err, webhook.ErrInvalidTimestamp):
		return "invalid timestamp"
	}
	return "bad signature"
}

// serveReceiver serves h on ln until the returned stop is called.
func serveReceiver(ln net.Listener, h http.Handler) (stop func()) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("devstack: webhook receiver:", err)
		}
	}()
	return func() { _ = srv.Close() }
}

// quickStart shows how the webhook partners are wired and how a receiver checks a signature.
func (w devWebhooks) quickStart(partnersPath, deliveryURL string) string {
	var ids []string
	for _, p := range w.partners {
		ids = append(ids, p.ID)
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("Webhook partners (from %s): %s", partnersPath, strings.Join(ids, ", "))
	line("  The delivery worker posts each of their disclosures, signed (Standard Webhooks), to the dev receiver")
	line("  %s/<partner>, which checks the signature with that partner's secret and prints it as [webhook-receiver].", w.baseURL)
	line("  Step 4 above shared with subject-of-complaint (consented): its post shows there. A receiver of your own")
	line("  verifies webhook-signature = v1,base64(HMAC-SHA256(key, webhook-id.webhook-timestamp.body)), key = the")
	line("  base64 after whsec_ (docs/webhooks.md). The subject-of-complaint dev secret, and its signature check by hand:")
	if p, ok := w.first("subject-of-complaint"); ok {
		line("  export %s=%s", p.Webhook.SecretEnv, w.secrets[p.ID])
		line(`  HOOK_ID=msg_$(date +%%s%%N) HOOK_TS=$(date +%%s) HOOK_BODY='{"hello":"partner"}'`)
		line(`  HOOK_SIG=$(printf '%%s' "$HOOK_ID.$HOOK_TS.$HOOK_BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '%%s' "${%s#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n') -binary | base64)`, p.Webhook.SecretEnv)
		line(`  curl -s -i %s -H "webhook-id: $HOOK_ID" -H "webhook-timestamp: $HOOK_TS" -H "webhook-signature: v1,$HOOK_SIG" -d "$HOOK_BODY"   # 204`, w.url(p.ID))
		line(`  curl -s -i %s -H "webhook-id: $HOOK_ID" -H "webhook-timestamp: $HOOK_TS" -H "webhook-signature: v1,$HOOK_SIG" -d '{"hello":"forged"}'   # 401 bad signature`, w.url(p.ID))
		line(`  curl -s -i %s -H "webhook-id: $HOOK_ID" -H "webhook-timestamp: $((HOOK_TS-600))" -H "webhook-signature: v1,$HOOK_SIG" -d "$HOOK_BODY"   # 401 stale timestamp`, w.url(p.ID))
	}
	if deliveryURL != "" {
		line("  Dead letters (a partner that never answered 2xx), managers only:")
		line(`  curl -s %s/dead-letters -H "Authorization: Bearer $MANAGER"`, deliveryURL)
	}
	line("")
	return b.String()
}

func (w devWebhooks) first(id string) (partners.Partner, bool) {
	for _, p := range w.partners {
		if p.ID == id {
			return p, true
		}
	}
	return partners.Partner{}, false
}

// deliveryWebhookEnv is the delivery worker's webhook settings, unless the developer set
// DELIVERY_WEBHOOKS to point partners at a receiver of their own.
func deliveryWebhookEnv(w devWebhooks, getenv func(string) string) []string {
	if getenv("DELIVERY_WEBHOOKS") != "" {
		return nil
	}
	return w.env()
}
