package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nats-io/nats-server/v2/server"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/partners"
)

// councilUsers are the services' NATS users in the council account.
var councilUsers = []string{"complaints", "delivery", "investigations", "board"}

// devAccounts is the local stack's NATS accounts: the config generated from the partners
// file, and the dev passwords of every user.
type devAccounts struct {
	configPath string
	partners   []natsaccounts.Partner
	password   func(user string) string
}

// prepareAccounts writes dataDir/nats.conf from the partners file. Dev passwords are derived
// from a secret kept per checkout, so they stay the same across restarts.
func prepareAccounts(dataDir, partnersPath string) (devAccounts, error) {
	dir, err := partners.Load(partnersPath)
	if err != nil {
		return devAccounts{}, err
	}
	secret, err := devSigningKey(filepath.Join(dataDir, "nats-dev-secret"))
	if err != nil {
		return devAccounts{}, err
	}
	password := func(user string) string {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte("nats user " + user))
		return hex.EncodeToString(mac.Sum(nil))[:24]
	}
	value := func(user string) natsaccounts.Secret { return natsaccounts.Secret{Value: password(user)} }
	cfg := natsaccounts.Config{
		System:   natsaccounts.User{Name: "sys", Password: value("sys")},
		Partners: natsaccounts.PartnersOf(dir, value),
	}
	for _, u := range councilUsers {
		cfg.CouncilUsers = append(cfg.CouncilUsers, natsaccounts.User{Name: u, Password: value(u)})
	}
	conf, err := natsaccounts.Render(cfg)
	if err != nil {
		return devAccounts{}, fmt.Errorf("nats accounts from %s: %w", partnersPath, err)
	}
	path := filepath.Join(dataDir, "nats.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		return devAccounts{}, err
	}
	return devAccounts{configPath: path, partners: cfg.Partners, password: password}, nil
}

// provision creates every partner's feed (stream and durable consumer) as its admin user.
func (a devAccounts) provision(ctx context.Context, natsURL string) error {
	return natsaccounts.ProvisionAll(ctx, natsURL, a.partners, natsaccounts.FeedOptions{})
}

// quickStart shows a partner reading its own feed with the standard nats CLI.
func (a devAccounts) quickStart(natsURL, partnersPath string) string {
	var ids []string
	for _, p := range a.partners {
		ids = append(ids, p.ID)
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	as := func(user string) string {
		return fmt.Sprintf("go tool nats -s %s --user %s --password %s", natsURL, user, a.password(user))
	}
	line("Partner feeds over NATS (accounts generated from %s into %s):", partnersPath, a.configPath)
	line("  each partner's own account imports only share.<partner>.>; a work-queue stream SHARE keeps a")
	line("  disclosure until the partner acknowledges it. Partners: %s", strings.Join(ids, ", "))
	line(`  # Run from the repository root (the first run compiles the CLI). Each call takes the next`)
	line(`  # message from the partner's own consumer and acknowledges it, which deletes it from the broker.`)
	line(`  # The ward councillor's feed (step 4 shared with it):`)
	line(`  %s consumer next SHARE ward-councillor`, as("ward-councillor"))
	line(`  # The LGO's feed (the stage 3 response sent it the case file); how many wait for it:`)
	line(`  %s consumer next SHARE lgo`, as("lgo"))
	line(`  %s consumer info SHARE lgo`, as("lgo"))
	line(`  # Anything else is refused (permissions violation): listing streams, another partner's feed,`)
	line(`  # raw subjects, publishing:`)
	line(`  %s stream ls`, as("lgo"))
	line(`  %s consumer next SHARE ward-councillor`, as("lgo"))
	line(`  %s sub 'share.>'`, as("lgo"))
	line(`  %s pub share.lgo.complaints.x forged`, as("lgo"))
	line("")
	return b.String()
}

// reloadOnHangup regenerates the accounts from the partners file on SIGHUP and reloads the
// running server without a restart (kill -HUP <devstack pid>): a partner removed from the
// file has its feed retired and is cut off; one added gets its feed.
func reloadOnHangup(ctx context.Context, ns *server.Server, cfg natsserver.Config, dataDir, partnersPath string, current devAccounts) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		next, err := reloadAccounts(ctx, ns, cfg, dataDir, partnersPath, current)
		if err != nil {
			fmt.Println("devstack: NATS accounts not reloaded:", err)
			continue
		}
		current = next
		fmt.Printf("devstack: NATS accounts reloaded from %s (%d partner accounts)\n", partnersPath, len(next.partners))
	}
}

func reloadAccounts(ctx context.Context, ns *server.Server, cfg natsserver.Config, dataDir, partnersPath string, current devAccounts) (devAccounts, error) {
	next, err := prepareAccounts(dataDir, partnersPath)
	if err != nil {
		return current, err
	}
	for _, p := range natsaccounts.Removed(current.partners, next.partners) {
		if err := natsaccounts.Retire(ctx, ns.ClientURL(), p); err != nil {
			return current, err
		}
	}
	if err := natsserver.Reload(ns, cfg); err != nil {
		return current, err
	}
	return next, next.provision(ctx, ns.ClientURL())
}
