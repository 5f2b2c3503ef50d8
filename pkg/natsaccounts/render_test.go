package natsaccounts_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
)

func TestRenderedConfigLoadsWithTheAccountsAndPermissionsIntended(t *testing.T) {
	cfg := config([]natsaccounts.Partner{partner("kent-police"), partner("lgo")})
	cfg.CouncilUsers = append(cfg.CouncilUsers, natsaccounts.User{Name: "webhooks", Password: natsaccounts.Secret{Env: "NATS_WEBHOOKS_PASSWORD"}})
	t.Setenv("NATS_WEBHOOKS_PASSWORD", "from-the-environment")
	conf, err := natsaccounts.Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, conf)
	}
	users := map[string]*server.User{}
	var names []string
	for _, u := range opts.Users {
		users[u.Username] = u
		names = append(names, u.Account.Name+"/"+u.Username)
	}
	slices.Sort(names)
	want := []string{"COUNCIL/complaints", "COUNCIL/webhooks", "KENT_POLICE/kent-police", "KENT_POLICE/kent-police-admin", "LGO/lgo", "LGO/lgo-admin", "MANAGERS/managers", "SYS/sys"}
	if !slices.Equal(names, want) {
		t.Fatalf("users = %v\nwant %v", names, want)
	}
	if opts.SystemAccount != "SYS" {
		t.Errorf("system account = %q", opts.SystemAccount)
	}
	if got := users["webhooks"].Password; got != "from-the-environment" {
		t.Errorf("webhooks password = %q, want it read from NATS_WEBHOOKS_PASSWORD", got)
	}
	if users["complaints"].Permissions != nil {
		t.Errorf("complaints permissions = %+v, want none (whole council account)", users["complaints"].Permissions)
	}
	lgo := users["lgo"].Permissions
	wantPub := []string{"$JS.API.CONSUMER.INFO.SHARE.lgo", "$JS.API.CONSUMER.MSG.NEXT.SHARE.lgo", "$JS.API.STREAM.INFO.SHARE", "$JS.ACK.SHARE.lgo.>"}
	if lgo == nil || !slices.Equal(lgo.Publish.Allow, wantPub) || !slices.Equal(lgo.Subscribe.Allow, []string{"_INBOX.>"}) {
		t.Errorf("lgo permissions = %+v / %+v", lgo.Publish, lgo.Subscribe)
	}
	if adm := users["lgo-admin"].Permissions; !slices.Equal(adm.Publish.Allow, []string{"$JS.API.>"}) {
		t.Errorf("lgo-admin publish = %v", adm.Publish.Allow)
	}
	if m := users["managers"].Permissions; m == nil || !slices.Equal(m.Publish.Deny, []string{">"}) || len(m.Publish.Allow) != 0 ||
		!slices.Equal(m.Subscribe.Allow, []string{"status.>"}) || len(m.Subscribe.Deny) != 0 {
		t.Errorf("managers permissions = %+v / %+v, want publish nothing, subscribe status.> only", m.Publish, m.Subscribe)
	}
	for _, line := range []string{
		`{ stream: "status.>", accounts: [MANAGERS] }`,
		`imports: [ { stream: { account: COUNCIL, subject: "status.>" } } ]`,
		`{ stream: "share.kent-police.>", accounts: [KENT_POLICE] }`,
		`{ stream: "share.lgo.>", accounts: [LGO] }`,
		`imports: [ { stream: { account: COUNCIL, subject: "share.lgo.>" } } ]`,
		`{ user: "webhooks", password: $NATS_WEBHOOKS_PASSWORD }`,
	} {
		if !strings.Contains(string(conf), line) {
			t.Errorf("config lacks %s", line)
		}
	}
}

func TestRenderRefusesWhatWouldBreakIsolation(t *testing.T) {
	cases := map[string]struct {
		change func(*natsaccounts.Config)
		want   string
	}{
		"partner named like the system account": {func(c *natsaccounts.Config) { c.Partners = []natsaccounts.Partner{partner("sys")} },
			"partner sys: account name SYS is already the system account"},
		"partner named like the council": {func(c *natsaccounts.Config) { c.Partners = []natsaccounts.Partner{partner("council")} },
			"partner council: account name COUNCIL is already council"},
		"wildcard id": {func(c *natsaccounts.Config) { c.Partners = []natsaccounts.Partner{partner("a.>")} },
			"partner a.>: id must be lower-case letters and digits joined by single hyphens"},
		"user shared across accounts": {func(c *natsaccounts.Config) {
			p := partner("lgo")
			p.User.Name = "complaints"
			c.Partners = []natsaccounts.Partner{p}
		}, `partner lgo: user "complaints" is already council`},
		"short password":     {func(c *natsaccounts.Config) { c.System.Password.Value = "short" }, `system: user "sys": password must be at least 12`},
		"quote in password":  {func(c *natsaccounts.Config) { c.System.Password.Value = `abcdefghijkl"` }, `password must be at least 12`},
		"both value and env": {func(c *natsaccounts.Config) { c.System.Password.Env = "X" }, "set exactly one of the password's value and environment variable"},
		"no council users":   {func(c *natsaccounts.Config) { c.CouncilUsers = nil }, "council: no users"},
		"partner named like the managers": {func(c *natsaccounts.Config) {
			c.Managers = []natsaccounts.User{manager}
			c.Partners = []natsaccounts.Partner{partner("managers")}
		}, "partner managers: account name MANAGERS is already managers"},
		"manager named like a service": {func(c *natsaccounts.Config) {
			c.Managers = []natsaccounts.User{{Name: "complaints", Password: manager.Password}}
		}, `managers: user "complaints" is already council`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := config(nil)
			c.change(&cfg)
			_, err := natsaccounts.Render(cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestNamesFollowTheIDs(t *testing.T) {
	if got := natsaccounts.AccountName("kent-county-council"); got != "KENT_COUNTY_COUNCIL" {
		t.Errorf("AccountName = %q", got)
	}
	if got := natsaccounts.ShareSubjects("lgo"); got != "share.lgo.>" {
		t.Errorf("ShareSubjects = %q", got)
	}
}

func TestPartnersOfTakesOnlyNATSPartners(t *testing.T) {
	d, err := partners.Parse([]byte(`
partners:
  - {id: lgo, name: LGO, sources: [s], delivery: nats}
  - {id: viking-oak, name: Viking Oak, sources: [s], delivery: webhook, webhook: {url: "https://v.example/h", secret_env: V}}
  - {id: publication-service, name: Publication, sources: [s], delivery: internal}
  - {id: kent-police, name: Kent Police, sources: [s], delivery: nats}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := natsaccounts.PartnersOf(d, natsaccounts.PasswordEnv)
	want := []natsaccounts.Partner{
		{ID: "lgo", User: natsaccounts.User{Name: "lgo", Password: natsaccounts.Secret{Env: "NATS_LGO_PASSWORD"}},
			Admin: natsaccounts.User{Name: "lgo-admin", Password: natsaccounts.Secret{Env: "NATS_LGO_ADMIN_PASSWORD"}}},
		{ID: "kent-police", User: natsaccounts.User{Name: "kent-police", Password: natsaccounts.Secret{Env: "NATS_KENT_POLICE_PASSWORD"}},
			Admin: natsaccounts.User{Name: "kent-police-admin", Password: natsaccounts.Secret{Env: "NATS_KENT_POLICE_ADMIN_PASSWORD"}}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("PartnersOf =\n%+v\nwant\n%+v", got, want)
	}
}
