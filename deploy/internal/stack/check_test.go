package stack_test

import (
	"os"
	"path/filepath"
	"testing"

	"casework.dev/deploy/internal/stack"
)

func TestRepositoryMatchesItsServicesList(t *testing.T) {
	if err := stack.Check(filepath.Join("..", "..", "..")); err != nil {
		t.Fatalf("make check-services:\n%v", err)
	}
}

// fixture is a repository with one complete service, alpha.
func fixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		stack.ListPath: `services:
  - {name: alpha, summary: a, main: ./services/alpha/cmd/alpha, port: 8091, database: casework_alpha, nats_user: alpha,
     roles: [alpha_officer, alpha_manager], notice: true, publishes: [events, status, share, deadletter], case_service: true}
`,
		"go.work":                              "go 1.26.0\n\nuse (\n\t./contracts\n\t./services/alpha\n)\n",
		"services/alpha/go.mod":                "module casework.dev/services/alpha\n",
		"services/alpha/cmd/alpha/main.go":     "package main\n\nfunc main() {}\n",
		"contracts/notices/alpha.yaml":         "service: alpha\n",
		"contracts/openapi/alpha.yaml":         "openapi: 3.1.0\n",
		"migrations/alpha/00001_alpha.sql":     "-- +goose Up\n",
		"migrations/platform/00001_outbox.sql": "-- +goose Up\n",
	}
	for path, body := range files {
		write(t, root, path, body)
	}
	return root
}

func write(t *testing.T, root, path, body string) {
	t.Helper()
	full := filepath.Join(root, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, root, path string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(root, path)); err != nil {
		t.Fatal(err)
	}
}

func TestCheckNamesEachWayTheRepositoryLeavesTheList(t *testing.T) {
	if err := stack.Check(fixture(t)); err != nil {
		t.Fatalf("complete fixture: %v", err)
	}
	cases := map[string]struct {
		change func(t *testing.T, root string)
		want   string
	}{
		"a folder the list does not name": {func(t *testing.T, root string) { write(t, root, "services/beta/go.mod", "module b\n") },
			"services/beta: not in contracts/services.yaml (add its entry, or remove the folder)"},
		"no notice": {func(t *testing.T, root string) { remove(t, root, "contracts/notices/alpha.yaml") },
			"alpha: no privacy notice contracts/notices/alpha.yaml (the list says it serves one)"},
		"no OpenAPI contract": {func(t *testing.T, root string) { remove(t, root, "contracts/openapi/alpha.yaml") },
			"alpha: no OpenAPI contract contracts/openapi/alpha.yaml"},
		"no migrations": {func(t *testing.T, root string) { remove(t, root, "migrations/alpha") },
			"alpha: no migrations (migrations/alpha/*.sql)"},
		"not in go.work": {func(t *testing.T, root string) { write(t, root, "go.work", "go 1.26.0\n\nuse ./contracts\n") },
			"alpha: go.work does not use ./services/alpha"},
		"no main package": {func(t *testing.T, root string) { remove(t, root, "services/alpha/cmd") },
			"alpha: main ./services/alpha/cmd/alpha is not a main package"},
		"no module": {func(t *testing.T, root string) { remove(t, root, "services/alpha/go.mod") },
			"alpha: no module services/alpha/go.mod"},
		"a notice the list does not promise": {func(t *testing.T, root string) {
			write(t, root, stack.ListPath, `services:
  - {name: alpha, summary: a, main: ./services/alpha/cmd/alpha, port: 8091, database: casework_alpha, nats_user: alpha}
`)
		}, "alpha: contracts/notices/alpha.yaml exists but the list says notice: false"},
		"a removed service's notice left behind": {func(t *testing.T, root string) { write(t, root, "contracts/notices/gamma.yaml", "service: gamma\n") },
			"contracts/notices/gamma.yaml: names no service in contracts/services.yaml"},
		"a removed service's migrations left behind": {func(t *testing.T, root string) { write(t, root, "migrations/gamma/00001_gamma.sql", "") },
			"migrations/gamma: names no service in contracts/services.yaml"},
		"a removed service still in go.work": {func(t *testing.T, root string) {
			write(t, root, "go.work", "go 1.26.0\n\nuse (\n\t./services/alpha\n\t./services/gamma\n)\n")
		}, "go.work uses ./services/gamma, which contracts/services.yaml does not name"},
		"an invalid list": {func(t *testing.T, root string) { write(t, root, stack.ListPath, "services: []\n") },
			"services list: no services"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			root := fixture(t)
			c.change(t, root)
			err := stack.Check(root)
			if err == nil || err.Error() != c.want {
				t.Fatalf("err = %v\nwant %s", err, c.want)
			}
		})
	}
}
