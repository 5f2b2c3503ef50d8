package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// kin-openapi v0.152 validates OpenAPI 3.1 schemas by compiling a JSON
// Schema 2020-12 validator on every request (about 350µs for a small body,
// 30 times its 3.0 path). For 3.1 documents this validator therefore
// compiles each JSON request body schema once, here, and validates bodies
// itself. Parameters, whose schemas are simple, still go through
// kin-openapi (it deserializes styles), shown a copy of the document that
// says 3.0.3 so it takes its fast built-in validator.

const specResource = "mem:///openapi.json"

// compiledBodies holds the compiled schema of each JSON media type of each request body.
type compiledBodies map[*openapi3.MediaType]*jsonschema.Schema

func compileBodySchemas(doc *openapi3.T) (compiledBodies, error) {
	docJSON, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("marshal document: %w", err)
	}
	tree, err := jsonschema.UnmarshalJSON(bytes.NewReader(docJSON))
	if err != nil {
		return nil, fmt.Errorf("reread document: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(specResource, tree); err != nil {
		return nil, fmt.Errorf("add document: %w", err)
	}
	out := compiledBodies{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			rb := op.RequestBody
			if rb == nil || rb.Value == nil {
				continue
			}
			base := "#/paths/" + fragmentToken(path) + "/" + strings.ToLower(method) + "/requestBody"
			if strings.HasPrefix(rb.Ref, "#/") {
				base = rb.Ref
			}
			for mediaType, media := range rb.Value.Content {
				if media == nil || media.Schema == nil || !isJSONMediaType(mediaType) {
					continue
				}
				if _, done := out[media]; done {
					continue
				}
				loc := specResource + base + "/content/" + fragmentToken(mediaType) + "/schema"
				sch, err := c.Compile(loc)
				if err != nil {
					return nil, fmt.Errorf("compile %s %s body schema: %w", method, path, err)
				}
				out[media] = sch
			}
		}
	}
	return out, nil
}

func fragmentToken(tok string) string {
	return url.PathEscape(escapePointerToken(tok))
}

func isJSONMediaType(mt string) bool {
	mt, _, _ = strings.Cut(mt, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// as30 returns route as kin-openapi should see it for parameter validation.
func (v *OpenAPIValidator) as30(route *routers.Route) *routers.Route {
	if v.spec30 == nil {
		return route
	}
	r := *route
	r.Spec = v.spec30
	return &r
}

// bodyProblem validates a 3.1 request body against its compiled schema; nil if valid.
func (v *OpenAPIValidator) bodyProblem(ctx context.Context, r *http.Request, route *routers.Route, body []byte) *Problem {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	if len(body) == 0 {
		if rb.Value.Required {
			return Validation("the request does not match the API description",
				FieldError{Pointer: "", Detail: "a request body is required"})
		}
		return nil
	}
	ct := r.Header.Get("Content-Type")
	media := rb.Value.Content.Get(ct)
	if media == nil {
		return UnsupportedMediaType(fmt.Sprintf("Content-Type %q is not accepted here", ct))
	}
	sch, ok := v.bodies[media]
	if !ok {
		// Not JSON, or no schema: kin-openapi's decoders know the other media types.
		setBody(r, body)
		input := &openapi3filter.RequestValidationInput{Request: r, Route: route, Options: v.options}
		if err := openapi3filter.ValidateRequestBody(ctx, input, rb.Value); err != nil {
			return requestProblem(err)
		}
		return nil
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || !isJSONMediaType(mt) {
		return UnsupportedMediaType(fmt.Sprintf("Content-Type %q is not accepted here", ct))
	}
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return MalformedJSON("the request body is not valid JSON")
	}
	if err := sch.Validate(value); err != nil {
		verr, ok := err.(*jsonschema.ValidationError)
		if !ok {
			return Validation("the request does not match the API description", FieldError{Detail: err.Error()})
		}
		return Validation("the request does not match the API description", validationLeaves(verr, nil)...)
	}
	return nil
}

// validationLeaves flattens a JSON Schema error tree into field errors.
func validationLeaves(verr *jsonschema.ValidationError, out []FieldError) []FieldError {
	switch verr.ErrorKind.(type) {
	case *kind.OneOf:
		return append(out, FieldError{Pointer: pointerFromTokens(verr.InstanceLocation), Detail: "must match exactly one of the allowed forms"})
	case *kind.AnyOf:
		return append(out, FieldError{Pointer: pointerFromTokens(verr.InstanceLocation), Detail: "must match at least one of the allowed forms"})
	}
	if len(verr.Causes) == 0 {
		return append(out, jsonSchemaLeaf(verr)...)
	}
	for _, c := range verr.Causes {
		out = validationLeaves(c, out)
	}
	return out
}

// mergeProblems combines parameter and body findings: a transport-level
// problem (413, 415, malformed JSON) wins; validation errors add up.
func mergeProblems(params, body *Problem) *Problem {
	switch {
	case params == nil:
		return body
	case body == nil:
		return params
	case body.Type != TypeValidation:
		return body
	case params.Type != TypeValidation:
		return params
	}
	merged := *params
	merged.Errors = append(append([]FieldError{}, params.Errors...), body.Errors...)
	return &merged
}
