package testkit

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// What the probe sends, derived from an operation's own schemas: an example that the schema
// accepts (as far as a generator can tell), and the hostile values each part of it is then
// replaced with, one at a time.

// raw is JSON text sent exactly as written: numbers and escapes that no Go value marshals
// to (1e400, -0, a lone surrogate), and nesting deeper than a map can be built.
type raw = json.RawMessage

// exampleOf is a value schema s accepts, built deterministically from rng (formats,
// bounds, enums, constants and examples the document gives).
func exampleOf(s *openapi3.Schema, rng *rand.Rand, depth int) any {
	if s == nil || depth > 8 {
		return "probe"
	}
	switch {
	case s.Const != nil:
		return s.Const
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Example != nil:
		return s.Example
	case len(s.Examples) > 0:
		return s.Examples[0]
	case s.Default != nil:
		return s.Default
	}
	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		for _, part := range s.AllOf {
			if m, ok := exampleOf(part.Value, rng, depth+1).(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
		}
		if len(s.Properties) == 0 {
			return merged
		}
		for k, v := range exampleOf(&openapi3.Schema{Type: s.Type, Properties: s.Properties, Required: s.Required}, rng, depth).(map[string]any) {
			merged[k] = v
		}
		return merged
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 && len(s.Properties) == 0 && s.Type.IsEmpty() {
			return exampleOf(alts[0].Value, rng, depth+1)
		}
	}
	switch mainType(s) {
	case "string":
		return exampleString(s, rng)
	case "integer":
		return int64(exampleNumber(s, 1))
	case "number":
		return exampleNumber(s, 1.5)
	case "boolean":
		return false
	case "array":
		n := max(int(s.MinItems), 1)
		if s.MaxItems != nil && uint64(n) > *s.MaxItems {
			n = int(*s.MaxItems)
		}
		items := make([]any, n)
		for i := range items {
			var is *openapi3.Schema
			if s.Items != nil {
				is = s.Items.Value
			}
			items[i] = exampleOf(is, rng, depth+1)
		}
		return items
	case "object":
		m := map[string]any{}
		for _, name := range propertyNames(s) {
			m[name] = exampleOf(s.Properties[name].Value, rng, depth+1)
		}
		return m
	}
	return "probe"
}

// mainType is the first type s names other than null ("object" when it only has
// properties).
func mainType(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != openapi3.TypeNull {
				return t
			}
		}
	}
	if len(s.Properties) > 0 {
		return openapi3.TypeObject
	}
	return ""
}

func propertyNames(s *openapi3.Schema) []string {
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func exampleString(s *openapi3.Schema, rng *rand.Rand) string {
	switch s.Format {
	case "date":
		return "2026-02-02"
	case "date-time":
		return "2026-02-02T10:00:00Z"
	case "uuid":
		return seededUUID(rng)
	case "email":
		return "probe@example.org"
	case "uri":
		return "https://example.org/probe"
	}
	n := max(int(s.MinLength), 5)
	if s.MaxLength != nil && uint64(n) > *s.MaxLength {
		n = int(*s.MaxLength)
	}
	return strings.Repeat("p", n)
}

func exampleNumber(s *openapi3.Schema, fallback float64) float64 {
	v := fallback
	if s.Min != nil && v < *s.Min {
		v = *s.Min
	}
	if s.Max != nil && v > *s.Max {
		v = *s.Max
	}
	return v
}

// seededUUID is a version 4 UUID from rng, so runs repeat.
func seededUUID(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// nestedArrays is depth arrays, each inside the last.
func nestedArrays(depth int) raw {
	return raw(strings.Repeat("[", depth) + strings.Repeat("]", depth))
}

// hostile is one value put in place of a member, with what it is.
type hostile struct {
	name  string
	value any
}

// wrongTypes are a value of each JSON type s does not permit.
func wrongTypes(s *openapi3.Schema) []hostile {
	if s.Type == nil || s.Type.IsEmpty() {
		return nil
	}
	var out []hostile
	for _, h := range []struct {
		typ string
		hostile
	}{
		{openapi3.TypeString, hostile{"a string", "probe"}},
		{openapi3.TypeNumber, hostile{"a fraction", 1.5}},
		{openapi3.TypeInteger, hostile{"a number", 7}},
		{openapi3.TypeBoolean, hostile{"a boolean", true}},
		{openapi3.TypeObject, hostile{"an object", map[string]any{"probe": "x"}}},
		{openapi3.TypeArray, hostile{"an array", []any{"probe"}}},
		{openapi3.TypeNull, hostile{"null", nil}},
	} {
		if s.Type.Permits(h.typ) || h.typ == openapi3.TypeInteger && s.Type.Permits(openapi3.TypeNumber) {
			continue
		}
		out = append(out, hostile{"wrong type: " + h.name, h.value})
	}
	return out
}

// hostileValues are the values of s's own type that a validator or the code behind it
// might not expect: limits of numbers, text the database cannot store exactly, impossible
// dates, sizes just past the document's bounds. rng picks the unicode text.
func hostileValues(s *openapi3.Schema, rng *rand.Rand) []hostile {
	var out []hostile
	add := func(name string, v any) { out = append(out, hostile{name, v}) }
	switch mainType(s) {
	case openapi3.TypeString:
		add("empty string", "")
		add("blank string", " \t ")
		add("100k characters", strings.Repeat("x", 100_000))
		add("U+0000", raw(`"a\u0000b"`))
		add("lone surrogate", raw(`"\ud800"`))
		add("reversed surrogates", raw(`"\udc00\ud800"`))
		add("random unicode", randomUnicode(rng, 40))
		add("right-to-left override and BOM", "\u202e\ufeffprobe")
		if len(s.Enum) > 0 {
			add("value outside the enum", "probe-not-listed")
			add("enum value in other case", strings.ToUpper(fmt.Sprint(s.Enum[0])))
		}
		if s.MaxLength != nil && *s.MaxLength < 100_000 {
			add("one past maxLength", strings.Repeat("y", int(*s.MaxLength)+1))
			add("maxLength in 4-byte runes", strings.Repeat("😀", int(*s.MaxLength)))
		}
		switch s.Format {
		case "date":
			for _, d := range []string{"2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "0001-01-01", "9999-12-31", "2026-2-3", "+12026-01-01", "2026-02-02T10:00:00Z"} {
				add("date "+d, d)
			}
		case "date-time":
			for _, d := range []string{"2026-02-30T10:00:00Z", "2026-03-02T24:00:01Z", "2026-03-02T10:00:00+25:00", "0001-01-01T00:00:00Z",
				"9999-12-31T23:59:59-23:59", "2026-03-02T10:00:00.1234567891234Z", "2026-03-02", "2026-03-02T10:00:00"} {
				add("date-time "+d, d)
			}
		case "uuid":
			add("not a uuid", "not-a-uuid")
			add("nil uuid", "00000000-0000-0000-0000-000000000000")
		case "email":
			add("not an e-mail", "@")
		}
	case openapi3.TypeInteger, openapi3.TypeNumber:
		for _, n := range []string{"0", "-1", "-0", "1e2", "1.0", "1.5", "9223372036854775807", "9223372036854775808",
			"-9223372036854775809", "18446744073709551616", "1e400", "-1e400", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890"} {
			add("number "+n, raw(n))
		}
		if s.Min != nil {
			add("one below minimum", raw(fmt.Sprint(*s.Min-1)))
		}
		if s.Max != nil {
			add("one above maximum", raw(fmt.Sprint(*s.Max+1)))
		}
	case openapi3.TypeArray:
		add("empty array", []any{})
		add("array of null", []any{nil})
		add("deeply nested arrays", nestedArrays(5000))
		if s.MaxItems != nil && *s.MaxItems < 10_000 {
			items := make([]any, *s.MaxItems+1)
			for i := range items {
				var is *openapi3.Schema
				if s.Items != nil {
					is = s.Items.Value
				}
				items[i] = exampleOf(is, rng, 0)
			}
			add("one past maxItems", items)
		}
	case openapi3.TypeObject:
		add("empty object", map[string]any{})
		add("unknown member", map[string]any{"probe_unknown": 1})
	}
	return out
}

// randomUnicode is n code points from every plane's interesting corners: controls,
// combining marks, right-to-left text, private use, emoji and noncharacters.
func randomUnicode(rng *rand.Rand, n int) string {
	ranges := [][2]rune{{0x01, 0x1f}, {0x7f, 0x9f}, {0x300, 0x36f}, {0x590, 0x6ff}, {0x200b, 0x200f}, {0x2028, 0x202e},
		{0xe000, 0xe0ff}, {0xfdd0, 0xfdef}, {0xfff0, 0xfffd}, {0x1f300, 0x1f6ff}, {0x10fff0, 0x10ffff}}
	var b strings.Builder
	for range n {
		r := ranges[rng.IntN(len(ranges))]
		b.WriteRune(r[0] + rune(rng.IntN(int(r[1]-r[0]+1))))
	}
	return b.String()
}

// member is one place in an example body: its JSON pointer, its schema and whether its
// object requires it.
type member struct {
	pointer  []string
	schema   *openapi3.Schema
	required bool
}

// membersOf lists every member of the example v under s, depth first, with the items of
// arrays as index 0.
func membersOf(s *openapi3.Schema, v any, at []string) []member {
	var out []member
	if s == nil {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		props, required := objectParts(s)
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			ps := props[name]
			path := append(slices.Clone(at), name)
			out = append(out, member{pointer: path, schema: ps, required: slices.Contains(required, name)})
			out = append(out, membersOf(ps, v[name], path)...)
		}
	case []any:
		if len(v) > 0 && s.Items != nil {
			path := append(slices.Clone(at), "0")
			out = append(out, member{pointer: path, schema: s.Items.Value, required: true})
			out = append(out, membersOf(s.Items.Value, v[0], path)...)
		}
	}
	return out
}

// objectParts are the properties and required names of s, its allOf parts included.
func objectParts(s *openapi3.Schema) (map[string]*openapi3.Schema, []string) {
	props := map[string]*openapi3.Schema{}
	required := slices.Clone(s.Required)
	for name, ref := range s.Properties {
		props[name] = ref.Value
	}
	for _, part := range s.AllOf {
		if part.Value == nil {
			continue
		}
		p, r := objectParts(part.Value)
		for name, ps := range p {
			if props[name] == nil {
				props[name] = ps
			}
		}
		required = append(required, r...)
	}
	return props, required
}

// replaced is a deep copy of v with the member at pointer set to value, or removed when
// remove is set.
func replaced(v any, pointer []string, value any, remove bool) any {
	if len(pointer) == 0 {
		return value
	}
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, x := range v {
			c[k] = x
		}
		if len(pointer) == 1 && remove {
			delete(c, pointer[0])
			return c
		}
		c[pointer[0]] = replaced(v[pointer[0]], pointer[1:], value, remove)
		return c
	case []any:
		c := slices.Clone(v)
		if len(c) > 0 {
			if len(pointer) == 1 && remove {
				return c[1:]
			}
			c[0] = replaced(c[0], pointer[1:], value, remove)
		}
		return c
	}
	return v
}
