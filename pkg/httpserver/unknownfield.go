package httpserver

import (
	"encoding"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// encoding/json names an unknown field but not where it is. locateUnknownField
// walks the body alongside dst's type to find the member (error path only).
func locateUnknownField(body []byte, dst any, name string) string {
	var tree any
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&tree); err == nil {
		if ptr, ok := findUnknown(tree, reflect.TypeOf(dst), name, ""); ok {
			return ptr
		}
	}
	return "/" + escapePointerToken(name)
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func findUnknown(v any, t reflect.Type, name, path string) (string, bool) {
	if t == nil {
		return "", false
	}
	for t.Kind() == reflect.Pointer {
		if t.Implements(jsonUnmarshalerType) || t.Implements(textUnmarshalerType) {
			return "", false
		}
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return "", false
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		fields := jsonFields(t)
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			child := path + "/" + escapePointerToken(key)
			f, known := fieldFor(fields, key)
			if !known {
				if key == name {
					return child, true
				}
				continue
			}
			if ptr, ok := findUnknown(obj[key], f, name, child); ok {
				return ptr, true
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			if ptr, ok := findUnknown(obj[key], t.Elem(), name, path+"/"+escapePointerToken(key)); ok {
				return ptr, true
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return "", false
		}
		for i, item := range arr {
			if ptr, ok := findUnknown(item, t.Elem(), name, path+"/"+strconv.Itoa(i)); ok {
				return ptr, true
			}
		}
	}
	return "", false
}

type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the members encoding/json decodes into t, promoted
// embedded fields included.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		tagName, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && tagName == "" {
			et := sf.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				out = append(out, jsonFields(et)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tagName != "" {
			name = tagName
		}
		out = append(out, jsonField{name: name, typ: sf.Type})
	}
	return out
}

// fieldFor matches a member name as encoding/json does: exactly, else case-insensitively.
func fieldFor(fields []jsonField, key string) (reflect.Type, bool) {
	for _, f := range fields {
		if f.name == key {
			return f.typ, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f.typ, true
		}
	}
	return nil, false
}

// jsonKindOf names the JSON kind a Go type accepts, for messages.
func jsonKindOf(e *json.UnmarshalTypeError) string {
	if e.Type == nil {
		return "another type"
	}
	t := e.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer in range"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number in range"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array"
	case reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}

func unquoteGo(s string) (string, error) { return strconv.Unquote(s) }
