package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"casework.dev/deploy/internal/devrun"
)

// quickStartScript is what a newcomer pastes from the quick start: the tokens, every
// service's requests and the webhook signature check (not the nats CLI lines, which start a
// long compile and one of which runs until Ctrl-C).
func quickStartScript(quick string) string {
	var lines []string
	section := ""
	for _, l := range strings.Split(quick, "\n") {
		if !strings.HasPrefix(l, " ") {
			section = l
			continue
		}
		l = strings.TrimPrefix(l, "  ")
		switch {
		case strings.HasPrefix(section, "Dev tokens"), strings.HasPrefix(section, "Quick start"):
			lines = append(lines, l)
		case strings.HasPrefix(section, "Webhook partners") && regexp.MustCompile(`^(export|HOOK_|curl)`).MatchString(l):
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// The whole stack's quick start, pasted twice in a row, does the same each time: a new
// complaint and investigation each paste, the same refusals, nothing fails.
func TestQuickStartPastesCleanlyTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole stack")
	}
	for _, tool := range []string{"bash", "curl", "sed", "openssl", "base64", "od"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	root, _ := filepath.Abs("../../..")
	run := devrun.Start(t, root, devrun.Build(t, root))
	quick := run.Output()[strings.Index(run.Output(), "================ Casework is running"):]
	script := quickStartScript(quick)
	if !strings.Contains(script, "CID=$(curl") || !strings.Contains(script, "IID=$(curl") || !strings.Contains(script, "HOOK_SIG=") {
		t.Fatalf("script lacks a section:\n%s", script)
	}
	path := filepath.Join(t.TempDir(), "quickstart.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	uuid := regexp.MustCompile(`(?m)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	problem := regexp.MustCompile(`"status":(\d{3}),"title":"([^"]+)"`)
	var ids []string
	var outcomes [][]string
	for paste := range 2 {
		out, err := exec.Command("bash", path).CombinedOutput()
		if err != nil {
			t.Fatalf("paste %d: %v\n%s", paste+1, err, out)
		}
		got := uuid.FindAllString(string(out), -1)
		if len(got) != 2 {
			t.Fatalf("paste %d echoed ids %v, want the complaint's and the investigation's:\n%s", paste+1, got, out)
		}
		ids = append(ids, got...)
		var refusals []string
		for _, m := range problem.FindAllStringSubmatch(string(out), -1) {
			refusals = append(refusals, m[1]+" "+m[2])
		}
		refusals = append(refusals, regexp.MustCompile(`HTTP/1.1 \d{3}`).FindAllString(string(out), -1)...)
		outcomes = append(outcomes, refusals)
	}
	if distinct := slices.Compact(slices.Sorted(slices.Values(ids))); len(distinct) != 4 {
		t.Errorf("ids %v: each paste must make a new complaint and investigation", ids)
	}
	want := []string{"403 Disclosure refused by the privacy notice", "403 Forbidden", "400 Duplicate key",
		"403 Disclosure refused by the privacy notice", "409 Illegal transition",
		"HTTP/1.1 204", "HTTP/1.1 401", "HTTP/1.1 401"}
	for paste, got := range outcomes {
		if !slices.Equal(got, want) {
			t.Errorf("paste %d answered\n%v\nwant\n%v", paste+1, got, want)
		}
	}
}
