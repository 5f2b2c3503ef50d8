package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/deploy/internal/devrun"
	"casework.dev/deploy/internal/stack"
)

// TestThrowawayServiceFollowingTheDocs follows docs/adding-a-service.md in a copy of the
// repository: creates a service, counts the files it touched outside its own folder, checks
// the repository against the list, runs the service's own test, builds it, starts it under
// the devstack, checks its routes, stops it, removes it, and finds the copy as it was.
func TestThrowawayServiceFollowingTheDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts a service")
	}
	root := copyRepository(t)
	before := snapshot(t, root)
	const name = "throwaway"

	// 1. Create it.
	var out bytes.Buffer
	if err := run([]string{"new", "-name", name, "-summary", "a throwaway service proving docs/adding-a-service.md"}, root, &out); err != nil {
		t.Fatalf("services new: %v\n%s", err, out.String())
	}
	var outside []string
	for _, f := range changed(before, snapshot(t, root)) {
		if !strings.HasPrefix(f, "services/"+name+"/") {
			outside = append(outside, f)
		}
	}
	want := []string{"contracts/notices/" + name + ".yaml", "contracts/openapi/" + name + ".yaml", "contracts/services.yaml",
		"go.work", "migrations/" + name + "/00001_" + name + ".sql"}
	if !slices.Equal(outside, want) {
		t.Fatalf("files touched outside services/%s = %v\nwant %v", name, outside, want)
	}
	t.Logf("adding a service touched %d files outside its folder: %v", len(outside), outside)

	// 2. Check it: the list agrees with the repository, and the skeleton's own test passes.
	if err := stack.Check(root); err != nil {
		t.Fatalf("check-services: %v", err)
	}
	devrun.Go(t, root, "test", "-count=1", "./services/"+name+"/...")

	// 3. Run it under the devstack, on free ports, and ask its routes.
	devstack := devrun.Start(t, root, devrun.Build(t, root, name), name)
	banner := regexp.MustCompile(`(?m)^  ` + name + `\s+(http://127\.0\.0\.1:\d+)   \(contract /openapi\.yaml, privacy notice /notice\)$`)
	base := devstack.WaitFor(t, "its line in the banner", banner)[1]
	token := regexp.MustCompile(`(?m)^  export ` + strings.ToUpper(name) + `_OFFICER=\S+   # dev-` + name + `-officer: ` + name + `_officer$`)
	if !token.MatchString(devstack.Output()) {
		t.Errorf("the quick start has no dev token for %s_officer:\n%s", name, devstack.Tail())
	}
	for path, check := range map[string]func(status int, body string) bool{
		"/readyz":  func(s int, b string) bool { return s == 200 && strings.TrimSpace(b) == `{"status":"ready"}` },
		"/healthz": func(s int, b string) bool { return s == 200 && strings.TrimSpace(b) == `{"status":"ok"}` },
		"/notice": func(s int, b string) bool {
			return s == 200 && strings.HasPrefix(b, "# Privacy notice: a throwaway service")
		},
		"/openapi.yaml": func(s int, b string) bool { return s == 200 && strings.HasPrefix(b, "openapi: 3.1.0") },
	} {
		status, body := get(t, base+path)
		if !check(status, body) {
			t.Errorf("GET %s = %d %.100q", path, status, body)
		}
	}

	// 4. Remove it: the copy is as it was.
	out.Reset()
	if err := run([]string{"remove", "-name", name}, root, &out); err != nil {
		t.Fatalf("services remove: %v\n%s", err, out.String())
	}
	if diff := changed(before, snapshot(t, root)); len(diff) != 0 {
		t.Errorf("after removal these differ from before: %v", diff)
	}
	if err := stack.Check(root); err != nil {
		t.Errorf("check-services after removal: %v", err)
	}
}

// copyRepository copies the working tree, without build output, local state or .git.
func copyRepository(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if skipped(rel) {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(rel, ".test") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func skipped(rel string) bool {
	return slices.Contains([]string{".git", "bin", ".local", "deploy/local/run"}, filepath.ToSlash(rel))
}

// snapshot is every file's digest by slash-separated path, build output and state aside.
func snapshot(t *testing.T, root string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && skipped(rel) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = sha256.Sum256(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// changed lists, sorted, the files added, removed or modified between two snapshots.
func changed(before, after map[string][32]byte) []string {
	var out []string
	for _, f := range slices.Sorted(maps.Keys(after)) {
		if sum, ok := before[f]; !ok || sum != after[f] {
			out = append(out, f)
		}
	}
	for f := range before {
		if _, ok := after[f]; !ok {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
