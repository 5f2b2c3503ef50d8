package httpserver

import (
	"errors"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var schemaMessages = message.NewPrinter(language.English)

// schemaFields flattens kin-openapi's schema errors into one FieldError per
// failing value. OpenAPI 3.0 documents are checked by kin-openapi's own
// validator; 3.1 documents by a JSON Schema 2020-12 validator whose errors
// sit under the SchemaErrors. Either way the pointer is into the body.
func schemaFields(err error) []FieldError {
	var out []FieldError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *openapi3.SchemaError:
			if e.Origin != nil && !isAlternation(e.SchemaField) {
				before := len(out)
				walk(e.Origin)
				if len(out) > before {
					return
				}
			}
			out = append(out, schemaLeaf(e)...)
		case openapi3.MultiError:
			for _, sub := range e {
				walk(sub)
			}
		case interface{ Unwrap() []error }:
			for _, sub := range e.Unwrap() {
				walk(sub)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}

func isAlternation(keyword string) bool {
	return keyword == "oneOf" || keyword == "anyOf" || keyword == "not"
}

func schemaLeaf(se *openapi3.SchemaError) []FieldError {
	base := pointerFromTokens(se.JSONPointer())
	switch se.SchemaField {
	case "oneOf":
		return []FieldError{{Pointer: base, Detail: "must match exactly one of the allowed forms"}}
	case "anyOf":
		return []FieldError{{Pointer: base, Detail: "must match at least one of the allowed forms"}}
	case "not":
		return []FieldError{{Pointer: base, Detail: "must not match the excluded form"}}
	}
	var verr *jsonschema.ValidationError
	if se.Origin == nil && errors.As(se.Unwrap(), &verr) {
		return jsonSchemaLeaf(verr)
	}
	// kin-openapi's own (3.0) validator: say it the way the 3.1 path does.
	if se.SchemaField == "required" {
		return []FieldError{{Pointer: base, Detail: "is required"}}
	}
	if name, ok := strings.CutPrefix(se.Reason, "property "); ok && strings.HasSuffix(name, " is unsupported") {
		if unq, err := strconv.Unquote(strings.TrimSuffix(name, " is unsupported")); err == nil {
			return []FieldError{{Pointer: base + "/" + escapePointerToken(unq), Detail: "is not allowed"}}
		}
	}
	return []FieldError{{Pointer: base, Detail: schemaReason(se)}}
}

// jsonSchemaLeaf describes a JSON Schema 2020-12 error (OpenAPI 3.1),
// pointing at the missing or extra member itself rather than its parent.
func jsonSchemaLeaf(verr *jsonschema.ValidationError) []FieldError {
	base := pointerFromTokens(verr.InstanceLocation)
	switch k := verr.ErrorKind.(type) {
	case *kind.Required:
		out := make([]FieldError, 0, len(k.Missing))
		for _, m := range k.Missing {
			out = append(out, FieldError{Pointer: base + "/" + escapePointerToken(m), Detail: "is required"})
		}
		return out
	case *kind.AdditionalProperties:
		out := make([]FieldError, 0, len(k.Properties))
		for _, p := range k.Properties {
			out = append(out, FieldError{Pointer: base + "/" + escapePointerToken(p), Detail: "is not allowed"})
		}
		return out
	}
	return []FieldError{{Pointer: base, Detail: verr.ErrorKind.LocalizedString(schemaMessages)}}
}

// schemaReason is the reason alone, without the schema and value dump
// kin-openapi's Error() appends.
func schemaReason(se *openapi3.SchemaError) string {
	reason := se.Reason
	if strings.HasPrefix(reason, "error at ") {
		// A 3.1 reason repeats the path before the message.
		if _, rest, ok := strings.Cut(reason, ": "); ok {
			reason = rest
		}
	}
	if i := strings.IndexByte(reason, '\n'); i >= 0 {
		reason = reason[:i]
	}
	// "string doesn't match the format "uuid" (string doesn't match pattern "^(?:...")": the pattern helps no one.
	if strings.Contains(reason, "doesn't match the format") {
		if i := strings.Index(reason, " ("); i > 0 {
			reason = reason[:i]
		}
	}
	if reason == "" {
		return "does not match the schema (" + se.SchemaField + ")"
	}
	return reason
}

func pointerFromTokens(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointerToken(t))
	}
	return b.String()
}
