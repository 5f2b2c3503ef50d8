package main

import (
	"testing"
)

func TestWebhookPartnersReadSecretsFromTheNamedVariable(t *testing.T) {
	env := map[string]string{"LGO_SECRET": "whsec_abc", "VIKING_SECRET": "whsec_def"}
	got, err := webhookPartners([]string{"lgo|https://lgo.example/hooks|LGO_SECRET", " viking-oak|http://127.0.0.1:9000/h|VIKING_SECRET "},
		func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "lgo" || got[0].URL != "https://lgo.example/hooks" || got[0].Secret != "whsec_abc" ||
		got[1].ID != "viking-oak" || got[1].Secret != "whsec_def" {
		t.Fatalf("partners %+v", got)
	}
	for _, bad := range [][]string{{"lgo|https://x"}, {"lgo|https://x|MISSING"}} {
		if _, err := webhookPartners(bad, func(k string) string { return env[k] }); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
