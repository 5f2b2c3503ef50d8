package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"casework.dev/pkg/partners"
	"casework.dev/pkg/webhook"
)

const partnersFile = "../../../contracts/partners.yaml"

func envMap(env []string) map[string]string {
	out := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func TestDeliveryGetsEveryWebhookPartnerOfThePartnersFile(t *testing.T) {
	dir, err := partners.Load(partnersFile)
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	hooks, err := prepareWebhooks(data, partnersFile, "127.0.0.1:8089")
	if err != nil {
		t.Fatal(err)
	}
	env := envMap(deliveryWebhookEnv(hooks, func(string) string { return "" }))

	var want []string
	for _, p := range dir.ByDelivery(partners.Webhook) {
		want = append(want, p.ID+"|http://127.0.0.1:8089/hooks/"+p.ID+"|"+p.Webhook.SecretEnv)
	}
	if len(want) < 2 {
		t.Fatalf("partners file has %d webhook partners", len(want))
	}
	if got := strings.Split(env["DELIVERY_WEBHOOKS"], ";"); !reflect.DeepEqual(got, want) {
		t.Fatalf("DELIVERY_WEBHOOKS\n got %v\nwant %v", got, want)
	}
	seen := map[string]bool{}
	for _, p := range dir.ByDelivery(partners.Webhook) {
		secret := env[p.Webhook.SecretEnv]
		if key, err := webhook.ParseSecret(secret); err != nil || len(key) != 32 {
			t.Fatalf("%s secret %q: %d bytes, %v", p.ID, secret, len(key), err)
		}
		if seen[secret] {
			t.Fatalf("%s shares its secret with another partner", p.ID)
		}
		seen[secret] = true
	}
	if len(env) != len(want)+1 {
		t.Fatalf("%d variables, want %d: %v", len(env), len(want)+1, env)
	}

	// Stable across restarts of the stack (same data directory), different per checkout.
	again, err := prepareWebhooks(data, partnersFile, "127.0.0.1:8089")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.secrets, hooks.secrets) {
		t.Fatal("secrets changed across a restart")
	}
	other, err := prepareWebhooks(t.TempDir(), partnersFile, "127.0.0.1:8089")
	if err != nil {
		t.Fatal(err)
	}
	if other.secrets["viking-oak"] == hooks.secrets["viking-oak"] {
		t.Fatal("two checkouts derived the same secret")
	}

	// A developer's own DELIVERY_WEBHOOKS wins: the stack adds nothing.
	if got := deliveryWebhookEnv(hooks, func(k string) string { return map[string]string{"DELIVERY_WEBHOOKS": "x|y|Z"}[k] }); got != nil {
		t.Fatalf("with DELIVERY_WEBHOOKS set the stack added %v", got)
	}
}

// recorder collects what the receiver prints.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) print(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{}, r.lines...)
}

func post(t *testing.T, url string, h http.Header, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestDevReceiverChecksEachPartnersSignature(t *testing.T) {
	hooks, err := prepareWebhooks(t.TempDir(), partnersFile, "unused")
	if err != nil {
		t.Fatal(err)
	}
	var out recorder
	now := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	rc := newReceiver(hooks, out.print)
	rc.now = func() time.Time { return now }
	srv := httptest.NewServer(rc)
	defer srv.Close()
	url := srv.URL + "/hooks/subject-of-complaint"

	body := []byte(`{"recipient":"subject-of-complaint"}`)
	signed, err := webhook.Headers(hooks.secrets["subject-of-complaint"], "msg-1", now, body)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := webhook.Headers(hooks.secrets["viking-oak"], "msg-2", now, body)
	if err != nil {
		t.Fatal(err)
	}
	stale, err := webhook.Headers(hooks.secrets["subject-of-complaint"], "msg-3", now.Add(-6*time.Minute), body)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		url  string
		h    http.Header
		body []byte
		want int
	}{
		{"signed", url, signed, body, http.StatusNoContent},
		{"the same id again", url, signed, body, http.StatusNoContent},
		{"body changed", url, signed, []byte(`{"recipient":"someone-else"}`), http.StatusUnauthorized},
		{"another partner's secret", url, otherKey, body, http.StatusUnauthorized},
		{"six minutes old", url, stale, body, http.StatusUnauthorized},
		{"unsigned", url, http.Header{}, body, http.StatusUnauthorized},
		{"not a webhook partner", srv.URL + "/hooks/lgo", signed, body, http.StatusNotFound},
	} {
		if got := post(t, c.url, c.h, c.body); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	lines := out.all()
	if len(lines) != 6 || lines[0] != `subject-of-complaint: msg-1 signature verified, 36 bytes: {"recipient":"subject-of-complaint"}` ||
		lines[1] != "subject-of-complaint: msg-1 again (a retry), already stored" || !strings.HasPrefix(lines[2], "subject-of-complaint: refused msg-1: ") {
		t.Fatalf("printed %q", lines)
	}
	// Each refusal says why, so a partner's developer knows whether to fix the key, the clock
	// or the headers.
	for i, want := range map[int]string{
		2: "subject-of-complaint: refused msg-1: bad signature (webhook: no matching signature)",
		3: "subject-of-complaint: refused msg-2: bad signature (webhook: no matching signature)",
		4: "subject-of-complaint: refused msg-3: stale timestamp (webhook: timestamp outside tolerance: stale timestamp: sent 2026-11-22T06:54:00Z, now 2026-11-22T07:00:00Z)",
		5: "subject-of-complaint: refused : missing webhook-id, webhook-timestamp or webhook-signature (webhook: missing webhook-id, webhook-timestamp or webhook-signature)",
	} {
		if lines[i] != want {
			t.Errorf("line %d = %q\nwant       %q", i, lines[i], want)
		}
	}
	future, err := webhook.Headers(hooks.secrets["subject-of-complaint"], "msg-4", now.Add(6*time.Minute), body)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		h    http.Header
		want string
	}{{stale, "stale timestamp\n"}, {future, "timestamp in the future\n"}, {otherKey, "bad signature\n"}} {
		if status, answer := postReading(t, url, c.h, body); status != http.StatusUnauthorized || answer != c.want {
			t.Errorf("answered %d %q, want 401 %q", status, answer, c.want)
		}
	}
}

func postReading(t *testing.T, url string, h http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h.Clone()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// The quick start's shell check, pasted as printed and pasted again, is accepted each time;
// a changed body and a stale timestamp are not, each refused for its own reason.
func TestQuickStartShellSignatureCheck(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "openssl", "base64", "od"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed: run deploy/local/shelltools.sh (make test does)", tool)
		}
	}
	hooks, err := prepareWebhooks(t.TempDir(), partnersFile, "unused")
	if err != nil {
		t.Fatal(err)
	}
	var out recorder
	srv := httptest.NewServer(newReceiver(hooks, out.print))
	defer srv.Close()
	hooks.baseURL = srv.URL + "/hooks"

	var script []string
	for _, l := range strings.Split(hooks.quickStart(partnersFile, "http://127.0.0.1:8082"), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "export ") || strings.HasPrefix(l, "HOOK_ID=") || strings.HasPrefix(l, "HOOK_SIG=") ||
			strings.HasPrefix(l, "curl -s -i "+hooks.baseURL) {
			script = append(script, l)
		}
	}
	if len(script) != 6 {
		t.Fatalf("shell lines %q", script)
	}
	pasted := strings.Join(script, "\n")
	got, err := exec.Command("bash", "-c", pasted+"\n"+pasted).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	if n := strings.Count(string(got), "HTTP/1.1 204"); n != 2 {
		t.Errorf("%d answers 204, want one per paste:\n%s", n, got)
	}
	if n := strings.Count(string(got), "HTTP/1.1 401"); n != 4 {
		t.Errorf("%d answers 401, want two per paste:\n%s", n, got)
	}
	lines := out.all()
	if len(lines) != 6 {
		t.Fatalf("receiver printed %q", lines)
	}
	ids := map[string]bool{}
	for paste := range 2 {
		verified, forged, stale := lines[3*paste], lines[3*paste+1], lines[3*paste+2]
		id, _, _ := strings.Cut(strings.TrimPrefix(verified, "subject-of-complaint: "), " ")
		ids[id] = true
		if !strings.HasPrefix(id, "msg_") || verified != "subject-of-complaint: "+id+` signature verified, 19 bytes: {"hello":"partner"}` ||
			!strings.HasPrefix(forged, "subject-of-complaint: refused "+id+": bad signature (") ||
			!strings.HasPrefix(stale, "subject-of-complaint: refused "+id+": stale timestamp (") {
			t.Errorf("paste %d: receiver printed %q", paste+1, lines[3*paste:3*paste+3])
		}
	}
	if len(ids) != 2 {
		t.Errorf("both pastes sent message ids %v, want a new one each time", ids)
	}
}
