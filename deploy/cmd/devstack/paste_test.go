package main

import (
	"maps"
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
// long compile and one of which runs until Ctrl-C). Each section first echoes a marker line
// "## <section>", so its answers can be told apart.
func quickStartScript(quick string) string {
	var lines []string
	section := ""
	for _, l := range strings.Split(quick, "\n") {
		if !strings.HasPrefix(l, " ") {
			section = l
			if strings.HasPrefix(section, "Quick start") || strings.HasPrefix(section, "Webhook partners") {
				lines = append(lines, "echo "+shellQuote(marker+sectionName(section)))
			}
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

const marker = "## "

// sectionName is a section's heading up to its colon.
func sectionName(heading string) string {
	name, _, _ := strings.Cut(heading, ":")
	return strings.TrimSpace(name)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// pasteAnswers are, for each section the quick start prints, the problems (status and
// title) and the webhook receiver's answers a paste gets, in order. A service that adds a
// quick start adds its line here.
var pasteAnswers = map[string][]string{
	"Quick start (complaints, stage 1 -> stage 2 -> stage 3 with the Ombudsman)": {
		"403 Disclosure refused by the privacy notice", "403 Forbidden", "400 Duplicate key"},
	"Quick start (community protection investigations; referrals follow the notice, /notice)": {
		"403 Disclosure refused by the privacy notice", "409 Illegal transition"},
	"Webhook partners (from contracts/partners.yaml)":  {"HTTP/1.1 204", "HTTP/1.1 401", "HTTP/1.1 401"},
	"Quick start (publication decisions":               {},
	"Quick start (debt recovery, Mid Kent Enforcement": {"404 Not found", "409 Conflict", "400 Validation failed", "403 Forbidden"},
	"Quick start (information rights":                  {},
}

// answersBySection splits one paste's output at the section markers.
func answersBySection(out string) map[string][]string {
	problem := regexp.MustCompile(`"status":(\d{3}),"title":"([^"]+)"|HTTP/1\.1 \d{3}`)
	got := map[string][]string{}
	section := ""
	for _, l := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(l, marker); ok {
			section = name
			got[section] = []string{}
			continue
		}
		for _, m := range problem.FindAllStringSubmatch(l, -1) {
			if m[1] != "" {
				got[section] = append(got[section], m[1]+" "+m[2])
			} else {
				got[section] = append(got[section], m[0])
			}
		}
	}
	return got
}

// The whole stack's quick start, pasted twice in a row, does the same each time: a new
// complaint and investigation each paste, the same refusals and nothing else refused.
func TestQuickStartPastesCleanlyTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole stack")
	}
	for _, tool := range []string{"bash", "curl", "sed", "openssl", "base64", "od"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed: run deploy/local/shelltools.sh (make test does)", tool)
		}
	}
	root, _ := filepath.Abs("../../..")
	run := devrun.Start(t, root, devrun.Build(t, root))
	quick := run.Output()[strings.Index(run.Output(), "================ Casework is running"):]
	script := quickStartScript(quick)
	if !strings.Contains(script, "CID=$(curl") || !strings.Contains(script, "IID=$(curl") || !strings.Contains(script, "HOOK_SIG=") ||
		!strings.Contains(script, "DID=$(printf") {
		t.Fatalf("script lacks a section:\n%s", script)
	}
	path := filepath.Join(t.TempDir(), "quickstart.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	uuid := regexp.MustCompile(`(?m)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	var ids []string
	for paste := range 2 {
		out, err := exec.Command("bash", path).CombinedOutput()
		if err != nil {
			t.Fatalf("paste %d: %v\n%s", paste+1, err, out)
		}
		got := uuid.FindAllString(string(out), -1)
		if len(got) < 3 {
			t.Fatalf("paste %d echoed ids %v, want at least the complaint's, the investigation's and the debt's:\n%s", paste+1, got, out)
		}
		ids = append(ids, got...)
		answers := answersBySection(string(out))
		for _, name := range slices.Sorted(maps.Keys(answers)) {
			want, known := pasteAnswers[name]
			if !known {
				t.Errorf("paste %d: section %q answered %v; add what it should answer to pasteAnswers", paste+1, name, answers[name])
			} else if !slices.Equal(answers[name], want) {
				t.Errorf("paste %d: section %q answered\n%v\nwant\n%v", paste+1, name, answers[name], want)
			}
		}
		if len(answers) != len(pasteAnswers) {
			t.Errorf("paste %d: sections %v, want %v", paste+1, slices.Sorted(maps.Keys(answers)), slices.Sorted(maps.Keys(pasteAnswers)))
		}
	}
	if distinct := slices.Compact(slices.Sorted(slices.Values(ids))); len(distinct) != len(ids) {
		t.Errorf("ids %v: each paste must make new cases", ids)
	}
}

func TestPasteAnswersAreToldApartBySection(t *testing.T) {
	script := quickStartScript("Dev tokens (12 hours), paste into your shell:\n  export A=1\n\nQuick start (x, y):\n  curl -s x\n" +
		"Partner feeds over NATS (accounts):\n  go tool nats sub x\nWebhook partners (from p): a, b\n  The worker posts\n  curl -s -i y\n")
	want := "export A=1\necho '## Quick start (x, y)'\ncurl -s x\necho '## Webhook partners (from p)'\ncurl -s -i y\n"
	if script != want {
		t.Errorf("script =\n%s\nwant\n%s", script, want)
	}
	got := answersBySection("## Quick start (x, y)\n{\"status\":403,\"title\":\"Forbidden\"}\nok\n## Webhook partners (from p)\nHTTP/1.1 204 No Content\nHTTP/1.1 401 Unauthorized\n")
	if !slices.Equal(got["Quick start (x, y)"], []string{"403 Forbidden"}) || !slices.Equal(got["Webhook partners (from p)"], []string{"HTTP/1.1 204", "HTTP/1.1 401"}) || len(got) != 2 {
		t.Errorf("answers = %v", got)
	}
}
