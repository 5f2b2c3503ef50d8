package stack

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// Check reports every way the repository at root disagrees with its services list: a
// folder under services/ the list does not name; a listed service without its module, main
// package, go.work entry, OpenAPI contract, notice (when it says it serves one) or
// migrations folder; and contracts or migrations left behind for a service not listed.
func Check(root string) error {
	list, err := Load(root)
	if err != nil {
		return err
	}
	work, err := workModules(root)
	if err != nil {
		return err
	}
	var problems []error
	add := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	exists := func(rel string) bool { _, err := os.Stat(filepath.Join(root, rel)); return err == nil }
	listed := func(name string) bool { _, ok := list.Get(name); return ok }

	folders, err := os.ReadDir(filepath.Join(root, "services"))
	if err != nil {
		return err
	}
	for _, f := range folders {
		if f.IsDir() && !listed(f.Name()) {
			add("services/%s: not in %s (add its entry, or remove the folder)", f.Name(), ListPath)
		}
	}
	for _, s := range list {
		if !exists(s.Dir() + "/go.mod") {
			add("%s: no module %s/go.mod", s.Name, s.Dir())
		}
		if pkg, err := build.ImportDir(filepath.Join(root, s.Main), 0); err != nil || pkg.Name != "main" {
			add("%s: main %s is not a main package", s.Name, s.Main)
		}
		if !slices.Contains(work, s.Dir()) {
			add("%s: go.work does not use ./%s", s.Name, s.Dir())
		}
		if !exists(openAPIPath(s.Name)) {
			add("%s: no OpenAPI contract %s", s.Name, openAPIPath(s.Name))
		}
		switch hasNotice := exists(noticePath(s.Name)); {
		case s.Notice && !hasNotice:
			add("%s: no privacy notice %s (the list says it serves one)", s.Name, noticePath(s.Name))
		case !s.Notice && hasNotice:
			add("%s: %s exists but the list says notice: false", s.Name, noticePath(s.Name))
		}
		if sqls, _ := filepath.Glob(filepath.Join(root, "migrations", s.Name, "*.sql")); len(sqls) == 0 {
			add("%s: no migrations (migrations/%s/*.sql)", s.Name, s.Name)
		}
	}

	// What a removed service leaves behind.
	leftovers, _ := filepath.Glob(filepath.Join(root, "contracts", "*", "*.yaml"))
	migrationDirs, _ := filepath.Glob(filepath.Join(root, "migrations", "*"))
	for _, p := range append(leftovers, migrationDirs...) {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		kind := filepath.Base(filepath.Dir(p))
		service := kind == "notices" || kind == "openapi" || (kind == "migrations" && isDir(p) && name != "platform")
		if service && !listed(name) {
			add("%s: names no service in %s", rel, ListPath)
		}
	}
	for _, dir := range work {
		if name, ok := strings.CutPrefix(dir, "services/"); ok && !listed(name) {
			add("go.work uses ./%s, which %s does not name", dir, ListPath)
		}
	}
	return errors.Join(problems...)
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func noticePath(service string) string  { return "contracts/notices/" + service + ".yaml" }
func openAPIPath(service string) string { return "contracts/openapi/" + service + ".yaml" }

// workModules are the module folders go.work uses, relative to root and slash-separated.
func workModules(root string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		return nil, err
	}
	w, err := modfile.ParseWork("go.work", b, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(w.Use))
	for i, u := range w.Use {
		out[i] = filepath.ToSlash(filepath.Clean(u.Path))
	}
	return out, nil
}
