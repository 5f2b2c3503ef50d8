// Package nats_test checks the NATS cluster configuration docker-compose.yml runs: that each
// node file loads with the real server's parser and the accounts generated from the partners
// file, and that the three nodes form a JetStream cluster that accepts the services'
// replicated streams while keeping partners out of them.
package nats_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"casework.dev/contracts"
	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
)

var nodes = []string{"nats-1", "nats-2", "nats-3"}

// services is the services list: each service connects as its own NATS user.
func services(t *testing.T) contracts.ServiceList {
	t.Helper()
	list, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// passwordVars are the environment variables accounts.conf refers to, in file order.
func passwordVars(t *testing.T) []string {
	t.Helper()
	conf, err := os.ReadFile("accounts.conf")
	if err != nil {
		t.Fatal(err)
	}
	var vars []string
	for _, m := range regexp.MustCompile(`password: \$([A-Z0-9_]+)`).FindAllSubmatch(conf, -1) {
		vars = append(vars, string(m[1]))
	}
	if len(vars) == 0 {
		t.Fatal("accounts.conf refers to no password variables")
	}
	return vars
}

// password is the test's password for a user, as set by loadNode.
func password(user string) string { return "test-" + natsaccounts.PasswordEnv(user).Env }

// loadNode parses deploy/nats/<node>.conf with every password accounts.conf asks for set,
// as the compose file does.
func loadNode(t *testing.T, node string) *server.Options {
	t.Helper()
	for _, v := range passwordVars(t) {
		t.Setenv(v, "test-"+v)
	}
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
			if got, want := usersOf(opts), expectedUsers(t); !slices.Equal(got, want) {
				t.Errorf("users = %v\nwant %v", got, want)
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
	for _, missing := range []string{"NATS_COMPLAINTS_PASSWORD", "NATS_LGO_ADMIN_PASSWORD", "NATS_SYS_PASSWORD"} {
		t.Run(missing, func(t *testing.T) {
			for _, v := range passwordVars(t) {
				t.Setenv(v, "x")
			}
			// t.Setenv restores the variable afterwards; a missing secret must fail loudly, not load empty.
			os.Unsetenv(missing)
			if _, err := server.ProcessConfigFile("nats-1.conf"); err == nil {
				t.Fatalf("nats-1.conf loaded without %s", missing)
			}
		})
	}
}

// expectedUsers is every account/user the partners file and services list imply: the
// services in COUNCIL, the managers in MANAGERS, each NATS partner's own and admin user in
// its account, and sys in SYS.
func expectedUsers(t *testing.T) []string {
	t.Helper()
	dir, err := partners.Load(filepath.Join("..", "..", "contracts", "partners.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SYS/sys", natsaccounts.ManagersAccount + "/managers"}
	for _, s := range services(t) {
		want = append(want, natsaccounts.DefaultCouncilAccount+"/"+s.NATSUser)
	}
	for _, p := range natsaccounts.PartnersOf(dir, natsaccounts.PasswordEnv) {
		acc := natsaccounts.AccountName(p.ID)
		want = append(want, acc+"/"+p.User.Name, acc+"/"+p.Admin.Name)
	}
	if len(want) < 4+2*3 {
		t.Fatalf("only %d users expected; is the partners file empty?", len(want))
	}
	slices.Sort(want)
	return want
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
