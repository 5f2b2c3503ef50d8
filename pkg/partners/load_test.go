package partners_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"casework.dev/pkg/partners"
)

const valid = `
partners:
  - id: lgo
    name: Local Government and Social Care Ombudsman
    sources: [stage 3 notice]
    delivery: nats
  - id: goodwin-pest-management
    name: Goodwin Pest Management
    sources: [community protection notice]
    delivery: webhook
    webhook:
      url: https://goodwin.example/hooks
      secret_env: WEBHOOK_SECRET_GOODWIN
  - id: publication-service
    name: the council's publication service
    sources: [investigations notice]
    delivery: internal
`

func TestParseKeepsEveryFieldInFileOrder(t *testing.T) {
	d, err := partners.Parse([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	want := []partners.Partner{
		{ID: "lgo", Name: "Local Government and Social Care Ombudsman", Sources: []string{"stage 3 notice"}, Delivery: partners.NATS},
		{ID: "goodwin-pest-management", Name: "Goodwin Pest Management", Sources: []string{"community protection notice"}, Delivery: partners.Webhook,
			Webhook: &partners.WebhookTarget{URL: "https://goodwin.example/hooks", SecretEnv: "WEBHOOK_SECRET_GOODWIN"}},
		{ID: "publication-service", Name: "the council's publication service", Sources: []string{"investigations notice"}, Delivery: partners.Internal},
	}
	if !reflect.DeepEqual(d.Partners, want) {
		t.Fatalf("partners:\n got %#v\nwant %#v", d.Partners, want)
	}
	if got, ok := d.Get("lgo"); !ok || got.Name != want[0].Name {
		t.Errorf("Get(lgo) = %v, %v", got, ok)
	}
	if _, ok := d.Get("nobody"); ok {
		t.Error("Get(nobody) found a partner")
	}
	if got := d.ByDelivery(partners.NATS); len(got) != 1 || got[0].ID != "lgo" {
		t.Errorf("ByDelivery(nats) = %v", got)
	}
	if got := d.Missing([]string{"lgo", "kent-police", "goodwin-pest-management", "hmrc"}); !reflect.DeepEqual(got, []string{"kent-police", "hmrc"}) {
		t.Errorf("Missing = %v, want [kent-police hmrc]", got)
	}
}

func TestParseRefusesEachBrokenRule(t *testing.T) {
	entry := func(id, delivery, extra string) string {
		return "  - id: " + id + "\n    name: X\n    sources: [s]\n    delivery: " + delivery + "\n" + extra
	}
	hook := func(url, env string) string {
		return "    webhook:\n      url: " + url + "\n      secret_env: " + env + "\n"
	}
	cases := map[string]struct{ yaml, want string }{
		"upper-case id":       {entry("Kent_Police", "nats", ""), `partners[0] (Kent_Police): id "Kent_Police" must be lower-case letters and digits joined by single hyphens`},
		"dotted id":           {entry("kent.police", "nats", ""), `id "kent.police" must be`},
		"wildcard id":         {entry(`"lgo.>"`, "nats", ""), `id "lgo.>" must be`},
		"duplicate id":        {entry("lgo", "nats", "") + entry("lgo", "nats", ""), `partners[1] (lgo): id "lgo" is already used by partners[0]`},
		"unknown delivery":    {entry("lgo", "email", ""), `partners[0] (lgo): delivery "email" must be nats, webhook, internal or served`},
		"webhook on nats":     {entry("lgo", "nats", hook("https://a.example/", "A")), `webhook is given but delivery is nats`},
		"webhook on internal": {entry("lgo", "internal", hook("https://a.example/", "A")), `webhook is given but delivery is internal`},
		"webhook missing":     {entry("lgo", "webhook", ""), `delivery is webhook but webhook (url, secret_env) is missing`},
		"plain http":          {entry("a", "webhook", hook("http://a.example/h", "A")), `webhook url "http://a.example/h" must be https://host/path`},
		"credentials in url":  {entry("a", "webhook", hook("https://u:p@a.example/h", "A")), `must be https://host/path, without credentials`},
		"secret in file":      {entry("a", "webhook", hook("https://a.example/h", "whsec_abc")), `webhook secret_env "whsec_abc" must name an environment variable`},
		"shared secret":       {entry("a", "webhook", hook("https://a.example/h", "S")) + entry("b", "webhook", hook("https://b.example/h", "S")), `partners[1] (b): secret_env S is already used by a`},
		"unknown field":       {entry("a", "nats", "    password: x\n"), `field password not found`},
		"no name":             {"  - id: a\n    sources: [s]\n    delivery: nats\n", `partners[0] (a): name is missing`},
		"no sources":          {"  - id: a\n    name: A\n    delivery: nats\n", `sources is missing`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := partners.Parse([]byte("partners:\n" + c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
	if _, err := partners.Parse([]byte("partners: []\n")); err == nil || err.Error() != "no partners listed" {
		t.Errorf("empty list: err = %v", err)
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "partners.yaml")
	if err := os.WriteFile(path, []byte("partners:\n  - id: A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := partners.Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), "partners "+path+": ") {
		t.Fatalf("err = %v", err)
	}
	_, err = partners.Load(filepath.Join(t.TempDir(), "absent.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent file: err = %v, want ErrNotExist", err)
	}
}
