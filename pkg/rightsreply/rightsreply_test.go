package rightsreply_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"casework.dev/pkg/rightsreply"
	"casework.dev/pkg/testkit"
)

type greeting struct {
	Name string `json:"name"`
}

type answer struct {
	Text     string `json:"text"`
	Instance string `json:"instance"`
}

// fakeService answers "greet", refuses "forbidden", and fails its first failures answers
// to "flaky" before it succeeds.
type fakeService struct {
	instance string
	calls    atomic.Int32
	failures atomic.Int32
}

func (f *fakeService) Answer(_ context.Context, verb string, body []byte) (any, error) {
	f.calls.Add(1)
	var g greeting
	if err := json.Unmarshal(body, &g); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	switch verb {
	case "greet":
		return answer{Text: "hello " + g.Name, Instance: f.instance}, nil
	case "forbidden":
		return nil, fmt.Errorf("wrapped: %w", &rightsreply.Refusal{Code: "legal_hold", Reason: "the record is under legal hold"})
	case "flaky":
		if f.failures.Add(-1) >= 0 {
			return nil, errors.New("database unavailable")
		}
		return answer{Text: "at last", Instance: f.instance}, nil
	case "panic":
		panic("boom")
	}
	return nil, errors.New("unreachable")
}

func serve(t *testing.T, nc *nats.Conn, f *fakeService) *rightsreply.Responder {
	t.Helper()
	r, err := rightsreply.Serve(nc, rightsreply.Config{Subject: "svc.test.*", Queue: "test-svc",
		Verbs: []string{"greet", "forbidden", "flaky", "panic"}}, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Stop() })
	return r
}

var quick = rightsreply.CallConfig{Timeout: 300 * time.Millisecond, Attempts: 3, Backoff: 10 * time.Millisecond}

func TestCallGetsTypedResult(t *testing.T) {
	n := testkit.NewNATS(t)
	f := &fakeService{instance: "a"}
	serve(t, n.Conn, f)
	got, err := rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.greet", greeting{Name: "Ann"}, quick)
	if err != nil || got != (answer{Text: "hello Ann", Instance: "a"}) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestRefusalIsTypedAndNotRetried(t *testing.T) {
	n := testkit.NewNATS(t)
	f := &fakeService{instance: "a"}
	serve(t, n.Conn, f)
	_, err := rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.forbidden", greeting{Name: "Ann"}, quick)
	var refusal *rightsreply.Refusal
	if !errors.As(err, &refusal) || *refusal != (rightsreply.Refusal{Code: "legal_hold", Reason: "the record is under legal hold"}) {
		t.Fatalf("err = %v, want the legal hold refusal", err)
	}
	if f.calls.Load() != 1 {
		t.Errorf("handler called %d times, want 1", f.calls.Load())
	}

	for _, tc := range []struct {
		subject string
		body    any
		code    string
	}{
		{"svc.test.unknown", greeting{}, rightsreply.CodeUnknownVerb},
		{"svc.test.greet", map[string]any{"name": 42}, rightsreply.CodeBadRequest},
	} {
		_, err := rightsreply.Call[answer](context.Background(), n.Conn, tc.subject, tc.body, quick)
		if !errors.As(err, &refusal) || refusal.Code != tc.code {
			t.Errorf("%s: err = %v, want refusal %s", tc.subject, err, tc.code)
		}
	}
	if f.calls.Load() != 2 {
		t.Errorf("handler called %d times: the unknown verb must not reach it", f.calls.Load())
	}
}

func TestFailureIsRetriedUntilAnswered(t *testing.T) {
	n := testkit.NewNATS(t)
	f := &fakeService{instance: "a"}
	f.failures.Store(2)
	serve(t, n.Conn, f)
	got, err := rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.flaky", greeting{}, quick)
	if err != nil || got.Text != "at last" || f.calls.Load() != 3 {
		t.Fatalf("got %+v, %v after %d calls", got, err, f.calls.Load())
	}
	f.failures.Store(5)
	_, err = rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.flaky", greeting{}, quick)
	if !errors.Is(err, rightsreply.ErrNoAnswer) {
		t.Errorf("err = %v, want ErrNoAnswer after 3 failures", err)
	}
	_, err = rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.panic", greeting{}, quick)
	if !errors.Is(err, rightsreply.ErrNoAnswer) {
		t.Errorf("panicking handler: err = %v, want ErrNoAnswer", err)
	}
}

func TestNoResponderThenOneComesBack(t *testing.T) {
	n := testkit.NewNATS(t)
	_, err := rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.greet", greeting{Name: "Ann"}, quick)
	if !errors.Is(err, rightsreply.ErrNoAnswer) || !errors.Is(err, nats.ErrNoResponders) {
		t.Fatalf("err = %v, want ErrNoAnswer wrapping no responders", err)
	}
	// The service comes up while a patient caller is still retrying. A silent listener shows
	// the caller has asked (and timed out) before the service is there.
	var asked atomic.Int32
	listener, err := n.Conn.Subscribe("svc.test.greet", func(*nats.Msg) { asked.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var got answer
	go func() {
		var err error
		got, err = rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.greet", greeting{Name: "Bo"},
			rightsreply.CallConfig{Timeout: 200 * time.Millisecond, Attempts: 50, Backoff: 20 * time.Millisecond})
		done <- err
	}()
	testkit.Eventually(t, 5*time.Second, "the caller to have asked twice", func() (bool, string) {
		return asked.Load() >= 2, fmt.Sprintf("%d requests", asked.Load())
	})
	_ = listener.Unsubscribe()
	serve(t, n.Conn, &fakeService{instance: "late"})
	if err := <-done; err != nil || got != (answer{Text: "hello Bo", Instance: "late"}) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// Instances in the queue group share the requests: each is answered once.
func TestQueueGroupSharesRequests(t *testing.T) {
	n := testkit.NewNATS(t)
	a, b := &fakeService{instance: "a"}, &fakeService{instance: "b"}
	serve(t, n.Conn, a)
	serve(t, n.Conn, b)
	var mu sync.Mutex
	seen := map[string]int{}
	for i := range 40 {
		got, err := rightsreply.Call[answer](context.Background(), n.Conn, "svc.test.greet", greeting{Name: fmt.Sprint(i)}, quick)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		seen[got.Instance]++
		mu.Unlock()
	}
	if a.calls.Load()+b.calls.Load() != 40 || seen["a"] != int(a.calls.Load()) || seen["b"] != int(b.calls.Load()) {
		t.Errorf("calls a=%d b=%d, answers %v", a.calls.Load(), b.calls.Load(), seen)
	}
	if a.calls.Load() == 0 || b.calls.Load() == 0 {
		t.Errorf("one instance did all the work: a=%d b=%d", a.calls.Load(), b.calls.Load())
	}
}

func TestCallStopsWhenContextEnds(t *testing.T) {
	n := testkit.NewNATS(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rightsreply.Call[answer](ctx, n.Conn, "svc.test.greet", greeting{}, quick); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
