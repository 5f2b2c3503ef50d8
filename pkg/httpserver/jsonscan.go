package httpserver

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The scanner below walks JSON that encoding/json has already accepted, so
// it only tracks structure: one pass, no allocation for objects of up to
// smallObject members whose names need no unescaping. On input that is not
// valid JSON it never panics; its answers are then meaningless.

const smallObject = 32

type span struct{ start, end int }

type scanFrame struct {
	object    bool
	expectKey bool
	index     int  // array: index of the current element
	key       span // object: raw bytes of the current member name, between the quotes
	escaped   bool // object: key contains a backslash escape
	names     int  // object: where its folded names start in scanner.names
	set       map[string]struct{}
}

type jsonScanner struct {
	data  []byte
	pos   int
	stack []scanFrame
	names []span // folded member names of the open objects, stack-ordered
	arena []byte // the folded names' bytes
	// utf8Only makes the scan look for nothing but a string with invalid
	// UTF-8, which it otherwise leaves to the caller's check of the whole body.
	utf8Only bool
	// onValue, when set, is called at the start of every value, and nothing
	// is checked (error paths only).
	onValue func(start int)
}

// memberFault is the first thing scanMembers found wrong, and where.
type memberFault struct {
	pointer   string
	duplicate bool      // a member name repeats an earlier one in its object
	text      textFault // a name or string value cannot be stored exactly as sent
}

func (f memberFault) found() bool { return f.duplicate || f.text != textOK }

// scanMembers finds, in document order, the first member whose name
// repeats an earlier one in the same object (names compared as
// encoding/json matches struct fields, with Unicode case folding), or the
// first name or string value escaping text that cannot be kept exactly as
// sent (U+0000, an unpaired surrogate), and its JSON pointer. data must be
// valid UTF-8.
func scanMembers(data []byte) memberFault {
	var stack [8]scanFrame
	var names [smallObject]span
	var arena [512]byte
	s := jsonScanner{data: data, stack: stack[:0], names: names[:0], arena: arena[:0]}
	return s.run()
}

// findInvalidUTF8 returns the pointer of the first name or string value of
// JSON whose bytes are not valid UTF-8.
func findInvalidUTF8(data []byte) (string, bool) {
	s := jsonScanner{data: data, utf8Only: true}
	f := s.run()
	return f.pointer, f.found()
}

// run scans to the end and returns the first fault found.
func (s *jsonScanner) run() memberFault {
	data := s.data
	for s.pos < len(data) {
		c := data[s.pos]
		switch c {
		case ' ', '\t', '\r', '\n', ':':
			s.pos++
		case '{', '[':
			s.valueStart()
			s.stack = append(s.stack, scanFrame{object: c == '{', expectKey: c == '{', names: len(s.names)})
			s.pos++
		case '}', ']':
			if n := len(s.stack); n > 0 {
				top := s.stack[n-1]
				if top.object {
					s.popNames(top.names)
				}
				s.stack = s.stack[:n-1]
			}
			s.pos++
		case ',':
			if n := len(s.stack); n > 0 {
				top := &s.stack[n-1]
				if top.object {
					top.expectKey = true
				} else {
					top.index++
				}
			}
			s.pos++
		case '"':
			start := s.pos + 1
			end, escaped := skipString(data, start)
			var top *scanFrame
			if n := len(s.stack); n > 0 && s.stack[n-1].object && s.stack[n-1].expectKey {
				top = &s.stack[n-1]
				top.expectKey = false
				top.key = span{start, end}
				top.escaped = escaped
			} else {
				s.valueStart()
			}
			if s.onValue == nil {
				f := s.stringFault(data[start:end], escaped)
				if f == textOK && top == nil && !s.utf8Only && subMicrosecondTime(s.stringValue(start, end, escaped)) {
					f = textSubMicrosecond
				}
				if f != textOK {
					return memberFault{pointer: s.pointer(), text: f}
				}
				if top != nil && !s.utf8Only && s.isDuplicate(top) {
					return memberFault{pointer: s.pointer(), duplicate: true}
				}
			}
			s.pos = end + 1
		default:
			s.valueStart()
			s.pos = skipLiteral(data, s.pos)
		}
	}
	return memberFault{}
}

// stringValue is the string between data[start-1] and data[end] (its quotes) as decoded:
// the raw bytes unless it holds an escape.
func (s *jsonScanner) stringValue(start, end int, escaped bool) []byte {
	if !escaped {
		return s.data[start:end]
	}
	return []byte(unescapeJSONString(s.data[start-1 : end+1]))
}

// stringFault checks the raw bytes of one name or string value.
func (s *jsonScanner) stringFault(raw []byte, escaped bool) textFault {
	switch {
	case s.utf8Only:
		if !utf8.Valid(raw) {
			return textInvalidUTF8
		}
	case escaped:
		return escapedTextFault(raw)
	}
	return textOK
}

func (s *jsonScanner) valueStart() {
	if s.onValue != nil {
		s.onValue(s.pos)
	}
}

// isDuplicate records top's current name and reports whether the object already had it.
func (s *jsonScanner) isDuplicate(top *scanFrame) bool {
	name := s.data[top.key.start:top.key.end]
	if top.escaped {
		name = []byte(unescapeJSONString(s.data[top.key.start-1 : top.key.end+1]))
	}
	start := len(s.arena)
	s.arena = appendFoldedName(s.arena, name)
	folded := s.arena[start:]
	if top.set != nil {
		if _, seen := top.set[string(folded)]; seen {
			return true
		}
		top.set[string(folded)] = struct{}{}
		return false
	}
	for _, sp := range s.names[top.names:] {
		if string(s.arena[sp.start:sp.end]) == string(folded) {
			return true
		}
	}
	s.names = append(s.names, span{start, len(s.arena)})
	if len(s.names)-top.names > smallObject {
		// Many members: switch to a set so a huge object stays linear.
		top.set = make(map[string]struct{}, 2*smallObject)
		for _, sp := range s.names[top.names:] {
			top.set[string(s.arena[sp.start:sp.end])] = struct{}{}
		}
	}
	return false
}

// popNames forgets a closed object's names; its nested objects are already gone.
func (s *jsonScanner) popNames(from int) {
	if from < len(s.names) {
		s.arena = s.arena[:s.names[from].start]
		s.names = s.names[:from]
	}
}

// pointer is the RFC 6901 pointer to the current position: each open
// object's current member and each open array's current element.
func (s *jsonScanner) pointer() string {
	var b strings.Builder
	for i := range s.stack {
		f := &s.stack[i]
		b.WriteByte('/')
		if !f.object {
			b.WriteString(strconv.Itoa(f.index))
			continue
		}
		if f.expectKey {
			// Between members of an object (or in an empty one): the object itself.
			str := b.String()
			return str[:len(str)-1]
		}
		name := string(s.data[f.key.start:f.key.end])
		if f.escaped {
			name = unescapeJSONString(s.data[f.key.start-1 : f.key.end+1])
		}
		b.WriteString(escapePointerToken(name))
	}
	return b.String()
}

// pointerAtOffset returns the pointer of the innermost value that starts
// before offset: encoding/json reports type errors just after reading the
// offending value or the opening of the offending container.
func pointerAtOffset(data []byte, offset int) string {
	ptr := ""
	s := jsonScanner{data: data}
	s.onValue = func(start int) {
		if start < offset {
			ptr = s.pointer()
		}
	}
	// Scan only up to the error; nothing after it can contain it.
	if offset < len(data) && offset >= 0 {
		s.data = data[:offset]
	}
	s.run()
	return ptr
}

// skipString returns the index of the closing quote of a string whose
// content starts at start, and whether it contains escapes.
func skipString(data []byte, start int) (int, bool) {
	escaped := false
	for i := start; i < len(data); i++ {
		switch data[i] {
		case '"':
			return i, escaped
		case '\\':
			escaped = true
			i++
		}
	}
	return len(data), escaped
}

func skipLiteral(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n', ':', '"', '{', '[':
			return i
		}
	}
	return i
}

// unescapeJSONString decodes a quoted JSON string exactly as encoding/json does
// (lone surrogates become U+FFFD). The rare path: most names have no escapes.
func unescapeJSONString(quoted []byte) string {
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		return string(quoted)
	}
	return s
}

// appendFoldedName folds like encoding/json's foldName, so two names are
// equal here exactly when encoding/json would map them to the same field.
func appendFoldedName(out, in []byte) []byte {
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return out
}

// foldRune returns the smallest rune of r's case-folding orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}

// escapePointerToken escapes one RFC 6901 reference token.
func escapePointerToken(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
}
