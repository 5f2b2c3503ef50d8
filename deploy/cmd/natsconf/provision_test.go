package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/partners"
)

// The committed deploy/nats/accounts.conf is what `make natsconf` writes today; a partner
// added to the file without regenerating would have no account in the compose cluster.
func TestCommittedAccountsConfIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("../../nats/accounts.conf")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := bytes.Cut(committed, []byte("\n"))
	if !bytes.Contains(header, []byte("make natsconf")) {
		t.Fatalf("first line %q does not say how to regenerate the file", header)
	}
	// The arguments the Makefile's natsconf target passes.
	want, err := generate(options{partnersPath: filepath.Join(contractsDir, "partners.yaml"),
		managerUsers: "managers", systemUser: "sys", maxFile: 256 << 20,
		header: strings.TrimPrefix(string(header), "# ")})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, want) {
		t.Fatal("deploy/nats/accounts.conf is stale: run `make natsconf` and commit the result")
	}
}

func TestFeedFitsItsAccountWhateverTheReplicas(t *testing.T) {
	for _, c := range []struct {
		replicas int
		want     int64
	}{{1, 256 << 20}, {3, 89478485}, {0, 256 << 20}} {
		got := provisionOptions{replicas: c.replicas, accountMaxFile: 256 << 20}.feedOptions()
		if got.MaxBytes != c.want || got.Replicas != max(c.replicas, 1) {
			t.Errorf("replicas %d: MaxBytes/Replicas = %d/%d, want %d/%d", c.replicas, got.MaxBytes, got.Replicas, c.want, max(c.replicas, 1))
		}
	}
}

func TestProvisionRefusesMissingAdminPasswords(t *testing.T) {
	err := provision(filepath.Join(contractsDir, "partners.yaml"), provisionOptions{natsURL: "nats://127.0.0.1:1", replicas: 1},
		func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "NATS_LGO_ADMIN_PASSWORD") {
		t.Fatalf("err = %v, want the missing NATS_LGO_ADMIN_PASSWORD named", err)
	}
}

// Provisioning against a server running the generated config creates every NATS partner's
// feed, sized to its account, with the admin passwords taken from the environment.
func TestProvisionCreatesEveryPartnersFeed(t *testing.T) {
	partnersPath := filepath.Join(contractsDir, "partners.yaml")
	conf, err := generate(options{partnersPath: partnersPath, managerUsers: "managers", systemUser: "sys", maxFile: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, v := range regexp.MustCompile(`\$(NATS_[A-Z_]+_PASSWORD)`).FindAllSubmatch(conf, -1) {
		env[string(v[1])] = "pw-" + string(v[1])
		t.Setenv(string(v[1]), env[string(v[1])])
	}
	path := filepath.Join(t.TempDir(), "accounts.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	ns, err := natsserver.Start(natsserver.Config{Port: -1, StoreDir: t.TempDir(), ConfigFile: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)

	o := provisionOptions{natsURL: ns.ClientURL(), replicas: 1, maxAge: time.Hour, wait: 10 * time.Second, accountMaxFile: 64 << 20}
	if err := provision(partnersPath, o, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	// Again: an existing feed is left as it is.
	if err := provision(partnersPath, o, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("second run: %v", err)
	}

	dir, err := partners.Load(partnersPath)
	if err != nil {
		t.Fatal(err)
	}
	nsPartners := dir.ByDelivery(partners.NATS)
	if len(nsPartners) < 3 {
		t.Fatalf("only %d NATS partners", len(nsPartners))
	}
	for _, p := range nsPartners {
		admin := p.ID + "-admin"
		nc, err := nats.Connect(ns.ClientURL(), nats.UserInfo(admin, env[natsaccounts.PasswordEnv(admin).Env]))
		if err != nil {
			t.Fatalf("connect as %s: %v", admin, err)
		}
		js, _ := jetstream.New(nc)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		st, err := js.Stream(ctx, natsaccounts.FeedStream)
		if err == nil {
			cfg := st.CachedInfo().Config
			if cfg.MaxBytes != 64<<20 || cfg.MaxAge != time.Hour || len(cfg.Subjects) != 1 || cfg.Subjects[0] != "share."+p.ID+".>" {
				t.Errorf("%s: feed MaxBytes/MaxAge/Subjects = %d/%s/%v", p.ID, cfg.MaxBytes, cfg.MaxAge, cfg.Subjects)
			}
			_, err = st.Consumer(ctx, natsaccounts.ConsumerName(p.ID))
		}
		cancel()
		nc.Close()
		if err != nil {
			t.Errorf("%s: feed not provisioned: %v", p.ID, err)
		}
	}
}
