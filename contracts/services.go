package contracts

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Service is one entry of services.yaml: what builds, runs and wires one service.
type Service struct {
	Name     string   `yaml:"name"`
	Summary  string   `yaml:"summary"`
	Main     string   `yaml:"main"`     // ./services/<name>/cmd/<name>
	Port     int      `yaml:"port"`     // HTTP, locally and in docker-compose.yml
	Database string   `yaml:"database"` // its own PostgreSQL database
	NATSUser string   `yaml:"nats_user"`
	Roles    []string `yaml:"roles"`
	// Notice: serves GET /notice from notices/<name>.yaml.
	Notice bool `yaml:"notice"`
	// Publishes are subject families (events, status, share, deadletter), each in its own
	// stream; see Streams.
	Publishes []string `yaml:"publishes"`
	// CaseService: publishes disclosures on share.<recipient>.<name>.>, which the delivery
	// worker consumes for webhook partners.
	CaseService bool `yaml:"case_service"`
	// Board is what the managers' board needs of a service that publishes status; read it
	// by OnBoard, which also gives the convention for a service that publishes status
	// without one.
	Board *Board `yaml:"board"`
}

// Board is how the managers' board shows one service's status events.
type Board struct {
	// Managers are the service's roles whose holders see it on the board.
	Managers []string `yaml:"managers"`
	// Finished are the statuses of its status events with which a case is finished: no
	// longer open, due or overdue.
	Finished []string `yaml:"finished"`
}

// StatusClosed is the finished status of a service that publishes status without naming
// its finished statuses.
const StatusClosed = "closed"

// OnBoard is how the board shows the service, and false when it publishes no status. A
// service that publishes status without board (as `services new` writes it) is shown to
// <name>_manager and its cases are finished when closed.
func (s Service) OnBoard() (Board, bool) {
	if !slices.Contains(s.Publishes, FamilyStatus) {
		return Board{}, false
	}
	if s.Board != nil {
		return Board{Managers: slices.Clone(s.Board.Managers), Finished: slices.Clone(s.Board.Finished)}, true
	}
	return Board{Managers: []string{s.Name + "_manager"}, Finished: []string{StatusClosed}}, true
}

// Stream is one JetStream stream a service owns: its name and the subjects it captures.
type Stream struct {
	Family  string
	Name    string
	Subject string
}

// Subject families a service may publish, by the conventions every service follows
// (pkg/messaging.ServiceStreams provisions exactly these).
const (
	FamilyEvents     = "events"
	FamilyStatus     = "status"
	FamilyShare      = "share"
	FamilyDeadLetter = "deadletter"
)

var familySubject = map[string]func(service string) string{
	FamilyEvents:     func(s string) string { return s + ".events.>" },
	FamilyStatus:     func(s string) string { return "status." + s + ".>" },
	FamilyShare:      func(s string) string { return "share.*." + s + ".>" },
	FamilyDeadLetter: func(s string) string { return "deadletter." + s + ".>" },
}

// EnvPrefix is the prefix of the service's environment variables, e.g. COMPLAINTS.
func (s Service) EnvPrefix() string { return strings.ToUpper(s.Name) }

// Dir is the service's module folder from the repository root, e.g. services/complaints.
func (s Service) Dir() string { return "services/" + s.Name }

// Streams are the streams of the families the service publishes, in list order:
// <NAME>_<FAMILY> capturing that family's subjects.
func (s Service) Streams() []Stream {
	out := make([]Stream, 0, len(s.Publishes))
	for _, f := range s.Publishes {
		out = append(out, Stream{Family: f, Name: s.EnvPrefix() + "_" + strings.ToUpper(f), Subject: familySubject[f](s.Name)})
	}
	return out
}

// ServiceList is every service, in file order.
type ServiceList []Service

// Get returns the service named name.
func (l ServiceList) Get(name string) (Service, bool) {
	i := slices.IndexFunc(l, func(s Service) bool { return s.Name == name })
	if i < 0 {
		return Service{}, false
	}
	return l[i], true
}

// Names are the services' names, in file order.
func (l ServiceList) Names() []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.Name
	}
	return out
}

// ShareStreams are the case services' disclosure streams, which the delivery worker reads.
func (l ServiceList) ShareStreams() []string {
	var out []string
	for _, s := range l {
		for _, st := range s.Streams() {
			if st.Family == FamilyShare {
				out = append(out, st.Name)
			}
		}
	}
	return out
}

// Services returns the built-in services.yaml, parsed and validated.
func Services() (ServiceList, error) {
	b, err := files.ReadFile("services.yaml")
	if err != nil {
		return nil, err
	}
	return ParseServices(b)
}

// ParseServices reads a services list strictly (unknown keys refused) and validates it,
// reporting every problem.
func ParseServices(data []byte) (ServiceList, error) {
	var doc struct {
		Services ServiceList `yaml:"services"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("services list: %w", err)
	}
	if err := validateServices(doc.Services); err != nil {
		return nil, fmt.Errorf("services list: %w", err)
	}
	return doc.Services, nil
}

var (
	serviceNamePattern = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	identPattern       = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	natsUserPattern    = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

func validateServices(list ServiceList) error {
	var problems []error
	if len(list) == 0 {
		return errors.New("no services")
	}
	// taken records who already uses a value that must be unique across services.
	taken := map[string]string{}
	unique := func(owner, what, value string) {
		key := what + "\x00" + value
		if other, dup := taken[key]; dup {
			problems = append(problems, fmt.Errorf("%s: %s %q is already %s's", owner, what, value, other))
		}
		taken[key] = owner
	}
	for i, s := range list {
		owner := fmt.Sprintf("service %d (%s)", i+1, s.Name)
		add := func(format string, args ...any) {
			problems = append(problems, fmt.Errorf(owner+": "+format, args...))
		}
		if !serviceNamePattern.MatchString(s.Name) {
			add("name must be lower-case letters and digits, starting with a letter")
		}
		unique(owner, "name", s.Name)
		if strings.TrimSpace(s.Summary) == "" {
			add("summary is empty")
		}
		if want := "./services/" + s.Name + "/cmd/" + s.Name; s.Main != want {
			add("main %q must be %s (the Dockerfile builds that)", s.Main, want)
		}
		if s.Port < 1024 || s.Port > 65535 {
			add("port %d must be 1024-65535", s.Port)
		}
		unique(owner, "port", fmt.Sprint(s.Port))
		if !identPattern.MatchString(s.Database) {
			add("database %q must be lower-case letters, digits and _", s.Database)
		}
		unique(owner, "database", s.Database)
		if !natsUserPattern.MatchString(s.NATSUser) {
			add("nats_user %q must be lower-case letters, digits and -", s.NATSUser)
		}
		unique(owner, "nats_user", s.NATSUser)
		for _, r := range s.Roles {
			if !identPattern.MatchString(r) {
				add("role %q must be lower-case letters, digits and _", r)
			}
			unique(owner, "role", r)
		}
		seen := map[string]bool{}
		for _, f := range s.Publishes {
			if familySubject[f] == nil {
				add("publishes %q: want events, status, share or deadletter", f)
			} else if seen[f] {
				add("publishes %q twice", f)
			}
			seen[f] = true
		}
		if s.CaseService != seen[FamilyShare] {
			add("case_service is %t but share is %s its publishes: a case service is one that publishes disclosures",
				s.CaseService, map[bool]string{true: "in", false: "not in"}[seen[FamilyShare]])
		}
		if s.CaseService && !s.Notice {
			add("a case service needs its notice: disclosures are decided by it")
		}
		for _, p := range boardProblems(s, seen[FamilyStatus]) {
			add("%s", p)
		}
	}
	return errors.Join(problems...)
}

// boardProblems are what is wrong with how the board would show s.
func boardProblems(s Service, status bool) []string {
	var out []string
	if s.Board == nil {
		if status && !slices.Contains(s.Roles, s.Name+"_manager") {
			out = append(out, fmt.Sprintf("publishes status but has no board, and no role %s_manager to show it to: "+
				"name board.managers among its roles", s.Name))
		}
		return out
	}
	if !status {
		out = append(out, "board: only a service that publishes status is on the board")
	}
	list := func(what string, values []string, check func(string) string) {
		if len(values) == 0 {
			out = append(out, fmt.Sprintf("board.%s is empty", what))
		}
		seen := map[string]bool{}
		for _, v := range values {
			if seen[v] {
				out = append(out, fmt.Sprintf("board.%s names %q twice", what, v))
			}
			seen[v] = true
			if p := check(v); p != "" {
				out = append(out, fmt.Sprintf("board.%s %q %s", what, v, p))
			}
		}
	}
	list("managers", s.Board.Managers, func(r string) string {
		if !slices.Contains(s.Roles, r) {
			return "is not one of its roles"
		}
		return ""
	})
	list("finished", s.Board.Finished, func(v string) string {
		if !identPattern.MatchString(v) {
			return "must be lower-case letters, digits and _"
		}
		return ""
	})
	return out
}
