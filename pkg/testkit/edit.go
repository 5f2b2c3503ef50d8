package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EditedFile writes raw, with each old text in pairs replaced once by the new
// text after it, to a file named name in a temporary directory, and returns its
// path. An edit that does not apply fails the test, so a test whose edit no
// longer matches the original says so rather than testing the original.
func EditedFile(t testing.TB, name string, raw []byte, pairs ...string) string {
	t.Helper()
	if len(pairs)%2 != 0 {
		t.Fatal("EditedFile: pairs of old and new text, please")
	}
	text := string(raw)
	for i := 0; i < len(pairs); i += 2 {
		edited := strings.Replace(text, pairs[i], pairs[i+1], 1)
		if edited == text {
			t.Fatalf("edit %q does not apply to %s", pairs[i], name)
		}
		text = edited
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
