package app

import (
	"reflect"
	"testing"

	"casework.dev/services/board/internal/domain"
)

var followed = []domain.Followed{
	{Service: "complaints", Managers: []string{"complaints_manager"}},
	{Service: "investigations", Managers: []string{"investigations_manager"}},
	{Service: "debt", Managers: []string{"enforcement_manager"}},
	{Service: "publication", Managers: []string{"publication_manager"}},
	{Service: "rights", Managers: []string{"dpo"}},
}

func TestVisibleMapsEachServiceToItsOwnManagerRoles(t *testing.T) {
	for _, c := range []struct {
		roles []string
		want  []string
	}{
		{[]string{"enforcement_manager"}, []string{"debt"}},
		{[]string{"dpo"}, []string{"rights"}},
		{[]string{"publication_manager"}, []string{"publication"}},
		{[]string{"dpo", "complaints_manager", "enforcement_officer"}, []string{"complaints", "rights"}},
		{[]string{"debt_manager", "rights_manager", "dpo_officer", "enforcement_agent", "debt_client"}, []string{}},
		{nil, []string{}},
	} {
		if got := Visible(followed, c.roles); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v see %v, want %v", c.roles, got, c.want)
		}
	}
}

func TestManagerRolesAreEveryFollowedServicesOnce(t *testing.T) {
	shared := append(followed, domain.Followed{Service: "other", Managers: []string{"dpo", "other_manager"}})
	want := []string{"complaints_manager", "investigations_manager", "enforcement_manager", "publication_manager", "dpo", "other_manager"}
	if got := ManagerRoles(shared); !reflect.DeepEqual(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
}
