package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// NewInvestigation is a report as logged.
type NewInvestigation struct {
	Area       string
	Scope      string
	HateCrime  bool
	Channel    string
	ReceivedAt time.Time
	People     []Person
	Matter     Matter
	Evidence   []EvidenceItem
	Special    []SpecialItem
	Emails     []Email
	Assigned   []string
}

// Areas are the notice's case types, checked by the app against the notice.
type Areas interface{ IsArea(id string) bool }

// dogScopes narrow the dogs area; no other area takes a scope.
var dogScopes = []string{"stray_dog", "dangerous_dog", "nuisance_dog"}

// Open validates a report and opens the investigation in status received, assigned to
// the officer who logged it and any others named.
func Open(id string, in NewInvestigation, areas Areas, officer string, now time.Time, newID func() string) (*Investigation, Event, error) {
	if !areas.IsArea(in.Area) {
		return nil, Event{}, &casework.ValidationError{Field: "area", Detail: fmt.Sprintf("%q is not an area of the community protection notice", in.Area)}
	}
	switch {
	case in.Area == "dangerous_and_nuisance_dogs" && !slices.Contains(dogScopes, in.Scope):
		return nil, Event{}, &casework.ValidationError{Field: "scope", Detail: "a dog case needs a scope: " + strings.Join(dogScopes, ", ")}
	case in.Area != "dangerous_and_nuisance_dogs" && in.Scope != "":
		return nil, Event{}, &casework.ValidationError{Field: "scope", Detail: "only dog cases take a scope"}
	case in.HateCrime && in.Area != "anti_social_behaviour":
		return nil, Event{}, &casework.ValidationError{Field: "hate_crime", Detail: "hate crime is recorded within the anti-social behaviour area"}
	case strings.TrimSpace(in.Matter.Summary) == "":
		return nil, Event{}, &casework.ValidationError{Field: "matter/summary", Detail: "describe the matter that requires investigation"}
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	if err := checkReceived("received_at", in.ReceivedAt, now); err != nil {
		return nil, Event{}, err
	}
	c := &Investigation{ID: id, Area: in.Area, Scope: in.Scope, HateCrime: in.HateCrime, Status: StatusReceived,
		Channel: in.Channel, ReceivedAt: in.ReceivedAt, CreatedBy: officer, Assigned: []string{officer},
		People: []Person{}, Matter: in.Matter, Evidence: []EvidenceItem{}, Special: []SpecialItem{}, Emails: []Email{},
		Actions: []EnforcementAction{}, Conditions: []RecordedCondition{}}
	for i, o := range in.Assigned {
		if err := officerFault(fmt.Sprintf("assigned_officers/%d", i), o); err != nil {
			return nil, Event{}, err
		}
		if !slices.Contains(c.Assigned, o) {
			c.Assigned = append(c.Assigned, o)
		}
	}
	var err error
	if err = validMatter(c.Matter, now); err != nil {
		return nil, Event{}, err
	}
	// People first: the other items may refer to them by id.
	for i, p := range in.People {
		if _, err := c.AddPerson(p, now, newID); err != nil {
			return nil, Event{}, within("people", i, err)
		}
	}
	for i, e := range in.Evidence {
		if e.PersonID, err = c.personRef(e.PersonID); err != nil {
			return nil, Event{}, within("evidence", i, err)
		}
		if _, err := c.AddEvidence(e, now, newID); err != nil {
			return nil, Event{}, within("evidence", i, err)
		}
	}
	for i, s := range in.Special {
		if s.PersonID, err = c.personRef(s.PersonID); err != nil {
			return nil, Event{}, within("special_category_data", i, err)
		}
		if _, err := c.AddSpecial(s, now, newID); err != nil {
			return nil, Event{}, within("special_category_data", i, err)
		}
	}
	for i, m := range in.Emails {
		if _, err := c.AddEmail(m, now, newID); err != nil {
			return nil, Event{}, within("emails", i, err)
		}
	}
	return c, Event{Type: "received"}, nil
}

// validMatter checks the matter's dates: days it happened, or for a planned event (road
// closures, event safety) days it will, up to two years ahead.
func validMatter(m Matter, now time.Time) error {
	ahead := calendar.Limit{Date: calendar.YearsFrom(calendar.DateOf(now), 2), Name: "two years from today"}
	for i, d := range m.Dates {
		if _, err := checkDay(fmt.Sprintf("matter/dates/%d", i), d, calendar.Limit{Date: calendar.Earliest}, ahead); err != nil {
			return err
		}
	}
	return nil
}

// PersonIndexRef refers, in a new report, to the person at index i of its people.
func PersonIndexRef(i int) string { return "#" + strconv.Itoa(i) }

func (c *Investigation) personRef(ref string) (string, error) {
	rest, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return ref, nil
	}
	i, err := strconv.Atoi(rest)
	if err != nil || i < 0 || i >= len(c.People) {
		return "", &casework.ValidationError{Field: "person_index", Detail: "must be the index of a person in people"}
	}
	return c.People[i].ID, nil
}
