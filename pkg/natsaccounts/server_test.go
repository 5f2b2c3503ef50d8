package natsaccounts_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/natsserver"
)

// stack is a real nats-server running the generated configuration.
type stack struct {
	ns       *server.Server
	url      string
	dir      string
	store    string
	partners []natsaccounts.Partner
}

const councilPassword = "council-secret-1234"

// feedOptions fit the test accounts' 64 MiB limit.
var feedOptions = natsaccounts.FeedOptions{MaxAge: time.Hour, MaxBytes: 64 << 20}

func partner(id string) natsaccounts.Partner {
	return natsaccounts.Partner{
		ID:    id,
		User:  natsaccounts.User{Name: id, Password: natsaccounts.Secret{Value: id + "-password-1234"}},
		Admin: natsaccounts.User{Name: id + "-admin", Password: natsaccounts.Secret{Value: id + "-admin-password-1234"}},
	}
}

// manager is the managers' user: status.> and nothing else.
var manager = natsaccounts.User{Name: "managers", Password: natsaccounts.Secret{Value: "managers-secret-1234"}}

func config(partners []natsaccounts.Partner) natsaccounts.Config {
	return natsaccounts.Config{
		CouncilUsers: []natsaccounts.User{{Name: "complaints", Password: natsaccounts.Secret{Value: councilPassword}}},
		Managers:     []natsaccounts.User{manager},
		System:       natsaccounts.User{Name: "sys", Password: natsaccounts.Secret{Value: "system-secret-1234"}},
		Partners:     partners,
		Limits:       natsaccounts.Limits{MaxFileBytes: 64 << 20},
	}
}

// startStack writes the generated config, starts a server with it (random port, temporary
// store), creates the council's share stream as the complaints service does, and
// provisions every partner's feed.
func startStack(t *testing.T, ids ...string) *stack {
	t.Helper()
	s := &stack{dir: t.TempDir(), store: t.TempDir()}
	for _, id := range ids {
		s.partners = append(s.partners, partner(id))
	}
	ns, err := natsserver.Start(s.serverConfig(s.writeConfig(t, s.partners)))
	if err != nil {
		t.Fatalf("start with the generated config: %v", err)
	}
	t.Cleanup(ns.Shutdown)
	s.ns, s.url = ns, ns.ClientURL()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	js := s.council(t)
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "COMPLAINTS_SHARE", Subjects: []string{"share.*.complaints.>"},
		Storage: jetstream.FileStorage, MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if err := natsaccounts.ProvisionAll(ctx, s.url, s.partners, feedOptions); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *stack) writeConfig(t *testing.T, partners []natsaccounts.Partner) string {
	t.Helper()
	conf, err := natsaccounts.Render(config(partners))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.dir, "nats.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func (s *stack) serverConfig(path string) natsserver.Config {
	return natsserver.Config{Port: -1, StoreDir: s.store, ConfigFile: path}
}

// reload regenerates the config for these partners and applies it to the running server.
func (s *stack) reload(t *testing.T, ids ...string) {
	t.Helper()
	var keep []natsaccounts.Partner
	for _, id := range ids {
		keep = append(keep, partner(id))
	}
	if err := natsserver.Reload(s.ns, s.serverConfig(s.writeConfig(t, keep))); err != nil {
		t.Fatal(err)
	}
}

func (s *stack) connect(t *testing.T, user, password string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(s.url, append([]nats.Option{nats.UserInfo(user, password), nats.MaxReconnects(0)}, opts...)...)
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func (s *stack) council(t *testing.T) jetstream.JetStream {
	t.Helper()
	js, err := jetstream.New(s.connect(t, "complaints", councilPassword))
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// asPartner connects with the partner's own credentials; async errors (permission
// violations) arrive on the returned channel.
func (s *stack) asPartner(t *testing.T, id string, opts ...nats.Option) (*nats.Conn, <-chan error) {
	t.Helper()
	errs := make(chan error, 16)
	p := partner(id)
	nc := s.connect(t, p.User.Name, p.User.Password.Value, append(opts, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case errs <- err:
		default:
		}
	}))...)
	return nc, errs
}

func (s *stack) asAdmin(t *testing.T, id string) jetstream.JetStream {
	t.Helper()
	p := partner(id)
	js, err := jetstream.New(s.connect(t, p.Admin.Name, p.Admin.Password.Value))
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// nextError waits for the next async error the server sent.
func nextError(t *testing.T, errs <-chan error) error {
	t.Helper()
	select {
	case err := <-errs:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no error from the server within 5s")
		return nil
	}
}

// eventually polls cond until it holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}
