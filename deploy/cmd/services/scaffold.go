package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"golang.org/x/mod/modfile"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
)

//go:embed skeleton/*.tmpl
var skeleton embed.FS

// newService is what `services new` asks for; the rest follows from the name.
type newService struct {
	Name    string
	Port    int
	Summary string
}

// skeletonFiles maps each template to where it is written, with {name} the service's name.
// Everything outside services/{name} is one of the contracts a service must have.
var skeletonFiles = map[string]string{
	"go.mod.tmpl":          "services/{name}/go.mod",
	"main.go.tmpl":         "services/{name}/cmd/{name}/main.go",
	"config.go.tmpl":       "services/{name}/cmd/{name}/config.go",
	"run.go.tmpl":          "services/{name}/cmd/{name}/run.go",
	"service.go.tmpl":      "services/{name}/internal/service/service.go",
	"service_test.go.tmpl": "services/{name}/internal/service/service_test.go",
	"migration.sql.tmpl":   "migrations/{name}/00001_{name}.sql",
	"notice.yaml.tmpl":     "contracts/notices/{name}.yaml",
	"openapi.yaml.tmpl":    "contracts/openapi/{name}.yaml",
}

// createService writes a new case service's skeleton (config, database and migrations,
// NATS streams and relay, operational routes, a test) and its entries in the services list
// and go.work, as docs/adding-a-service.md describes.
func createService(root string, n newService, out io.Writer) error {
	list, err := stack.Load(root)
	if err != nil {
		return err
	}
	if n.Port == 0 {
		for _, s := range list {
			n.Port = max(n.Port, s.Port+1)
		}
	}
	if n.Summary == "" {
		n.Summary = "the " + n.Name + " service"
	}
	entry, err := listEntry(n)
	if err != nil {
		return err
	}
	listFile := filepath.Join(root, stack.ListPath)
	current, err := os.ReadFile(listFile)
	if err != nil {
		return err
	}
	next := append(bytes.TrimRight(current, "\n"), entry...)
	nextList, err := contracts.ParseServices(next)
	if err != nil {
		return err
	}
	s, _ := nextList.Get(n.Name)
	if _, err := os.Stat(filepath.Join(root, s.Dir())); err == nil {
		return fmt.Errorf("%s exists already", s.Dir())
	}

	written, err := renderSkeleton(root, s)
	if err != nil {
		return err
	}
	if err := os.WriteFile(listFile, next, 0o644); err != nil {
		return err
	}
	if err := editWork(root, func(w *modfile.WorkFile) error { return w.AddUse("./"+s.Dir(), "") }); err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s (port %d, database %s, roles %s):\n", s.Name, s.Port, s.Database, strings.Join(s.Roles, ", "))
	for _, f := range append(written, stack.ListPath+" (its entry)", "go.work (use ./"+s.Dir()+")") {
		fmt.Fprintln(out, "  "+f)
	}
	return nil
}

// listEntry is the service's entry, appended to the list after a blank line.
func listEntry(n newService) ([]byte, error) {
	summary, err := json.Marshal(n.Summary) // a JSON string is a YAML scalar
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n\n  - name: %s\n", n.Name)
	fmt.Fprintf(&b, "    summary: %s\n", summary)
	fmt.Fprintf(&b, "    main: ./services/%s/cmd/%s\n", n.Name, n.Name)
	fmt.Fprintf(&b, "    port: %d\n", n.Port)
	fmt.Fprintf(&b, "    database: casework_%s\n", n.Name)
	fmt.Fprintf(&b, "    nats_user: %s\n", n.Name)
	fmt.Fprintf(&b, "    roles: [%s_officer, %s_manager]\n", n.Name, n.Name)
	fmt.Fprintf(&b, "    notice: true\n")
	fmt.Fprintf(&b, "    publishes: [events, status, share, deadletter]\n")
	fmt.Fprintf(&b, "    case_service: true\n")
	return b.Bytes(), nil
}

func renderSkeleton(root string, s contracts.Service) ([]string, error) {
	funcs := template.FuncMap{"join": strings.Join}
	var written []string
	for _, name := range slices.Sorted(maps.Keys(skeletonFiles)) {
		rel := strings.ReplaceAll(skeletonFiles[name], "{name}", s.Name)
		tmpl, err := template.New(name).Funcs(funcs).ParseFS(skeleton, "skeleton/"+name)
		if err != nil {
			return written, err
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, s); err != nil {
			return written, fmt.Errorf("%s: %w", name, err)
		}
		body := b.Bytes()
		if strings.HasSuffix(rel, ".go") {
			if body, err = format.Source(body); err != nil {
				return written, fmt.Errorf("%s: %w", rel, err)
			}
		}
		full := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(full, body, 0o644); err != nil {
			return written, err
		}
		written = append(written, rel)
	}
	return written, nil
}

// removeService takes a service out again: its folder, its contracts, its migrations, its
// entry in the list and in go.work.
func removeService(root, name string, out io.Writer) error {
	list, err := stack.Load(root)
	if err != nil {
		return err
	}
	s, ok := list.Get(name)
	if !ok {
		return fmt.Errorf("%s: not in %s", name, stack.ListPath)
	}
	listFile := filepath.Join(root, stack.ListPath)
	current, err := os.ReadFile(listFile)
	if err != nil {
		return err
	}
	next, err := withoutEntry(current, name)
	if err != nil {
		return err
	}
	if err := os.WriteFile(listFile, next, 0o644); err != nil {
		return err
	}
	if err := editWork(root, func(w *modfile.WorkFile) error { return w.DropUse("./" + s.Dir()) }); err != nil {
		return err
	}
	for _, rel := range []string{s.Dir(), "migrations/" + name, "contracts/notices/" + name + ".yaml", "contracts/openapi/" + name + ".yaml"} {
		if err := os.RemoveAll(filepath.Join(root, rel)); err != nil {
			return err
		}
		fmt.Fprintln(out, "removed", rel)
	}
	fmt.Fprintf(out, "removed %s from %s and go.work\n", name, stack.ListPath)
	return nil
}

// withoutEntry removes the list entry starting "  - name: <name>" up to the next entry, and
// the blank line before it.
func withoutEntry(list []byte, name string) ([]byte, error) {
	lines := strings.SplitAfter(string(list), "\n")
	start := slices.Index(lines, "  - name: "+name+"\n")
	if start < 0 {
		return nil, fmt.Errorf("%s: no entry starting %q in %s", name, "  - name: "+name, stack.ListPath)
	}
	end := start + 1
	for end < len(lines) && !strings.HasPrefix(lines[end], "  - ") {
		end++
	}
	for end > start+1 && strings.TrimSpace(lines[end-1]) == "" {
		end-- // the blank line before the next entry stays
	}
	if start > 0 && strings.TrimSpace(lines[start-1]) == "" {
		start--
	}
	return []byte(strings.Join(slices.Delete(lines, start, end), "")), nil
}

func editWork(root string, change func(*modfile.WorkFile) error) error {
	path := filepath.Join(root, "go.work")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	w, err := modfile.ParseWork("go.work", b, nil)
	if err != nil {
		return err
	}
	if err := change(w); err != nil {
		return fmt.Errorf("go.work: %w", err)
	}
	w.Cleanup()
	if len(w.Use) == 0 {
		return errors.New("go.work: no modules left")
	}
	return os.WriteFile(path, modfile.Format(w.Syntax), 0o644)
}
