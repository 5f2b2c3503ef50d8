package natsaccounts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// asManager connects as the managers' user; async errors (permission violations) arrive
// on the returned channel.
func (s *stack) asManager(t *testing.T, opts ...nats.Option) (*nats.Conn, <-chan error) {
	t.Helper()
	errs := make(chan error, 16)
	nc := s.connect(t, manager.Name, manager.Password.Value, append(opts, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case errs <- err:
		default:
		}
	}))...)
	return nc, errs
}

func TestManagerReceivesEveryStatusEventAndNothingElse(t *testing.T) {
	s := startStack(t, alpha)
	nc, _ := s.asManager(t)
	sub, err := nc.SubscribeSync("status.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}

	// The services publish status through JetStream (the relay), domain events and
	// disclosures alike; only the status reaches the manager.
	js := s.council(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "COMPLAINTS_STATUS", Subjects: []string{"status.complaints.>"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "COMPLAINTS_EVENTS", Subjects: []string{"complaints.events.>"}}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ subject, body string }{
		{"complaints.events.stage1.received", `{"event":1}`},
		{"share." + alpha + ".complaints.complaint_handling", `{"name":"Ada"}`},
		{"status.complaints.stage1", `{"ref":"C-1","status":"received"}`},
	} {
		if _, err := js.Publish(ctx, m.subject, []byte(m.body)); err != nil {
			t.Fatalf("publish %s: %v", m.subject, err)
		}
	}
	// A status published on core NATS (no stream) arrives too.
	council := s.connect(t, "complaints", councilPassword)
	if err := council.Publish("status.investigations.opened", []byte(`{"ref":"I-1"}`)); err != nil {
		t.Fatal(err)
	}

	var got []string
	for range 2 {
		m, err := sub.NextMsg(5 * time.Second)
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		got = append(got, m.Subject+" "+string(m.Data))
	}
	want := []string{`status.complaints.stage1 {"ref":"C-1","status":"received"}`, `status.investigations.opened {"ref":"I-1"}`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("manager received %v\nwant %v", got, want)
	}
	if m, err := sub.NextMsg(200 * time.Millisecond); !errors.Is(err, nats.ErrTimeout) {
		t.Errorf("manager also received %v (err %v)", m, err)
	}
}

func TestManagerMaySubscribeOnlyToStatus(t *testing.T) {
	s := startStack(t, alpha)
	nc, _ := s.asManager(t, nats.PermissionErrOnSubscribe(true))
	for _, subject := range []string{">", "share.>", "share." + alpha + ".>", "complaints.events.>", "deadletter.>", "$JS.API.>", "_INBOX.>"} {
		sub, err := nc.SubscribeSync(subject)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sub.NextMsg(5 * time.Second)
		want := fmt.Sprintf("nats: permissions violation: Permissions Violation for Subscription to %q", subject)
		if err == nil || err.Error() != want {
			t.Errorf("subscribe %s: err = %v, want %s", subject, err, want)
		}
	}
}

func TestManagerMayNotPublishOrUseJetStream(t *testing.T) {
	s := startStack(t, alpha)
	nc, errs := s.asManager(t)
	for _, subject := range []string{"status.complaints.stage1", "complaints.events.stage1.received", "share." + alpha + ".complaints.forged", "$JS.API.INFO"} {
		if err := nc.Publish(subject, []byte("forged")); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("nats: permissions violation: Permissions Violation for Publish to %q", subject)
		if err := nextError(t, errs); err.Error() != want {
			t.Errorf("publish %s: err = %v, want %s", subject, err, want)
		}
	}

	// No JetStream API: reading the status stream's history, or the account, is refused.
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.council(t).CreateStream(context.Background(), jetstream.StreamConfig{Name: "COMPLAINTS_STATUS", Subjects: []string{"status.complaints.>"}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what, subject string
		call          func(ctx context.Context) error
	}{
		{"account info", "$JS.API.INFO", func(ctx context.Context) error { _, err := js.AccountInfo(ctx); return err }},
		{"read the status stream", "$JS.API.STREAM.INFO.COMPLAINTS_STATUS", func(ctx context.Context) error {
			_, err := js.Stream(ctx, "COMPLAINTS_STATUS")
			return err
		}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.call(ctx)
		cancel()
		// The server drops a refused request, so the caller hears no reply at all.
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want no reply (deadline exceeded)", c.what, err)
		}
		// The client's reply inbox is refused as well (once per connection), then the request.
		want := fmt.Sprintf("nats: permissions violation: Permissions Violation for Publish to %q", c.subject)
		err = nextError(t, errs)
		if strings.HasPrefix(err.Error(), `nats: permissions violation: Permissions Violation for Subscription to "_INBOX.`) {
			err = nextError(t, errs)
		}
		if err.Error() != want {
			t.Errorf("%s: server said %v, want %s", c.what, err, want)
		}
	}
	st, err := s.council(t).Stream(context.Background(), "COMPLAINTS_STATUS")
	if err != nil {
		t.Fatal(err)
	}
	if n := st.CachedInfo().State.Msgs; n != 0 {
		t.Errorf("status stream holds %d messages after the manager's attempts, want 0", n)
	}
}
