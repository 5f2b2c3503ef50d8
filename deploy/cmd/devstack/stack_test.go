package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
)

func listed(t *testing.T) contracts.ServiceList {
	t.Helper()
	list, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var local = stack.Local{PGPort: 54329, NATSURL: "nats://127.0.0.1:4222", NATSPassword: func(u string) string { return "pw-" + u },
	AuthIssuer: devIssuer, DevSigningKey: strings.Repeat("k", 64)}

func TestEachListedServiceRunsOnItsPortWithItsSettings(t *testing.T) {
	list := listed(t)
	hooks, err := prepareWebhooks(t.TempDir(), partnersFile, "127.0.0.1:8089")
	if err != nil {
		t.Fatal(err)
	}
	services, err := plan(list, list, 8081, local, hooks)
	if err != nil {
		t.Fatal(err)
	}
	var ports, listedPorts []int
	for i, s := range services {
		ports, listedPorts = append(ports, s.port), append(listedPorts, list[i].Port)
	}
	if !slices.Equal(ports, listedPorts) || ports[0] != 8081 || ports[1] != 8082 || ports[2] != 8083 {
		t.Errorf("ports = %v, want the listed %v (complaints 8081, delivery 8082, investigations 8083)", ports, listedPorts)
	}
	want := []string{"COMPLAINTS_HTTP_ADDR=127.0.0.1:8081", "COMPLAINTS_DB_PORT=54329", "COMPLAINTS_DB_NAME=casework_complaints",
		"COMPLAINTS_NATS_URL=nats://127.0.0.1:4222", "COMPLAINTS_NATS_USER=complaints", "COMPLAINTS_NATS_PASSWORD=pw-complaints",
		"COMPLAINTS_AUTH_ISSUER=casework-dev", "COMPLAINTS_AUTH_DEV_SIGNING_KEY=" + local.DevSigningKey}
	if !slices.Equal(services[0].env, want) {
		t.Errorf("complaints env =\n%v\nwant\n%v", services[0].env, want)
	}
	// The delivery worker also gets the dev webhook partners, and no stream list: it reads
	// the case services' share streams from the services list itself.
	env := envMap(services[1].env)
	if env["DELIVERY_NATS_USER"] != "delivery" || env["DELIVERY_DB_NAME"] != "casework_delivery" || env["DELIVERY_WEBHOOKS"] == "" {
		t.Errorf("delivery env = %v", env)
	}
	if _, set := env["DELIVERY_STREAMS"]; set {
		t.Error("DELIVERY_STREAMS set by the stack")
	}

	// -http-port moves every service by the same distance; -services starts only those named.
	moved, _ := plan(list, list, 9001, local, hooks)
	for i, s := range moved {
		if want := list[i].Port - 8081 + 9001; s.port != want {
			t.Errorf("%s moved to %d, want %d", s.Name, s.port, want)
		}
	}
	only, err := choose(list, "investigations, complaints")
	if err != nil || !slices.Equal(only.Names(), []string{"investigations", "complaints"}) {
		t.Errorf("choose = %v, %v", only.Names(), err)
	}
	if _, err := choose(list, "complaints,nosuchservice"); err == nil || !strings.Contains(err.Error(), `"nosuchservice" is not in contracts/services.yaml`) {
		t.Errorf("unknown service: err = %v", err)
	}
	free, err := plan(list, only, 0, local, hooks)
	if err != nil || free[0].port == 0 || free[0].port == free[1].port {
		t.Errorf("free ports %v, %v", free, err)
	}
}

func TestBannerPromisesOnlyWhatEachServiceServes(t *testing.T) {
	list := listed(t)
	hooks, _ := prepareWebhooks(t.TempDir(), partnersFile, "127.0.0.1:8089")
	services, _ := plan(list, list, 8081, local, hooks)
	quick, err := quickStart(local.DevSigningKey, local.NATSURL, services)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  complaints      http://127.0.0.1:8081   (contract /openapi.yaml, privacy notice /notice)\n",
		"  delivery        http://127.0.0.1:8082   (contract /openapi.yaml)\n",
		"  investigations  http://127.0.0.1:8083   (contract /openapi.yaml, privacy notice /notice)\n",
	} {
		if !strings.Contains(quick, want) {
			t.Errorf("banner lacks %q", want)
		}
	}
}

// Every role of a running service has a dev token, named or made for the role; the named
// dev users hold only listed roles, or a listed role's dynamic form "<role>:<id>" (but
// NOROLE, which shows a refusal).
func TestDevTokensCoverEveryRoleOfTheRunningServices(t *testing.T) {
	list := listed(t)
	hooks, _ := prepareWebhooks(t.TempDir(), partnersFile, "127.0.0.1:8089")
	services, _ := plan(list, list, 8081, local, hooks)
	users := devTokenUsers(services)
	var roles []string
	for _, s := range list {
		roles = append(roles, s.Roles...)
	}
	for _, u := range devUsers {
		for _, r := range u.roles {
			// A dynamic role names its listed role and an id, as debt_client:<client id> does.
			listedRole, _, _ := strings.Cut(r, ":")
			if !slices.Contains(roles, listedRole) && u.env != "NOROLE" {
				t.Errorf("dev user %s has role %s, which no listed service knows", u.subject, r)
			}
		}
	}
	for _, r := range roles {
		if !slices.ContainsFunc(users, func(u devUser) bool { return slices.Contains(u.roles, r) }) {
			t.Errorf("no dev token for role %s", r)
		}
	}
	i := slices.IndexFunc(users, func(u devUser) bool { return slices.Contains(u.roles, "delivery_manager") })
	if got := users[i]; got.env != "DELIVERY_MANAGER" || got.subject != "dev-delivery-manager" || !slices.Equal(got.roles, []string{"delivery_manager"}) {
		t.Errorf("made-up user %+v, want DELIVERY_MANAGER for delivery_manager", got)
	}
	quick, _ := quickStart(local.DevSigningKey, local.NATSURL, services)
	if !regexp.MustCompile(`(?m)^  export DELIVERY_MANAGER=\S+   # dev-delivery-manager: delivery_manager$`).MatchString(quick) {
		t.Error("quick start lacks the DELIVERY_MANAGER token")
	}
}

// The quick start pastes again without clobbering: each case has its own variable, and no
// section reuses another's.
func TestQuickStartVariablesAreDistinct(t *testing.T) {
	list := listed(t)
	hooks, _ := prepareWebhooks(t.TempDir(), partnersFile, "127.0.0.1:8089")
	services, _ := plan(list, list, 8081, local, hooks)
	accounts, err := prepareAccounts(t.TempDir(), partnersFile)
	if err != nil {
		t.Fatal(err)
	}
	quick, _ := quickStart(local.DevSigningKey, local.NATSURL, services, accounts.quickStart(local.NATSURL, partnersFile),
		hooks.quickStart(partnersFile, "http://127.0.0.1:8082"))
	assigned := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)(?:^|\s)([A-Z_]+)=`).FindAllStringSubmatch(quick, -1) {
		assigned[m[1]]++
	}
	for name, n := range assigned {
		if n != 1 {
			t.Errorf("%s is assigned %d times", name, n)
		}
	}
	for _, name := range []string{"CID", "IID", "HOOK_ID", "HOOK_TS", "HOOK_BODY", "HOOK_SIG"} {
		if assigned[name] != 1 {
			t.Errorf("%s not assigned once (%d)", name, assigned[name])
		}
	}
	if strings.Contains(quick, "$ID") || assigned["ID"] != 0 {
		t.Error("the quick start still uses $ID")
	}
}

func TestQuickStartShowsTheManagersFeed(t *testing.T) {
	accounts, err := prepareAccounts(t.TempDir(), partnersFile)
	if err != nil {
		t.Fatal(err)
	}
	quick := accounts.quickStart("nats://127.0.0.1:4222", partnersFile)
	want := "  go tool nats -s nats://127.0.0.1:4222 --user managers --password " + accounts.password("managers") + " sub 'status.>'\n"
	if !strings.Contains(quick, want) {
		t.Errorf("quick start lacks %q:\n%s", want, quick)
	}
}
