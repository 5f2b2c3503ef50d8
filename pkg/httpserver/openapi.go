package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OpenAPIValidator checks requests against an OpenAPI document before the
// handler runs: route, method, path/query/header parameters and the body's
// schema. A JSON body first passes DecodeJSON's syntax rules (valid UTF-8,
// no duplicate keys, no trailing data), because a schema validator reads a
// repeated key as "last one wins". Security is left to Authenticator;
// unknown fields (unless the schema forbids them) are left to DecodeJSON.
type OpenAPIValidator struct {
	doc          *openapi3.T
	router       routers.Router
	options      *openapi3filter.Options
	maxBodyBytes int64
	// For OpenAPI 3.1+ documents: compiled body schemas, and the document
	// relabelled 3.0.3 for kin-openapi's parameter checks (see openapi31.go).
	bodies compiledBodies
	spec30 *openapi3.T
}

// ValidatorOption tunes an OpenAPIValidator.
type ValidatorOption func(*OpenAPIValidator)

// WithMaxBodyBytes bounds the body the validator reads (default DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) ValidatorOption {
	return func(v *OpenAPIValidator) {
		if n > 0 {
			v.maxBodyBytes = n
		}
	}
}

// NewOpenAPIValidator loads and validates spec (YAML or JSON, OpenAPI 3.0 or
// 3.1, no external $refs) and builds its router once. Server URLs are
// reduced to their paths, so the validator matches whatever host it runs on.
func NewOpenAPIValidator(spec []byte, opts ...ValidatorOption) (*OpenAPIValidator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("httpserver: load openapi: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("httpserver: invalid openapi: %w", err)
	}
	doc.Servers = pathOnlyServers(doc.Servers)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("httpserver: openapi router: %w", err)
	}
	v := &OpenAPIValidator{
		doc:    doc,
		router: router,
		options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
			// Defaults would make kin-openapi re-encode the body: the handler
			// must read the bytes the client sent.
			SkipSettingDefaults: true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.WithStringFormatValidators(stringFormats),
			},
		},
		maxBodyBytes: DefaultMaxBodyBytes,
	}
	if doc.IsOpenAPI31OrLater() {
		if v.bodies, err = compileBodySchemas(doc); err != nil {
			return nil, fmt.Errorf("httpserver: openapi 3.1 bodies: %w", err)
		}
		spec30 := *doc
		spec30.OpenAPI = "3.0.3"
		v.spec30 = &spec30
		v.options.ExcludeRequestBody = true
	}
	for _, o := range opts {
		o(v)
	}
	return v, nil
}

// stringFormats are enforced on top of kin-openapi's defaults (date,
// date-time, byte): unknown formats are otherwise only annotations.
var stringFormats = map[string]openapi3.StringFormatValidator{
	"uuid":  openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562),
	"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
}

func pathOnlyServers(servers openapi3.Servers) openapi3.Servers {
	var out openapi3.Servers
	seen := map[string]bool{}
	for _, s := range servers {
		u, err := url.Parse(s.URL)
		if err != nil || strings.Contains(s.URL, "{") {
			continue
		}
		p := strings.TrimSuffix(u.Path, "/")
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, &openapi3.Server{URL: p})
	}
	return out
}

// Middleware answers requests the document does not allow with problems:
// 404 not-found (no such path), 405 method-not-allowed (with Allow), 406
// not-acceptable (an Accept that admits none of the operation's answers), 413,
// 415 (including JSON declared in a charset other than UTF-8), 400
// malformed-json, duplicate-key or trailing-data, or 400 validation with a
// pointer per error. The body is left readable, byte for byte, for the handler.
func (v *OpenAPIValidator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked := HeadAsGet(r)
		route, params, err := v.router.FindRoute(asked)
		if err != nil {
			if errors.Is(err, routers.ErrMethodNotAllowed) {
				w.Header().Set("Allow", strings.Join(v.allowedMethods(r), ", "))
				WriteProblem(w, r, MethodNotAllowed("the resource does not support method "+r.Method))
				return
			}
			WriteProblem(w, r, NotFound("no operation at this path"))
			return
		}
		if p := notAcceptableProblem(r, route); p != nil {
			WriteProblem(w, r, p)
			return
		}
		var body []byte
		if r.Body != nil && r.Body != http.NoBody {
			var p *Problem
			if body, p = readBody(r, v.maxBodyBytes); p != nil {
				WriteProblem(w, r, p)
				return
			}
			setBody(r, body)
			if p := unexpectedBodyProblem(r, route, body); p != nil {
				WriteProblem(w, r, p)
				return
			}
			if p := strictJSONProblem(r, route, body); p != nil {
				WriteProblem(w, r, p)
				return
			}
		}
		input := &openapi3filter.RequestValidationInput{
			Request: asked, PathParams: params, Route: v.as30(route), Options: v.options,
		}
		var problem *Problem
		if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
			problem = requestProblem(err)
		}
		problem = mergeProblems(problem, queryProblem(r, route))
		if v.bodies != nil {
			problem = mergeProblems(problem, v.bodyProblem(r.Context(), r, route, body))
		}
		if problem != nil && problem.Type == TypeMalformedJSON && checkJSONContentType(r.Header.Get("Content-Type")) != nil {
			// A form or other document that would not decode is not JSON's fault.
			problem = Validation("the request body could not be read as "+r.Header.Get("Content-Type"),
				FieldError{Pointer: "", Detail: "is not well-formed"})
		}
		if problem != nil {
			WriteProblem(w, r, sortedErrors(problem))
			return
		}
		if body != nil {
			setBody(r, body)
		}
		next.ServeHTTP(w, r)
	})
}

// HeadAsGet is r as the GET it stands for when it is a HEAD (RFC 9110 section 9.3.2: GET
// without the body, wherever GET is allowed; the server leaves the body out), else r.
func HeadAsGet(r *http.Request) *http.Request {
	if r.Method != http.MethodHead {
		return r
	}
	g := r.Clone(r.Context())
	g.Method = http.MethodGet
	return g
}

// unexpectedBodyProblem refuses a body sent to an operation that takes none: the handler
// never reads it, so a client that sent a reason, a date or a malformed document would be
// answered as if it had been heard. Whitespace, an empty JSON object and JSON's null, which
// clients send with a POST that carries nothing, are let through. Nil when the body may pass.
func unexpectedBodyProblem(r *http.Request, route *routers.Route, body []byte) *Problem {
	if route.Operation == nil || route.Operation.RequestBody != nil {
		return nil
	}
	switch string(bytes.Join(bytes.Fields(body), nil)) {
	case "", "{}":
		return nil
	case "null":
		if checkJSONContentType(r.Header.Get("Content-Type")) == nil {
			return nil
		}
	}
	return Validation("this operation takes no request body", FieldError{Pointer: "", Detail: "send no body (or {})"})
}

// strictJSONProblem applies DecodeJSON's body rules to a non-empty
// application/json body of an operation that takes JSON, before the schema
// sees it; nil if the body passes. JSON declared in another charset (UTF-16)
// or with another parameter is refused 415 as DecodeJSON refuses it, rather
// than read as UTF-8. Other media types are left to the schema check, which
// answers 415 where the operation does not accept them.
func strictJSONProblem(r *http.Request, route *routers.Route, body []byte) *Problem {
	if len(body) == 0 || route.Operation == nil || route.Operation.RequestBody == nil || route.Operation.RequestBody.Value == nil ||
		route.Operation.RequestBody.Value.Content.Get("application/json") == nil { // a type it does not take: 415 below
		return nil
	}
	ct := r.Header.Get("Content-Type")
	if p := checkJSONContentType(ct); p != nil {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == "application/json" {
			return p
		}
		return nil
	}
	var raw json.RawMessage // accepts any value, so only the syntax rules apply
	err := DecodeJSONBytes(body, &raw)
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return MalformedJSON("the request body is not valid JSON")
}

// queryProblem refuses what the validator lets through in a query: a parameter the
// operation does not take (a misspelt filter would otherwise be ignored, and the answer
// look like one to the question asked), and one given more than once where the document
// takes one value (the validator checks the first only and handlers read the first, so
// "?from=2026-01-01&from=x" would be answered as if the second were not there, and a proxy
// reading the last would see another request). Nil when the query is sound.
func queryProblem(r *http.Request, route *routers.Route) *Problem {
	if route.Operation == nil || r.URL.RawQuery == "" {
		return nil
	}
	several := map[string]bool{} // the operation's query parameters: whether each takes several values
	for _, params := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, ref := range params {
			if p := ref.Value; p != nil && p.In == openapi3.ParameterInQuery {
				several[p.Name] = p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type.Is(openapi3.TypeArray)
			}
		}
	}
	fields := QueryFaults(r.URL.Query(), func(name string) (bool, bool) {
		s, taken := several[name]
		return taken, s
	})
	if fields == nil {
		return nil
	}
	return Validation("the request does not match the API description", fields...)
}

// QueryFaults are the parameters of query an operation does not take, and those it takes
// one value of given more than once, by name; takes says of a name whether the operation
// takes it and whether several values. For the routes the validator does not see (a
// streamed upload) as for those it does.
func QueryFaults(query url.Values, takes func(name string) (taken, several bool)) []FieldError {
	var fields []FieldError
	for _, name := range slices.Sorted(maps.Keys(query)) {
		switch taken, several := takes(name); {
		case !taken:
			fields = append(fields, FieldError{Parameter: name, Detail: fmt.Sprintf("query parameter %q is not one this operation takes", name)})
		case !several && len(query[name]) > 1:
			fields = append(fields, FieldError{Parameter: name,
				Detail: fmt.Sprintf("query parameter %q is given %d times; it takes one value", name, len(query[name]))})
		}
	}
	return fields
}

// notAcceptableProblem is the 406 for a request whose Accept admits none of the media types
// the operation answers with on success (RFC 9110 section 12.5.1), naming those it does: a
// client asking for XML or a page is told so rather than handed JSON. Accept is weighed as
// the RFC says: the most specific range that matches a type gives its q, and q=0 refuses.
// Nil when there is no Accept, none of its ranges parses, or a success answer has no
// content (a 204), to which Accept does not apply. Refusals are problems whatever it says.
func notAcceptableProblem(r *http.Request, route *routers.Route) *Problem {
	accept := r.Header.Values("Accept")
	if len(accept) == 0 || route.Operation == nil || route.Operation.Responses == nil {
		return nil
	}
	var produced []string
	for code, ref := range route.Operation.Responses.Map() {
		if !strings.HasPrefix(code, "2") || ref == nil || ref.Value == nil {
			continue
		}
		if len(ref.Value.Content) == 0 {
			return nil
		}
		for mt := range ref.Value.Content {
			produced = append(produced, mt)
		}
	}
	ranges := acceptRanges(accept)
	if len(produced) == 0 || len(ranges) == 0 {
		return nil
	}
	for _, mt := range produced {
		if acceptable(ranges, mt) {
			return nil
		}
	}
	slices.Sort(produced)
	produced = slices.Compact(produced)
	return newProblem(TypeNotAcceptable, http.StatusNotAcceptable, "Not acceptable",
		"the Accept header admits none of the media types this operation answers with: "+strings.Join(produced, ", ")).
		With("acceptable", produced)
}

// mediaRange is one media range of an Accept header, with its weight.
type mediaRange struct {
	typ, sub string
	q        float64
}

// acceptRanges parses Accept header fields, leaving out a range that does not parse.
func acceptRanges(fields []string) []mediaRange {
	var out []mediaRange
	for _, field := range fields {
		for part := range strings.SplitSeq(field, ",") {
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			typ, sub, _ := strings.Cut(mt, "/")
			if typ == "*" && sub != "*" {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(v, 64); err != nil || !(q >= 0 && q <= 1) {
					continue
				}
			}
			out = append(out, mediaRange{typ: typ, sub: sub, q: q})
		}
	}
	return out
}

// acceptable reports whether ranges give mediaType a weight above zero.
func acceptable(ranges []mediaRange, mediaType string) bool {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return true // the document's own; not the client's to be refused for
	}
	typ, sub, _ := strings.Cut(mt, "/")
	best, q := 0, 0.0
	for _, r := range ranges {
		var specificity int
		switch {
		case r.typ == typ && r.sub == sub:
			specificity = 3
		case r.typ == typ && r.sub == "*":
			specificity = 2
		case r.typ == "*":
			specificity = 1
		default:
			continue
		}
		if specificity > best || specificity == best && r.q > q {
			best, q = specificity, r.q
		}
	}
	return q > 0
}

func setBody(r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
}

var candidateMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// allowedMethods lists the methods the document has at r's path (error path only).
func (v *OpenAPIValidator) allowedMethods(r *http.Request) []string {
	var allowed []string
	for _, m := range candidateMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		probe = HeadAsGet(probe)
		probe.Body = http.NoBody
		if _, _, err := v.router.FindRoute(probe); err == nil {
			allowed = append(allowed, m)
		}
	}
	return allowed
}

const invalidContentTypePrefix = "header Content-Type has unexpected value"

// requestProblem turns kin-openapi's errors into one problem. Transport-level
// failures (size, media type, syntax) win over schema errors.
func requestProblem(err error) *Problem {
	var fields []FieldError
	var decisive *Problem
	var visit func(error)
	visit = func(err error) {
		if me, ok := err.(openapi3.MultiError); ok {
			for _, e := range me {
				visit(e)
			}
			return
		}
		var re *openapi3filter.RequestError
		switch {
		case errors.As(err, &re):
			if p := bodyTransportProblem(re); p != nil {
				if decisive == nil {
					decisive = p
				}
				return
			}
			fields = append(fields, requestErrorFields(re)...)
		default:
			fields = append(fields, FieldError{Detail: err.Error()})
		}
	}
	visit(err)
	if decisive != nil {
		return decisive
	}
	return Validation("the request does not match the API description", fields...)
}

func bodyTransportProblem(re *openapi3filter.RequestError) *Problem {
	if re.RequestBody == nil {
		return nil
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(re.Err, &tooLarge):
		return BodyTooLarge(tooLarge.Limit)
	case strings.HasPrefix(re.Reason, invalidContentTypePrefix):
		return UnsupportedMediaType(re.Reason)
	case re.Reason == "failed to decode request body":
		return MalformedJSON("the request body is not valid JSON")
	}
	return nil
}

func requestErrorFields(re *openapi3filter.RequestError) []FieldError {
	switch {
	case re.Parameter != nil:
		detail := re.Reason
		if fields := schemaFields(re.Err); len(fields) > 0 {
			details := make([]string, len(fields))
			for i, f := range fields {
				details[i] = f.Detail
			}
			detail = strings.Join(details, "; ")
		} else if re.Err != nil {
			detail = re.Err.Error()
		}
		return []FieldError{{Parameter: re.Parameter.Name,
			Detail: fmt.Sprintf("%s parameter %q: %s", re.Parameter.In, re.Parameter.Name, detail)}}
	case re.RequestBody != nil && errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return []FieldError{{Pointer: "", Detail: "a request body is required"}}
	case re.RequestBody != nil:
		if fields := schemaFields(re.Err); len(fields) > 0 {
			return fields
		}
	}
	return []FieldError{{Detail: re.Error()}}
}

// sortedErrors orders field errors by parameter then pointer: kin-openapi
// reports them in map order, and clients and tests want a stable answer.
func sortedErrors(p *Problem) *Problem {
	if len(p.Errors) < 2 {
		return p
	}
	c := *p
	c.Errors = slices.Clone(p.Errors)
	slices.SortStableFunc(c.Errors, func(a, b FieldError) int {
		if n := strings.Compare(a.Parameter, b.Parameter); n != 0 {
			return n
		}
		return strings.Compare(a.Pointer, b.Pointer)
	})
	return &c
}

// Guards stand before a service's API: the authenticator, and the validator of the
// service's OpenAPI contract.
type Guards struct {
	Auth      *Authenticator
	Validator *OpenAPIValidator
}

// NewGuards builds both from the contract and the authentication configuration.
func NewGuards(ctx context.Context, spec []byte, auth AuthConfig, maxBodyBytes int64) (Guards, error) {
	a, err := NewAuthenticator(ctx, auth)
	if err != nil {
		return Guards{}, fmt.Errorf("authenticator: %w", err)
	}
	v, err := NewOpenAPIValidator(spec, WithMaxBodyBytes(maxBodyBytes))
	if err != nil {
		return Guards{}, fmt.Errorf("openapi validator: %w", err)
	}
	return Guards{Auth: a, Validator: v}, nil
}
