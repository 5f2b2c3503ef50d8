// Package nats_test checks the NATS cluster configuration docker-compose.yml runs: that each
// node file loads with the real server's parser, and that the three nodes form a JetStream
// cluster that accepts the complaints service's replicated streams.
package nats_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

var nodes = []string{"nats-1", "nats-2", "nats-3"}

const complaintsPassword = "test-complaints-password"

// loadNode parses deploy/nats/<node>.conf with the passwords the compose file passes in.
func loadNode(t *testing.T, node string) *server.Options {
	t.Helper()
	t.Setenv("NATS_COMPLAINTS_PASSWORD", complaintsPassword)
	t.Setenv("NATS_SYSTEM_PASSWORD", "test-system-password")
	opts, err := server.ProcessConfigFile(filepath.Join(".", node+".conf"))
	if err != nil {
		t.Fatalf("load %s.conf: %v", node, err)
	}
	return opts
}

func TestEachNodeIsADurableJetStreamClusterMember(t *testing.T) {
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			opts := loadNode(t, node)
			if opts.ServerName != node {
				t.Errorf("server_name = %q, want %q", opts.ServerName, node)
			}
			if !opts.JetStream {
				t.Error("JetStream is not enabled")
			}
			if !opts.SyncAlways {
				t.Error("sync_interval is not always: acknowledged writes could be lost on power failure")
			}
			if opts.StoreDir != "/data/jetstream" {
				t.Errorf("store_dir = %q, want /data/jetstream (the node's volume)", opts.StoreDir)
			}
			if opts.JetStreamMaxStore != 10e9 {
				t.Errorf("max_file_store = %d, want %d", opts.JetStreamMaxStore, int64(10e9))
			}
			if opts.Port != 4222 || opts.HTTPPort != 8222 || opts.Cluster.Port != 6222 {
				t.Errorf("ports client/monitor/cluster = %d/%d/%d, want 4222/8222/6222", opts.Port, opts.HTTPPort, opts.Cluster.Port)
			}
			if opts.Cluster.Name != "casework" {
				t.Errorf("cluster name = %q, want casework", opts.Cluster.Name)
			}
			if opts.SystemAccount != "SYS" {
				t.Errorf("system_account = %q, want SYS", opts.SystemAccount)
			}
			var routes []string
			for _, r := range opts.Routes {
				routes = append(routes, r.Host)
			}
			slices.Sort(routes)
			var want []string
			for _, other := range nodes {
				if other != node {
					want = append(want, other+":6222")
				}
			}
			if !slices.Equal(routes, want) {
				t.Errorf("routes = %v, want %v (the two other nodes)", routes, want)
			}
			if got := usersOf(opts); !slices.Equal(got, []string{"CASEWORK/complaints", "SYS/sys"}) {
				t.Errorf("users = %v, want [CASEWORK/complaints SYS/sys]", got)
			}
		})
	}
}

func TestServerNamesAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, node := range nodes {
		name := loadNode(t, node).ServerName
		if prev, ok := seen[name]; ok {
			t.Fatalf("%s.conf and %s.conf share server_name %q; JetStream needs distinct names", prev, node, name)
		}
		seen[name] = node
	}
}

func TestConfigRefusesToLoadWithoutPasswords(t *testing.T) {
	t.Setenv("NATS_SYSTEM_PASSWORD", "x")
	// t.Setenv restores the variable afterwards; a missing secret must fail loudly, not load empty.
	t.Setenv("NATS_COMPLAINTS_PASSWORD", "")
	os.Unsetenv("NATS_COMPLAINTS_PASSWORD")
	if _, err := server.ProcessConfigFile("nats-1.conf"); err == nil {
		t.Fatal("nats-1.conf loaded without NATS_COMPLAINTS_PASSWORD")
	}
}

func usersOf(opts *server.Options) []string {
	var users []string
	for _, u := range opts.Users {
		acc := "$G"
		if u.Account != nil {
			acc = u.Account.Name
		}
		users = append(users, acc+"/"+u.Username)
	}
	slices.Sort(users)
	return users
}
