package contracts_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts"
)

func TestBuiltInServicesList(t *testing.T) {
	list, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	if got := list.Names(); len(got) < 3 || !slices.Equal(got[:3], []string{"complaints", "delivery", "investigations"}) {
		t.Fatalf("names = %v, want complaints, delivery and investigations first", got)
	}
	complaints, _ := list.Get("complaints")
	want := contracts.Service{
		Name: "complaints", Summary: complaints.Summary, Main: "./services/complaints/cmd/complaints", Port: 8081,
		Database: "casework_complaints", NATSUser: "complaints",
		Roles:  []string{"complaints_officer", "complaints_manager", "complaints_lgo"},
		Notice: true, Publishes: []string{"events", "status", "share", "deadletter"}, CaseService: true,
		Board: &contracts.Board{Managers: []string{"complaints_manager"}, Finished: []string{"closed"}},
	}
	if !reflect.DeepEqual(complaints, want) {
		t.Errorf("complaints =\n%+v\nwant\n%+v", complaints, want)
	}
	delivery, _ := list.Get("delivery")
	if delivery.Port != 8082 || delivery.Notice || delivery.CaseService || len(delivery.Publishes) != 0 || delivery.Database != "casework_delivery" {
		t.Errorf("delivery = %+v", delivery)
	}
	investigations, _ := list.Get("investigations")
	if investigations.Port != 8083 || !investigations.CaseService || investigations.NATSUser != "investigations" {
		t.Errorf("investigations = %+v", investigations)
	}
	var wantShares []string
	for _, s := range list {
		if s.CaseService {
			wantShares = append(wantShares, s.EnvPrefix()+"_SHARE")
		}
	}
	if got := list.ShareStreams(); !slices.Equal(got, wantShares) || !slices.Equal(got[:2], []string{"COMPLAINTS_SHARE", "INVESTIGATIONS_SHARE"}) {
		t.Errorf("share streams = %v, want every case service's: %v", got, wantShares)
	}
	if _, ok := list.Get("nosuchservice"); ok {
		t.Error("Get found a service the list does not name")
	}
}

func TestServiceStreamsFollowTheSubjectConventions(t *testing.T) {
	s := contracts.Service{Name: "debt", Publishes: []string{"events", "status", "share", "deadletter"}}
	want := []contracts.Stream{
		{Family: "events", Name: "DEBT_EVENTS", Subject: "debt.events.>"},
		{Family: "status", Name: "DEBT_STATUS", Subject: "status.debt.>"},
		{Family: "share", Name: "DEBT_SHARE", Subject: "share.*.debt.>"},
		{Family: "deadletter", Name: "DEBT_DEADLETTER", Subject: "deadletter.debt.>"},
	}
	if got := s.Streams(); !slices.Equal(got, want) {
		t.Errorf("streams =\n%v\nwant\n%v", got, want)
	}
	if s.EnvPrefix() != "DEBT" || s.Dir() != "services/debt" {
		t.Errorf("prefix %q dir %q", s.EnvPrefix(), s.Dir())
	}
}

const goodEntry = `
  - name: debt
    summary: debt recovery
    main: ./services/debt/cmd/debt
    port: 8084
    database: casework_debt
    nats_user: debt
    roles: [debt_officer]
    notice: true
    publishes: [events, status, share, deadletter]
    case_service: true
    board:
      managers: [debt_officer]
      finished: [paid, returned]
`

func TestServicesListRefusesWhatWouldMiswire(t *testing.T) {
	if _, err := contracts.ParseServices([]byte("services:" + goodEntry)); err != nil {
		t.Fatalf("good entry refused: %v", err)
	}
	cases := map[string]struct {
		from, to string // replaced in goodEntry
		extra    string // appended as a second service
		want     string
	}{
		"unknown key":             {from: "    notice: true", to: "    notice: true\n    colour: red", want: "field colour not found"},
		"bad name":                {from: "name: debt", to: "name: Debt-Recovery", want: `name must be lower-case letters and digits`},
		"main elsewhere":          {from: "./services/debt/cmd/debt", to: "./cmd/debt", want: `main "./cmd/debt" must be ./services/debt/cmd/debt`},
		"low port":                {from: "8084", to: "80", want: "port 80 must be 1024-65535"},
		"unknown family":          {from: "[events, status, share, deadletter]", to: "[events, gossip]", want: `publishes "gossip": want events, status, share or deadletter`},
		"case service no share":   {from: "[events, status, share, deadletter]", to: "[events, status]", want: "case_service is true but share is not in its publishes"},
		"share but not case":      {from: "case_service: true", to: "case_service: false", want: "case_service is false but share is in its publishes"},
		"case service no notice":  {from: "notice: true", to: "notice: false", want: "a case service needs its notice"},
		"missing summary":         {from: "    summary: debt recovery\n", to: "", want: "summary is empty"},
		"duplicate port":          {extra: strings.NewReplacer("name: debt", "name: rights", "/debt", "/rights", "casework_debt", "casework_rights", "nats_user: debt", "nats_user: rights", "debt_officer", "rights_officer").Replace(goodEntry), want: `service 2 (rights): port "8084" is already service 1 (debt)'s`},
		"duplicate role":          {extra: strings.NewReplacer("name: debt", "name: rights", "/debt", "/rights", "8084", "8085", "casework_debt", "casework_rights", "nats_user: debt", "nats_user: rights").Replace(goodEntry), want: `service 2 (rights): role "debt_officer" is already service 1 (debt)'s`},
		"duplicate database":      {extra: strings.NewReplacer("name: debt", "name: rights", "/debt", "/rights", "8084", "8085", "nats_user: debt", "nats_user: rights", "debt_officer", "rights_officer").Replace(goodEntry), want: `database "casework_debt" is already service 1 (debt)'s`},
		"duplicate nats user":     {extra: strings.NewReplacer("name: debt", "name: rights", "/debt", "/rights", "8084", "8085", "casework_debt", "casework_rights", "debt_officer", "rights_officer").Replace(goodEntry), want: `nats_user "debt" is already service 1 (debt)'s`},
		"nats user with wildcard": {from: "nats_user: debt", to: "nats_user: debt.>", want: `nats_user "debt.>" must be lower-case letters, digits and -`},
		"board manager not its role": {from: "managers: [debt_officer]", to: "managers: [debt_officer, complaints_manager]",
			want: `service 1 (debt): board.managers "complaints_manager" is not one of its roles`},
		"board without managers":  {from: "managers: [debt_officer]", to: "managers: []", want: "service 1 (debt): board.managers is empty"},
		"board without finished":  {from: "finished: [paid, returned]", to: "finished: []", want: "service 1 (debt): board.finished is empty"},
		"board finished twice":    {from: "finished: [paid, returned]", to: "finished: [paid, paid]", want: `service 1 (debt): board.finished names "paid" twice`},
		"board finished bad name": {from: "finished: [paid, returned]", to: "finished: [Paid]", want: `service 1 (debt): board.finished "Paid" must be lower-case letters, digits and _`},
		"board but no status": {from: "[events, status, share, deadletter]", to: "[events, share, deadletter]",
			want: "service 1 (debt): board: only a service that publishes status is on the board"},
		"status without board or manager": {from: "    board:\n      managers: [debt_officer]\n      finished: [paid, returned]\n", to: "",
			want: "service 1 (debt): publishes status but has no board, and no role debt_manager to show it to: name board.managers among its roles"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			entry := goodEntry
			if c.from != "" {
				entry = strings.Replace(entry, c.from, c.to, 1)
			}
			_, err := contracts.ParseServices([]byte("services:" + entry + c.extra))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
	if _, err := contracts.ParseServices([]byte("services: []\n")); err == nil || !strings.Contains(err.Error(), "no services") {
		t.Errorf("empty list: err = %v", err)
	}
}

// The board's facts of each service that publishes status: who manages it, and the statuses
// its domain finishes a case with (services/<name>/internal/domain).
func TestEachStatusPublisherSaysHowTheBoardShowsIt(t *testing.T) {
	list, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]contracts.Board{
		"complaints":     {Managers: []string{"complaints_manager"}, Finished: []string{"closed"}},
		"investigations": {Managers: []string{"investigations_manager"}, Finished: []string{"closed"}},
		"publication":    {Managers: []string{"publication_manager"}, Finished: []string{"not_published", "taken_down", "conviction_quashed", "lapsed"}},
		"debt":           {Managers: []string{"enforcement_manager"}, Finished: []string{"paid", "returned"}},
		"rights":         {Managers: []string{"dpo"}, Finished: []string{"completed", "refused", "responded", "lapsed", "closed"}},
	}
	got := map[string]contracts.Board{}
	for _, s := range list {
		if b, ok := s.OnBoard(); ok {
			got[s.Name] = b
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("board facts =\n%+v\nwant\n%+v", got, want)
	}
}

func TestAStatusPublisherWithoutBoardIsShownToItsManagerAndFinishedWhenClosed(t *testing.T) {
	entry := strings.NewReplacer("roles: [debt_officer]", "roles: [debt_officer, debt_manager]",
		"    board:\n      managers: [debt_officer]\n      finished: [paid, returned]\n", "").Replace(goodEntry)
	list, err := contracts.ParseServices([]byte("services:" + entry))
	if err != nil {
		t.Fatal(err)
	}
	b, ok := list[0].OnBoard()
	if want := (contracts.Board{Managers: []string{"debt_manager"}, Finished: []string{"closed"}}); !ok || !reflect.DeepEqual(b, want) {
		t.Fatalf("OnBoard = %+v, %t; want %+v, true", b, ok, want)
	}
	quiet := contracts.Service{Name: "delivery", Roles: []string{"delivery_manager"}}
	if b, ok := quiet.OnBoard(); ok {
		t.Fatalf("a service that publishes no status is on the board: %+v", b)
	}
}
