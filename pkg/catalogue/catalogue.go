// Package catalogue loads a controlled list kept as data: ids with labels, under one key of
// a YAML document. A value from such a list can travel where free text may not (events,
// status feeds, statistics), since it can say nothing but what the list says.
package catalogue

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Entry is one item of the list.
type Entry struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
}

// List is a loaded controlled list, in the order the document gives.
type List struct {
	Version string
	Entries []Entry
}

// idPattern keeps ids short, lower case and free of spaces: codes, not descriptions.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*([-_][a-z0-9]+)*$`)

const maxIDLength = 50

// Load reads the list under key, e.g. Load(raw, "services") for
// `services: [{id: waste, label: ...}]`. Unknown fields, duplicate or malformed ids and
// empty labels are refused, all of them listed.
func Load(raw []byte, key string) (*List, error) {
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	var version string
	if v, ok := doc["version"]; ok {
		if err := v.Decode(&version); err != nil {
			return nil, fmt.Errorf("catalogue: version: %w", err)
		}
	}
	node, ok := doc[key]
	if !ok {
		return nil, fmt.Errorf("catalogue: no %q list", key)
	}
	var entries []Entry
	dec := yaml.NewDecoder(bytes.NewReader(mustMarshal(&node)))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("catalogue: %s: %w", key, err)
	}
	var problems []error
	seen := map[string]bool{}
	for i, e := range entries {
		switch {
		case !idPattern.MatchString(e.ID) || len(e.ID) > maxIDLength:
			problems = append(problems, fmt.Errorf("%s[%d].id %q: lower-case letters and digits joined by - or _, at most %d characters", key, i, e.ID, maxIDLength))
		case seen[e.ID]:
			problems = append(problems, fmt.Errorf("%s[%d].id: duplicate id %q", key, i, e.ID))
		}
		seen[e.ID] = true
		if strings.TrimSpace(e.Label) == "" {
			problems = append(problems, fmt.Errorf("%s[%d].label: empty", key, i))
		}
	}
	if len(entries) == 0 {
		problems = append(problems, fmt.Errorf("%s: the list is empty", key))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("catalogue: %w", errors.Join(problems...))
	}
	return &List{Version: version, Entries: entries}, nil
}

func mustMarshal(n *yaml.Node) []byte {
	b, err := yaml.Marshal(n)
	if err != nil {
		panic(fmt.Sprintf("catalogue: re-marshal a parsed node: %v", err))
	}
	return b
}

// Has reports whether id is in the list.
func (l *List) Has(id string) bool {
	return slices.ContainsFunc(l.Entries, func(e Entry) bool { return e.ID == id })
}

// IDs lists the ids in order.
func (l *List) IDs() []string {
	ids := make([]string, len(l.Entries))
	for i, e := range l.Entries {
		ids[i] = e.ID
	}
	return ids
}
