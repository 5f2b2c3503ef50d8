// Package prometheus_test checks the alert rules with promtool and keeps the alerts and the
// Grafana dashboard to metrics the services really export.
package prometheus_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func promtool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is missing: CI must run deploy/local/promtool.sh (make test does)")
		}
		t.Skip("promtool is missing: run deploy/local/promtool.sh (make test does)")
	}
	return path
}

func TestAlertRulesPassPromtool(t *testing.T) {
	bin := promtool(t)
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

var metricName = regexp.MustCompile(`\bcasework_[a-z_]+\b`)

// exported are the casework_* metric names the Go code registers.
func exported(t *testing.T) []string {
	t.Helper()
	var names []string
	define := regexp.MustCompile(`(?:Name:\s*|NewDesc\()"(casework_[a-z_]+)"`)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range define.FindAllSubmatch(raw, -1) {
			names = append(names, string(m[1]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 10 {
		t.Fatalf("found only %v", names)
	}
	return names
}

// known reports a series name of an exported metric, histogram series included.
func known(exported []string, series string) bool {
	for _, suffix := range []string{"", "_bucket", "_count", "_sum"} {
		if slices.Contains(exported, strings.TrimSuffix(series, suffix)) && (suffix == "" || strings.HasSuffix(series, suffix)) {
			return true
		}
	}
	return false
}

func TestAlertsAndDashboardUseOnlyExportedMetrics(t *testing.T) {
	names := exported(t)
	rules, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range metricName.FindAllString(string(rules), -1) {
		if !known(names, m) {
			t.Errorf("alerts.yml uses %s, which no service exports", m)
		}
	}

	raw, err := os.ReadFile(filepath.Join("..", "grafana", "casework.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Title  string `json:"title"`
		Panels []struct {
			ID      int    `json:"id"`
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("casework.json: %v", err)
	}
	if dash.UID == "" || dash.Title == "" || len(dash.Panels) == 0 {
		t.Fatalf("dashboard needs a uid, a title and panels: %+v", dash)
	}
	ids := map[int]bool{}
	used := map[string]bool{}
	for _, p := range dash.Panels {
		if ids[p.ID] || p.Title == "" || p.Type == "" || len(p.Targets) == 0 {
			t.Errorf("panel %d %q: needs a unique id, a title, a type and queries", p.ID, p.Title)
		}
		ids[p.ID] = true
		for _, target := range p.Targets {
			for _, m := range metricName.FindAllString(target.Expr, -1) {
				if !known(names, m) {
					t.Errorf("panel %q uses %s, which no service exports", p.Title, m)
				}
				used[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_count"), "_sum")] = true
			}
		}
	}
	// The figures each have a panel.
	for _, must := range []string{"casework_outbox_oldest_pending_age_seconds", "casework_outbox_pending", "casework_outbox_publish_duration_seconds",
		"casework_outbox_publish_failures_total", "casework_disclosures_published_total", "casework_disclosures_refused_total", "casework_overdue_events_total",
		"casework_consumer_redeliveries_total", "casework_consumer_dead_letters_total", "casework_webhook_attempts_total",
		"casework_http_requests_total", "casework_http_request_duration_seconds"} {
		if !used[must] {
			t.Errorf("no panel shows %s", must)
		}
	}
}
