// Command natsconf writes the nats-server accounts configuration from the partners file and
// the services list (contracts/services.yaml): one account for the council's services, with
// each listed service's NATS user; the managers' account, which may only subscribe to
// status.>; one per NATS partner importing only share.<partner>.>; and the system account. Passwords are written as $NATS_<USER>_PASSWORD
// references that nats-server resolves from its environment, so the file holds no secret.
//
//	go run ./deploy/cmd/natsconf -partners contracts/partners.yaml -out accounts.conf
//
// With -provision it instead creates every NATS partner's feed (work-queue stream and
// durable consumer) in the partner's account, connecting as each partner's admin user with
// the password in $NATS_<ID>_ADMIN_PASSWORD; docker-compose.yml runs it once after the
// cluster is healthy.
//
// `make natsconf` regenerates deploy/nats/accounts.conf, which the cluster nodes include.
// The local stack (deploy/cmd/devstack) generates its own copy with dev passwords.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
)

type options struct {
	partnersPath string
	out          string
	managerUsers string
	systemUser   string
	storeDir     string
	maxFile      int64
	header       string
	provision    provisionOptions
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "natsconf:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var o options
	fs := flag.NewFlagSet("natsconf", flag.ContinueOnError)
	fs.StringVar(&o.partnersPath, "partners", "contracts/partners.yaml", "the partners file")
	fs.StringVar(&o.out, "out", "-", "where to write the config (- for standard output)")
	fs.StringVar(&o.managerUsers, "manager-users", stack.ManagersUser, "comma-separated users of the managers' account (status.> only)")
	fs.StringVar(&o.systemUser, "system-user", "sys", "the system account's user")
	fs.StringVar(&o.storeDir, "store-dir", "", "JetStream store directory to write (empty: leave to the server's options)")
	fs.Int64Var(&o.maxFile, "partner-max-file", 256<<20, "file storage each partner account may use, in bytes")
	fs.StringVar(&o.header, "header", "", "a comment line to write first (e.g. how to regenerate the file)")
	fs.BoolVar(&o.provision.enabled, "provision", false, "provision every partner's feed on the server instead of writing the config")
	fs.StringVar(&o.provision.natsURL, "nats-url", "nats://127.0.0.1:4222", "with -provision: the server(s), comma-separated")
	fs.IntVar(&o.provision.replicas, "replicas", 1, "with -provision: replicas of each feed stream")
	fs.DurationVar(&o.provision.maxAge, "feed-max-age", 7*24*time.Hour, "with -provision: how long an unread disclosure waits")
	fs.DurationVar(&o.provision.wait, "wait", 2*time.Minute, "with -provision: how long to keep retrying while the cluster elects its leaders")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.provision.enabled {
		o.provision.accountMaxFile = o.maxFile
		return provision(o.partnersPath, o.provision, os.Getenv)
	}
	conf, err := generate(o)
	if err != nil {
		return err
	}
	if o.out == "-" {
		_, err = os.Stdout.Write(conf)
		return err
	}
	return os.WriteFile(o.out, conf, 0o644)
}

func generate(o options) ([]byte, error) {
	dir, err := partners.Load(o.partnersPath)
	if err != nil {
		return nil, err
	}
	services, err := contracts.Services()
	if err != nil {
		return nil, err
	}
	cfg := natsaccounts.Config{
		CouncilUsers: stack.CouncilUsers(services, natsaccounts.PasswordEnv),
		System:       natsaccounts.User{Name: o.systemUser, Password: natsaccounts.PasswordEnv(o.systemUser)},
		Partners:     natsaccounts.PartnersOf(dir, natsaccounts.PasswordEnv),
		Limits:       natsaccounts.Limits{MaxFileBytes: o.maxFile},
		StoreDir:     o.storeDir,
	}
	for _, u := range strings.Split(o.managerUsers, ",") {
		if u = strings.TrimSpace(u); u != "" {
			cfg.Managers = append(cfg.Managers, natsaccounts.User{Name: u, Password: natsaccounts.PasswordEnv(u)})
		}
	}
	conf, err := natsaccounts.Render(cfg)
	if err != nil || o.header == "" {
		return conf, err
	}
	return append([]byte("# "+o.header+"\n"), conf...), nil
}
