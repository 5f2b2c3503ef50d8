package main

import (
	"bufio"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"casework.dev/deploy/internal/stack"
)

const repoRoot = "../../.."

// dockerBuild follows the build stage of deploy/Dockerfile without a Docker engine: its
// ARGs (with args overriding), ENV, WORKDIR, COPY from the build context (the repository
// root) and RUN commands, in a scratch directory standing for the image's filesystem. It
// returns the built binary.
func dockerBuild(t *testing.T, args map[string]string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "deploy", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fsRoot := t.TempDir()
	vars := map[string]string{}
	env := []string{}
	workdir := "/"
	at := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(workdir, p)
		}
		return filepath.Join(fsRoot, p)
	}
	expand := func(s string) string { return os.Expand(s, func(k string) string { return vars[k] }) }
	stages := 0
	var instruction string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			instruction += cont + " "
			continue
		}
		instruction += line
		word, rest, _ := strings.Cut(instruction, " ")
		instruction = ""
		switch strings.ToUpper(word) {
		case "FROM":
			if stages++; stages > 1 {
				return filepath.Join(fsRoot, "out", "service") // the runtime stage only copies it
			}
		case "ARG":
			if stages == 0 {
				continue // global ARGs pick the base image
			}
			name, def, _ := strings.Cut(rest, "=")
			if v, ok := args[name]; ok {
				def = v
			}
			vars[name] = expand(def)
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				env = append(env, expand(kv))
			}
		case "WORKDIR":
			workdir = expand(rest)
			if err := os.MkdirAll(at("."), 0o755); err != nil {
				t.Fatal(err)
			}
		case "COPY":
			parts := strings.Fields(expand(rest))
			dst := parts[len(parts)-1]
			for _, src := range parts[:len(parts)-1] {
				copyInto(t, filepath.Join(repoRoot, src), at(dst), strings.HasSuffix(dst, "/"))
			}
		case "RUN":
			cmd := regexp.MustCompile(`--mount=\S+\s*`).ReplaceAllString(expand(rest), "")
			cmd = strings.ReplaceAll(cmd, "/out/", filepath.Join(fsRoot, "out")+"/")
			t.Logf("RUN %s", cmd)
			run := exec.Command("bash", "-c", cmd)
			run.Dir = at(".")
			run.Env = append(os.Environ(), env...)
			if out, err := run.CombinedOutput(); err != nil {
				t.Fatalf("RUN %s: %v\n%s", cmd, err, out)
			}
		}
	}
	t.Fatal("the Dockerfile has no runtime stage")
	return ""
}

// copyInto copies as COPY does: a directory's contents into dst, a file to dst or, when
// dst names a directory (a trailing /), into it.
func copyInto(t *testing.T, src, dst string, intoDir bool) {
	t.Helper()
	fi, err := os.Stat(src)
	if err != nil {
		t.Fatalf("COPY %s: %v", src, err)
	}
	if fi.IsDir() {
		src, intoDir = src+"/.", true
	} else if intoDir {
		dst = filepath.Join(dst, filepath.Base(src))
	}
	dir := dst
	if !fi.IsDir() {
		dir = filepath.Dir(dst)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("COPY %s %s: %v\n%s", src, dst, err, out)
	}
}

// Each listed service builds with deploy/Dockerfile given only SERVICE=<name> (as
// docker-compose.yml passes it), and so does the operators' natsconf.
func TestEachListedServiceBuildsWithTheDockerfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every service in module mode")
	}
	list, err := stack.Load(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	builds := map[string]map[string]string{"natsconf": {"SERVICE": "natsconf", "MODULE": "deploy"}}
	for _, s := range list {
		builds[s.Name] = map[string]string{"SERVICE": s.Name}
	}
	for _, name := range slices.Sorted(maps.Keys(builds)) {
		t.Run(name, func(t *testing.T) {
			bin := dockerBuild(t, builds[name])
			out, err := exec.Command(bin, "--help").CombinedOutput()
			if err != nil && name != "natsconf" {
				t.Fatalf("%s --help: %v\n%s", name, err, out)
			}
			if name != "natsconf" && !strings.Contains(string(out), strings.ToUpper(name)+"_HTTP_ADDR") {
				t.Errorf("%s --help does not list %s_HTTP_ADDR:\n%s", name, strings.ToUpper(name), out)
			}
		})
	}
}
