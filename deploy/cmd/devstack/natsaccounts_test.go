package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/natsserver"
)

func writePartners(t *testing.T, path string, ids ...string) {
	t.Helper()
	body := "partners:\n"
	for _, id := range ids {
		body += "  - id: " + id + "\n    name: " + id + "\n    sources: [test]\n    delivery: nats\n"
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// nextFromFeed takes one message from the partner's own consumer with its own credentials.
func nextFromFeed(t *testing.T, nc *nats.Conn, partner string) string {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := js.Consumer(context.Background(), "SHARE", partner)
	if err != nil {
		t.Fatalf("%s reading its own consumer: %v", partner, err)
	}
	m, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatalf("%s next: %v", partner, err)
	}
	if err := m.DoubleAck(context.Background()); err != nil {
		t.Fatal(err)
	}
	return string(m.Data())
}

// The devstack's own reload path, from the partners file: a partner taken out of the file is
// cut off without a restart, and the others go on receiving.
func TestPartnerRemovedFromThePartnersFileIsCutOffOnReload(t *testing.T) {
	data := t.TempDir()
	path := filepath.Join(data, "partners.yaml")
	writePartners(t, path, "alpha-agency", "beta-agency")
	accounts, err := prepareAccounts(data, path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := natsserver.Config{Port: -1, StoreDir: t.TempDir(), ServerName: "devstack-test", ConfigFile: accounts.configPath}
	ns, err := natsserver.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	ctx := context.Background()
	if err := accounts.provision(ctx, ns.ClientURL()); err != nil {
		t.Fatal(err)
	}
	connect := func(user string) (*nats.Conn, error) {
		return nats.Connect(ns.ClientURL(), nats.UserInfo(user, accounts.password(user)), nats.MaxReconnects(0))
	}
	council, err := connect("complaints")
	if err != nil {
		t.Fatal(err)
	}
	defer council.Close()
	publish := func(partner, body string) {
		t.Helper()
		if err := council.Publish("share."+partner+".complaints.complaint_handling", []byte(body)); err != nil {
			t.Fatal(err)
		}
		if err := council.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	alpha, err := connect("alpha-agency")
	if err != nil {
		t.Fatal(err)
	}
	defer alpha.Close()
	beta, err := connect("beta-agency")
	if err != nil {
		t.Fatal(err)
	}
	defer beta.Close()
	closed := make(chan struct{})
	beta.SetClosedHandler(func(*nats.Conn) { close(closed) })

	publish("beta-agency", "before")
	if got := nextFromFeed(t, beta, "beta-agency"); got != "before" {
		t.Fatalf("beta received %q before the reload", got)
	}

	writePartners(t, path, "alpha-agency")
	next, err := reloadAccounts(ctx, ns, cfg, data, path, accounts)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.partners) != 1 || next.partners[0].ID != "alpha-agency" {
		t.Fatalf("partners after reload: %+v", next.partners)
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("beta still connected after the reload")
	}
	if _, err := connect("beta-agency"); !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("beta connecting after the reload: err = %v, want %v", err, nats.ErrAuthorization)
	}

	// The remaining partner, connected across the reload, goes on receiving.
	publish("alpha-agency", "after")
	if got := nextFromFeed(t, alpha, "alpha-agency"); got != "after" {
		t.Fatalf("alpha received %q after the reload", got)
	}
}
