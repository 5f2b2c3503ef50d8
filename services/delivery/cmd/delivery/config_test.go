package main

import (
	"slices"
	"testing"

	"casework.dev/contracts"
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

// With no DELIVERY_STREAMS the worker reads every case service's share stream of the
// services list, so adding a case service needs no setting here.
func TestShareStreamsComeFromTheServicesList(t *testing.T) {
	got, err := shareStreams(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got, "COMPLAINTS_SHARE") || !slices.Contains(got, "INVESTIGATIONS_SHARE") || slices.Contains(got, "DELIVERY_SHARE") {
		t.Errorf("default streams = %v, want the case services' (complaints, investigations, ...) and not delivery's", got)
	}
	list, _ := contracts.Services()
	if !slices.Equal(got, list.ShareStreams()) {
		t.Errorf("default streams = %v, list's case services share %v", got, list.ShareStreams())
	}
	if got, _ := shareStreams([]string{"ONLY_THIS"}); !slices.Equal(got, []string{"ONLY_THIS"}) {
		t.Errorf("configured streams = %v, want [ONLY_THIS]", got)
	}
}
