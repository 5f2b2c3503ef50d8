package nats_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/webhook"
)

// These tests keep docker-compose.yml in step with what it runs, as there is no Docker
// engine here to try it: the passwords the generated accounts need, the services' NATS
// users, and the webhook partners of the partners file.

type composeService struct {
	Build struct {
		Args map[string]string `yaml:"args"`
	} `yaml:"build"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

func loadCompose(t *testing.T) map[string]composeService {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]composeService `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return doc.Services
}

// interpolation splits "${VAR:-default}" or "${VAR-default}" into VAR and default.
var interpolation = regexp.MustCompile(`(?s)^\$\{([A-Z0-9_]+):?-(.*)\}$`)

func fromHost(t *testing.T, value string) (variable, fallback string) {
	t.Helper()
	m := interpolation.FindStringSubmatch(value)
	if m == nil {
		t.Fatalf("%q is not ${VAR:-default}", value)
	}
	return m[1], m[2]
}

func TestEveryNodeGetsEveryPasswordTheAccountsNeed(t *testing.T) {
	svcs := loadCompose(t)
	want := passwordVars(t)
	slices.Sort(want)
	for _, node := range nodes {
		env := svcs[node].Environment
		got := slices.Sorted(maps.Keys(env))
		if !slices.Equal(got, want) {
			t.Errorf("%s environment = %v\nwant %v (accounts.conf's)", node, got, want)
		}
		for k, v := range env {
			if variable, fallback := fromHost(t, v); variable != k || fallback == "" {
				t.Errorf("%s: %s = %q, want ${%s:-<local default>}", node, k, v, k)
			}
		}
	}
}

func TestProvisioningJobHasTheAdminPasswordsAndNoOthers(t *testing.T) {
	svcs := loadCompose(t)
	job, ok := svcs["nats-provision"]
	if !ok {
		t.Fatal("no nats-provision service")
	}
	var want []string
	for _, v := range passwordVars(t) {
		if strings.HasSuffix(v, "_ADMIN_PASSWORD") {
			want = append(want, v)
		}
	}
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(job.Environment)); !slices.Equal(got, want) {
		t.Errorf("environment = %v\nwant %v", got, want)
	}
	for k, v := range job.Environment {
		if v != svcs["nats-1"].Environment[k] {
			t.Errorf("%s = %q, but the nodes have %q", k, v, svcs["nats-1"].Environment[k])
		}
	}
	if job.Build.Args["SERVICE"] != "natsconf" || job.Build.Args["MODULE"] != "deploy" {
		t.Errorf("build args = %v, want SERVICE=natsconf MODULE=deploy", job.Build.Args)
	}
	wantCmd := []string{"-provision", "-partners=/etc/casework/partners.yaml",
		"-nats-url=nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222", "-replicas=3"}
	if !slices.Equal(job.Command, wantCmd) {
		t.Errorf("command = %v\nwant %v", job.Command, wantCmd)
	}
	if !slices.Contains(job.Volumes, "./contracts/partners.yaml:/etc/casework/partners.yaml:ro") {
		t.Errorf("volumes = %v: the partners file is not mounted", job.Volumes)
	}
	for _, node := range nodes {
		if job.DependsOn[node].Condition != "service_healthy" {
			t.Errorf("does not wait for %s to be healthy", node)
		}
	}
}

// The compose file runs the infrastructure and exactly the services of the services list.
func TestComposeRunsEveryListedServiceAndNothingElse(t *testing.T) {
	want := []string{"nats-1", "nats-2", "nats-3", "nats-provision", "postgres"}
	for _, s := range services(t) {
		want = append(want, s.Name)
	}
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(loadCompose(t))); !slices.Equal(got, want) {
		t.Errorf("compose services = %v\nwant %v (infrastructure and contracts/services.yaml)", got, want)
	}
}

func TestEachServiceConnectsAsItsOwnUserToAllThreeNodes(t *testing.T) {
	svcs := loadCompose(t)
	for _, listed := range services(t) {
		name := listed.Name
		t.Run(name, func(t *testing.T) {
			s, ok := svcs[name]
			if !ok {
				t.Fatalf("no %s service", name)
			}
			env := func(key string) string { return s.Environment[listed.EnvPrefix()+"_"+key] }
			if s.Build.Args["SERVICE"] != name || len(s.Build.Args) != 1 {
				t.Errorf("build args = %v, want SERVICE=%s only (the Dockerfile builds ./%s/cmd/%s)", s.Build.Args, name, listed.Dir(), name)
			}
			if env("NATS_USER") != listed.NATSUser {
				t.Errorf("NATS user = %q, want %s", env("NATS_USER"), listed.NATSUser)
			}
			pwVar := natsaccounts.PasswordEnv(listed.NATSUser).Env
			if got, node := env("NATS_PASSWORD"), svcs["nats-1"].Environment[pwVar]; got != node {
				t.Errorf("NATS password = %q, but the nodes have %s = %q", got, pwVar, node)
			}
			if got := env("NATS_URL"); got != "nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222" {
				t.Errorf("NATS URL = %q, want all three nodes", got)
			}
			if got := env("DB_NAME"); got != listed.Database {
				t.Errorf("DB name = %q, want %s", got, listed.Database)
			}
			if got := env("DB_HOST"); got != "postgres" {
				t.Errorf("DB host = %q", got)
			}
			port := strconv.Itoa(listed.Port)
			if got := env("HTTP_ADDR"); got != "0.0.0.0:"+port {
				t.Errorf("HTTP addr = %q, want 0.0.0.0:%s", got, port)
			}
			if !slices.Equal(s.Ports, []string{port + ":" + port}) {
				t.Errorf("ports = %v, want %s:%s", s.Ports, port, port)
			}
			// A service that publishes creates its streams with three replicas; delivery
			// creates none, and its consumers take the replicas of the streams read.
			if wantReplicas := len(listed.Publishes) > 0; wantReplicas != (env("NATS_REPLICAS") == "3") {
				t.Errorf("NATS replicas = %q; want 3 exactly when the service publishes (%v)", env("NATS_REPLICAS"), listed.Publishes)
			}
			for _, dep := range []string{"postgres", "nats-1", "nats-2", "nats-3"} {
				if s.DependsOn[dep].Condition != "service_healthy" {
					t.Errorf("does not wait for %s to be healthy", dep)
				}
			}
			if listed.CaseService && s.DependsOn["nats-provision"].Condition != "service_completed_successfully" {
				t.Error("publishes disclosures before the partners' feeds are provisioned")
			}
			for _, key := range []string{"AUTH_DEV_SIGNING_KEY", "AUTH_OIDC_ISSUER_URL", "AUTH_ISSUER", "AUTH_AUDIENCE"} {
				if variable, _ := fromHost(t, env(key)); variable != "CASEWORK_"+key {
					t.Errorf("%s comes from %s, want CASEWORK_%s (one identity provider for all)", key, variable, key)
				}
			}
		})
	}
}

func TestDeliveryServesEveryWebhookPartnerOfThePartnersFile(t *testing.T) {
	env := loadCompose(t)["delivery"].Environment
	dir, err := partners.Load(filepath.Join("..", "..", "contracts", "partners.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range dir.ByDelivery(partners.Webhook) {
		want = append(want, fmt.Sprintf("%s|%s|%s", p.ID, p.Webhook.URL, p.Webhook.SecretEnv))
	}
	if len(want) == 0 {
		t.Fatal("the partners file has no webhook partners")
	}
	variable, fallback := fromHost(t, env["DELIVERY_WEBHOOKS"])
	if variable != "DELIVERY_WEBHOOKS" {
		t.Fatalf("DELIVERY_WEBHOOKS comes from %s", variable)
	}
	// The service's config parser splits lists on ";".
	var got []string
	for _, spec := range strings.Split(fallback, ";") {
		got = append(got, strings.TrimSpace(spec))
	}
	if !slices.Equal(got, want) {
		t.Errorf("DELIVERY_WEBHOOKS default =\n%v\nwant\n%v", got, want)
	}
	for _, p := range dir.ByDelivery(partners.Webhook) {
		secretVar, secret := fromHost(t, env[p.Webhook.SecretEnv])
		if secretVar != p.Webhook.SecretEnv {
			t.Errorf("%s: %s comes from %s", p.ID, p.Webhook.SecretEnv, secretVar)
		}
		if _, err := webhook.ParseSecret(secret); err != nil {
			t.Errorf("%s: local default secret: %v", p.ID, err)
		}
	}
	// The worker reads every case service's share stream from the services list built into
	// it; a list here would go stale when a service is added.
	if got, set := env["DELIVERY_STREAMS"]; set {
		t.Errorf("DELIVERY_STREAMS = %q, want it unset (the services list decides)", got)
	}
}
