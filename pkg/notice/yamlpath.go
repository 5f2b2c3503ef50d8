package notice

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong with a notice.
type Problem struct {
	Path    string // key path, e.g. recipients.lgo.rules[0].condition
	Line    int    // 0 when unknown
	Message string
}

func (p Problem) String() string {
	switch {
	case p.Path != "" && p.Line > 0:
		return fmt.Sprintf("%s (line %d): %s", p.Path, p.Line, p.Message)
	case p.Path != "":
		return p.Path + ": " + p.Message
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return p.Message
}

// ValidationError lists every problem found in one notice file.
type ValidationError struct {
	File     string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	if len(parts) == 1 {
		return fmt.Sprintf("invalid notice %s: %s", e.File, parts[0])
	}
	return fmt.Sprintf("invalid notice %s: %d problems: %s", e.File, len(parts), strings.Join(parts, "; "))
}

// nodeIndex remembers where each key path is in the file and the order of
// mapping keys, which Go maps forget.
type nodeIndex struct {
	lines map[string]int
	order map[string][]string
}

func indexDocument(root *yaml.Node) nodeIndex {
	idx := nodeIndex{lines: map[string]int{}, order: map[string][]string{}}
	idx.walk(root, "")
	return idx
}

func (idx nodeIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			idx.walk(c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			p := key
			if path != "" {
				p = path + "." + key
			}
			idx.lines[p] = n.Content[i].Line
			idx.order[path] = append(idx.order[path], key)
			idx.walk(n.Content[i+1], p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			idx.lines[p] = c.Line
			idx.walk(c, p)
		}
	}
}

// line finds the line of path or, failing that, of its nearest parent.
func (idx nodeIndex) line(path string) int {
	for p := path; p != ""; {
		if l, ok := idx.lines[p]; ok {
			return l
		}
		cut := strings.LastIndexAny(p, ".[")
		if cut < 0 {
			break
		}
		p = p[:cut]
	}
	return 0
}

// keys returns a mapping's keys in file order.
func (idx nodeIndex) keys(path string) []string { return idx.order[path] }

var (
	lineRE         = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownFieldRE = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// decodeProblems turns yaml.v3's errors into Problems with key paths.
func decodeProblems(err error, idx nodeIndex) []Problem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	problems := make([]Problem, 0, len(msgs))
	for _, m := range msgs {
		p := Problem{Message: strings.TrimPrefix(m, "yaml: ")}
		if sub := lineRE.FindStringSubmatch(m); sub != nil {
			p.Line, _ = strconv.Atoi(sub[1])
			p.Message = sub[2]
		}
		if sub := unknownFieldRE.FindStringSubmatch(p.Message); sub != nil {
			p.Message = fmt.Sprintf("unknown key %q (misspelt, or not part of the notice schema)", sub[1])
			p.Path = idx.pathAt(p.Line, sub[1])
		} else if p.Line > 0 {
			p.Path = idx.pathOnLine(p.Line)
		}
		problems = append(problems, p)
	}
	return problems
}

// pathAt finds the key path whose last key is key and which sits on line.
func (idx nodeIndex) pathAt(line int, key string) string {
	for p, l := range idx.lines {
		if l == line && (p == key || strings.HasSuffix(p, "."+key)) {
			return p
		}
	}
	return ""
}

// pathOnLine returns the most specific key path that sits on line.
func (idx nodeIndex) pathOnLine(line int) string {
	best := ""
	for p, l := range idx.lines {
		if l == line && (len(p) > len(best) || len(p) == len(best) && p < best) {
			best = p
		}
	}
	return best
}
