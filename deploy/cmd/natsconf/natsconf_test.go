package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"casework.dev/contracts"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
)

const contractsDir = "../../../contracts"

// Every recipient a notice names must be in the partners file, or its disclosures would
// have nowhere to go.
func TestPartnersFileCoversEveryNoticeRecipient(t *testing.T) {
	dir, err := partners.Load(filepath.Join(contractsDir, "partners.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(contractsDir, "notices", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no notices found")
	}
	for _, f := range files {
		n, err := notice.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range n.Recipients {
			ids = append(ids, r.ID)
		}
		if missing := dir.Missing(ids); len(missing) != 0 {
			t.Errorf("%s: recipients %v are not in partners.yaml", filepath.Base(f), missing)
		}
	}
	for _, id := range []string{"lgo", "kent-police", "goodwin-pest-management", "viking-oak", "kent-county-council", "hmrc", "ico", "environment-agency", "one-maidstone"} {
		if _, ok := dir.Get(id); !ok {
			t.Errorf("partners.yaml lacks %s, whom the notices name", id)
		}
	}
}

func TestGeneratedConfigLoadsWithPasswordsFromTheEnvironment(t *testing.T) {
	conf, err := generate(options{partnersPath: filepath.Join(contractsDir, "partners.yaml"), managerUsers: "managers, duty-manager", systemUser: "sys", maxFile: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`password: "`).Match(conf) {
		t.Fatal("a password value was written into the file")
	}
	vars := regexp.MustCompile(`\$(NATS_[A-Z_]+_PASSWORD)`).FindAllSubmatch(conf, -1)
	for _, v := range vars {
		t.Setenv(string(v[1]), "pw-"+string(v[1]))
	}
	path := filepath.Join(t.TempDir(), "accounts.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, conf)
	}
	dir, _ := partners.Load(filepath.Join(contractsDir, "partners.yaml"))
	var accounts []string
	for _, a := range opts.Accounts {
		accounts = append(accounts, a.Name)
	}
	want := []string{"COUNCIL", "MANAGERS", "SYS"}
	for _, p := range dir.ByDelivery(partners.NATS) {
		want = append(want, regexp.MustCompile(`-`).ReplaceAllString(upper(p.ID), "_"))
	}
	slices.Sort(accounts)
	slices.Sort(want)
	if !slices.Equal(accounts, want) {
		t.Errorf("accounts = %v\nwant %v", accounts, want)
	}
	// The council's users are the services list's NATS users; the managers' are those asked for.
	services, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	var council, managers []string
	for _, u := range opts.Users {
		switch u.Account.Name {
		case "COUNCIL":
			council = append(council, u.Username)
		case "MANAGERS":
			managers = append(managers, u.Username)
		}
	}
	var wantCouncil []string
	for _, s := range services {
		wantCouncil = append(wantCouncil, s.NATSUser)
	}
	if !slices.Equal(council, wantCouncil) {
		t.Errorf("council users = %v, want the services list's %v", council, wantCouncil)
	}
	if !slices.Equal(managers, []string{"managers", "duty-manager"}) {
		t.Errorf("managers' users = %v, want [managers duty-manager]", managers)
	}
	for _, u := range opts.Users {
		if u.Username == "lgo" && u.Password != "pw-NATS_LGO_PASSWORD" {
			t.Errorf("lgo password = %q, want the environment's", u.Password)
		}
		if u.Username == "goodwin-pest-management" {
			t.Error("a webhook partner got a NATS user")
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
