package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ardanlabs/conf/v3"

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

// A dead letter keeps the disclosure's content 30 days by default, configurable, and the
// setting is printed with the rest of the configuration at start.
func TestDeadLetterRetentionIsConfiguredAndPrinted(t *testing.T) {
	args := os.Args
	t.Cleanup(func() { os.Args = args })
	os.Args = []string{"delivery"} // not the test binary's flags
	parse := func() config {
		t.Helper()
		var cfg config
		if _, err := conf.Parse("DELIVERY", &cfg); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	cfg := parse()
	if cfg.DeadLetters.Retention != 30*24*time.Hour || cfg.DeadLetters.SweepInterval != time.Hour {
		t.Fatalf("dead letters %+v, want a 30-day retention swept hourly", cfg.DeadLetters)
	}
	shown, err := conf.String(&cfg)
	if err != nil || !strings.Contains(shown, "--dead-letters-retention=720h0m0s") {
		t.Fatalf("printed config lacks the retention (%v):\n%s", err, shown)
	}
	t.Setenv("DELIVERY_DEAD_LETTERS_RETENTION", "168h")
	if cfg := parse(); cfg.DeadLetters.Retention != 7*24*time.Hour {
		t.Fatalf("retention %s, want the 168h set", cfg.DeadLetters.Retention)
	}
}

// A partner's Retry-After is honoured up to an hour by default, configurable.
func TestMaxRetryAfterIsConfigured(t *testing.T) {
	args := os.Args
	t.Cleanup(func() { os.Args = args })
	os.Args = []string{"delivery"}
	var cfg config
	if _, err := conf.Parse("DELIVERY", &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Retry.MaxRetryAfter != time.Hour {
		t.Fatalf("max retry-after %s, want 1h", cfg.Retry.MaxRetryAfter)
	}
	t.Setenv("DELIVERY_RETRY_MAX_RETRY_AFTER", "15m")
	cfg = config{}
	if _, err := conf.Parse("DELIVERY", &cfg); err != nil || cfg.Retry.MaxRetryAfter != 15*time.Minute {
		t.Fatalf("max retry-after %s (%v), want the 15m set", cfg.Retry.MaxRetryAfter, err)
	}
}
