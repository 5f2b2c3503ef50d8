package app

import (
	"testing"

	"casework.dev/services/investigations/internal/domain"
)

// Reports about one person or one place count together whichever Unicode form their
// accented letters came in, and whatever the case and punctuation.
func TestASBKeysCompareInOneUnicodeForm(t *testing.T) {
	report := func(name, location string) *domain.Investigation {
		return &domain.Investigation{Area: "anti_social_behaviour", Matter: domain.Matter{Locations: []string{location}},
			People: []domain.Person{{Role: domain.RoleSubject, Name: name}}}
	}
	composedLocation, composedSubject := ASBKeys(report("Zo\u00eb Br\u00f6nte", "Caf\u00e9 Parade, Maidstone"))
	decomposedLocation, decomposedSubject := ASBKeys(report("  ZOE\u0308  BRO\u0308NTE ", "cafe\u0301 parade maidstone"))
	if composedLocation != "café parade maidstone" || decomposedLocation != composedLocation {
		t.Errorf("locations %q and %q, want both %q", composedLocation, decomposedLocation, "café parade maidstone")
	}
	if composedSubject == "" || decomposedSubject != composedSubject {
		t.Errorf("subjects %q and %q, want one key", composedSubject, decomposedSubject)
	}
}
