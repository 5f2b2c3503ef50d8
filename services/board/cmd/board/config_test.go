package main

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/services/board/internal/domain"
)

// defaultServices is the default of config.Services, as conf reads it from the field's tag.
func defaultServices(t *testing.T) []string {
	t.Helper()
	f, ok := reflect.TypeOf(config{}).FieldByName("Services")
	if !ok {
		t.Fatal("config has no Services")
	}
	for _, part := range strings.Split(f.Tag.Get("conf"), ",") {
		if v, ok := strings.CutPrefix(part, "default:"); ok {
			return strings.Split(v, ";")
		}
	}
	t.Fatal("config.Services has no default")
	return nil
}

// By default the board follows every service that publishes status, in its own order.
func TestTheBoardFollowsEveryStatusPublisherByDefault(t *testing.T) {
	want := []string{"complaints", "investigations", "debt", "publication", "rights"}
	got := defaultServices(t)
	if !slices.Equal(got, want) {
		t.Fatalf("default services %v, want %v", got, want)
	}
	list, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	var publishers []string
	for _, s := range list {
		if _, ok := s.OnBoard(); ok {
			publishers = append(publishers, s.Name)
		}
	}
	slices.Sort(publishers)
	if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, publishers) {
		t.Fatalf("default services %v, but the services that publish status are %v", sorted, publishers)
	}
}

// What the board knows of each service comes from contracts/services.yaml.
func TestFollowedAreReadFromTheServicesList(t *testing.T) {
	got, err := config{Services: defaultServices(t)}.followed()
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Followed{
		{Service: "complaints", Managers: []string{"complaints_manager"}, Finished: []string{"closed"}},
		{Service: "investigations", Managers: []string{"investigations_manager"}, Finished: []string{"closed"}},
		{Service: "debt", Managers: []string{"enforcement_manager"}, Finished: []string{"paid", "returned"}},
		{Service: "publication", Managers: []string{"publication_manager"}, Finished: []string{"not_published", "taken_down", "conviction_quashed", "lapsed"}},
		{Service: "rights", Managers: []string{"dpo"}, Finished: []string{"completed", "refused", "responded", "lapsed", "closed"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("followed =\n%+v\nwant\n%+v", got, want)
	}
	_, err = config{Services: []string{"debt", "delivery", "nosuch", "debt"}}.followed()
	if err == nil || err.Error() != "config: board services: delivery publishes no status events\n"+
		`"nosuch" is not a service (complaints, delivery, investigations, publication, debt, rights, board)`+"\ndebt is named twice" {
		t.Fatalf("err = %v", err)
	}
}
