package catalogue

import (
	"slices"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	l, err := Load([]byte("version: \"1\"\nservices:\n  - {id: waste, label: Bins}\n  - {id: council-tax, label: Council tax}\n"), "services")
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != "1" || !slices.Equal(l.IDs(), []string{"waste", "council-tax"}) || !l.Has("council-tax") || l.Has("Council tax") || l.Has("") {
		t.Fatalf("loaded %+v", l)
	}
}

func TestLoadRefusesWhatIsNotAControlledList(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"no list", "version: \"1\"\n", `no "services" list`},
		{"empty list", "services: []\n", "services: the list is empty"},
		{"free text id", "services:\n  - {id: Housing repairs for Jo at 1 High St, label: x}\n", `services[0].id "Housing repairs for Jo at 1 High St"`},
		{"duplicate", "services:\n  - {id: waste, label: a}\n  - {id: waste, label: b}\n", `services[1].id: duplicate id "waste"`},
		{"no label", "services:\n  - {id: waste}\n", "services[0].label: empty"},
		{"unknown field", "services:\n  - {id: waste, label: a, owner: Jo}\n", "field owner not found"},
		{"not YAML", "services: [\n", "catalogue:"},
	} {
		_, err := Load([]byte(tc.doc), "services")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}
