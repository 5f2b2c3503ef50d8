package testkit

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The JSON body limit must admit every body the contract allows, written as a client may
// write it: every character of every string (member names too) escaped, \uXXXX (6 bytes)
// for a character of the Basic Multilingual Plane and a surrogate pair (12 bytes) for any
// other, so 12 bytes for each character a maxLength allows (JSON Schema counts characters,
// not bytes). LargestBodies writes, from the contract itself, the largest JSON request
// body of each operation so (without insignificant white space): what the limit must admit.

// Astral is a character outside the Basic Multilingual Plane, escaped as a surrogate pair.
const Astral = `\ud83d\ude00` // U+1F600

// Escaped writes s as a JSON string with every character escaped.
func Escaped(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	b.WriteByte('"')
	return b.String()
}

// formatExamples are the longest strings of a format the contract gives no maxLength: an
// RFC 3339 date, a date-time to the microsecond with an offset, a UUID.
var formatExamples = map[string]string{"date": "2026-03-12", "date-time": "2026-03-12T10:00:00.123456+01:00",
	"uuid": "01a22e50-635e-7ae8-9545-a17a3ce0b220"}

// LargestBodies maps each operation with a JSON request body ("POST /cases/{id}/sale") to
// the largest body it allows, every character escaped. A body the contract leaves
// unbounded (a string without maxLength, enum or format, an array without maxItems, an
// object open to other members) fails the test: no limit could admit every such body.
func LargestBodies(t testing.TB, spec []byte) map[string][]byte {
	t.Helper()
	doc := loadContract(t, spec)
	out := map[string][]byte{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			media := op.RequestBody.Value.Content.Get("application/json")
			if media == nil {
				continue
			}
			var b bytes.Buffer
			if err := writeLargest(&b, media.Schema, ""); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			out[method+" "+path] = b.Bytes()
		}
	}
	return out
}

// writeLargest writes the longest JSON text the schema allows, every string escaped.
func writeLargest(b *bytes.Buffer, ref *openapi3.SchemaRef, at string) error {
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("%s: no schema", at)
	}
	s := ref.Value
	var alts []*bytes.Buffer
	if choices := slices.Concat(s.OneOf, s.AnyOf, s.AllOf); len(choices) > 0 {
		for _, c := range choices {
			alt := &bytes.Buffer{}
			if err := writeLargest(alt, c, at); err != nil {
				return err
			}
			alts = append(alts, alt)
		}
	} else {
		if s.Type == nil || len(s.Type.Slice()) == 0 {
			return fmt.Errorf("%s: no type", at)
		}
		for _, typ := range s.Type.Slice() {
			alt := &bytes.Buffer{}
			if err := writeLargestOfType(alt, s, typ, at); err != nil {
				return err
			}
			alts = append(alts, alt)
		}
	}
	b.Write(slices.MaxFunc(alts, func(x, y *bytes.Buffer) int { return x.Len() - y.Len() }).Bytes())
	return nil
}

func writeLargestOfType(b *bytes.Buffer, s *openapi3.Schema, typ, at string) error {
	switch typ {
	case "null":
		b.WriteString("null")
	case "boolean":
		b.WriteString("false")
	case "integer", "number":
		if s.Max == nil || s.Min == nil {
			return fmt.Errorf("%s: a number without minimum and maximum", at)
		}
		b.WriteString(slices.MaxFunc([]string{strconv.FormatFloat(*s.Max, 'f', -1, 64), strconv.FormatFloat(*s.Min, 'f', -1, 64)},
			func(x, y string) int { return len(x) - len(y) }))
	case "string":
		switch {
		case len(s.Enum) > 0:
			longest := ""
			for _, v := range s.Enum {
				if v := fmt.Sprint(v); len(Escaped(v)) > len(Escaped(longest)) {
					longest = v
				}
			}
			b.WriteString(Escaped(longest))
		case s.MaxLength != nil:
			b.WriteString(`"` + strings.Repeat(Astral, int(*s.MaxLength)) + `"`)
		case formatExamples[s.Format] != "":
			b.WriteString(Escaped(formatExamples[s.Format]))
		default:
			return fmt.Errorf("%s: a string without maxLength", at)
		}
	case "array":
		if s.MaxItems == nil {
			return fmt.Errorf("%s: an array without maxItems", at)
		}
		b.WriteByte('[')
		for i := range int(*s.MaxItems) {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeLargest(b, s.Items, at+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case "object":
		if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has || s.AdditionalProperties.Schema != nil {
			return fmt.Errorf("%s: an object open to other members", at)
		}
		b.WriteByte('{')
		for i, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(Escaped(name) + ":")
			if err := writeLargest(b, s.Properties[name], at+"/"+name); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("%s: type %s", at, typ)
	}
	return nil
}
