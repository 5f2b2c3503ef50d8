package migrations_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"casework.dev/migrations"
)

func TestForFindsAServicesFolderByName(t *testing.T) {
	f, err := migrations.For("delivery")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(f, "*.sql")
	if !slices.Equal(names, []string{"00001_delivery.sql", "00002_retry_claim.sql", "00003_dead_letter_body_retention.sql", "00004_article19_erasure.sql"}) {
		t.Errorf("delivery migrations = %v", names)
	}
	for _, name := range []string{"nonexistent", "platform", "../platform", "*"} {
		if _, err := migrations.For(name); err == nil || !strings.HasPrefix(err.Error(), "migrations: ") {
			t.Errorf("For(%q): err = %v, want refused", name, err)
		}
	}
}
