package testkit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"casework.dev/pkg/httpserver"
)

func init() {
	// Markdown, HTML pages and their assets, Atom feeds and event streams are text: validate them as strings, as kin-openapi
	// does text/plain.
	for _, text := range []string{"text/markdown", "text/html", "text/css", "text/javascript", "application/atom+xml", "text/event-stream"} {
		openapi3filter.RegisterBodyDecoder(text, openapi3filter.PlainBodyDecoder)
	}
}

// Contract holds a service to its OpenAPI document: every answer the handler it wraps
// gives is validated (status, content type, headers and body) with kin-openapi's
// openapi3filter.ValidateResponse, an undocumented status included, and it records which
// operations answered with which statuses, so a test can show it exercised every route.
type Contract struct {
	t      testing.TB
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string][]int // "GET /complaints/{id}" -> statuses answered
}

// loadContract loads and validates an OpenAPI document, failing the test when it cannot.
func loadContract(t testing.TB, spec []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		t.Fatalf("load the contract: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the contract is not valid OpenAPI: %v", err)
	}
	return doc
}

// NewContract loads spec (OpenAPI 3.0 or 3.1); routing ignores the servers' hosts.
func NewContract(t testing.TB, spec []byte) *Contract {
	t.Helper()
	doc := loadContract(t, spec)
	doc.Servers = openapi3.Servers{{URL: "/"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("route the contract: %v", err)
	}
	return &Contract{t: t, doc: doc, router: router, seen: map[string][]int{}}
}

// Wrap returns h with every answer validated; a request the contract has no operation for
// fails the test too, unless it is refused as an unknown route (404 or 405 problem+json).
func (c *Contract) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// HEAD is answered as GET without the body, and held to GET's operation.
		route, params, routeErr := c.router.FindRoute(httpserver.HeadAsGet(r))
		if routeErr == nil && streams(route) {
			c.stream(w, r, h, route, params)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(fullDuplexRecorder{rec, w}, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(body)

		if routeErr != nil {
			// A path or method the service does not serve must be refused as a problem, the
			// way the shared mux refuses it; anything else is an undocumented operation.
			if (res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed) &&
				res.Header.Get("Content-Type") == "application/problem+json" {
				return
			}
			c.t.Errorf("%s %s answered %d, but the contract has no such operation: %v", r.Method, r.URL.Path, res.StatusCode, routeErr)
			return
		}
		c.validate(r, route, params, res.StatusCode, res.Header, body)
	})
}

// validate records the operation's status and holds the answer to the contract.
func (c *Contract) validate(r *http.Request, route *routers.Route, params map[string]string, status int, header http.Header, body []byte) {
	key := r.Method + " " + route.Path
	c.mu.Lock()
	c.seen[key] = append(c.seen[key], status)
	c.mu.Unlock()
	err := openapi3filter.ValidateResponse(context.WithoutCancel(r.Context()), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: httpserver.HeadAsGet(r), PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: r.Method == http.MethodHead,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
				"uuid": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562),
			})}},
	})
	if err != nil {
		c.t.Errorf("%s %s answered %d %s against the contract: %v\n%s", r.Method, r.URL.Path, status,
			header.Get("Content-Type"), err, clip(body))
	}
}

// streams says whether the operation answers a stream (server-sent events), which cannot
// be buffered until it ends.
func streams(route *routers.Route) bool {
	ok := route.Operation.Responses.Status(http.StatusOK)
	return ok != nil && ok.Value != nil && ok.Value.Content.Get("text/event-stream") != nil
}

// stream passes a streamed answer through as it is written, and holds its status and
// headers (not its endless body) to the contract when it ends.
func (c *Contract) stream(w http.ResponseWriter, r *http.Request, h http.Handler, route *routers.Route, params map[string]string) {
	sw := &streamWriter{ResponseWriter: w}
	h.ServeHTTP(sw, r)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	var body []byte
	if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
		body = sw.body.Bytes() // a refusal: a problem, small and complete
	}
	c.validate(r, route, params, sw.status, w.Header(), body)
}

// streamWriter notes the status, keeps a refusal's body, and lets the handler flush the
// real connection (http.ResponseController finds it through Unwrap).
type streamWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (s *streamWriter) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *streamWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	if !strings.HasPrefix(s.Header().Get("Content-Type"), "text/event-stream") && s.body.Len() < 1<<20 {
		s.body.Write(b)
	}
	return s.ResponseWriter.Write(b)
}

func (s *streamWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// fullDuplexRecorder buffers an answer to validate it. A handler that answers while it still
// reads the request (a streamed upload's report, http.ResponseController.EnableFullDuplex)
// gets full duplex on the real connection: its request is still read from there.
type fullDuplexRecorder struct {
	*httptest.ResponseRecorder
	real http.ResponseWriter
}

func (r fullDuplexRecorder) EnableFullDuplex() error {
	return http.NewResponseController(r.real).EnableFullDuplex()
}

func clip(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "..."...)
	}
	return b
}

// Operations lists every operation of the contract as "METHOD /path".
func (c *Contract) Operations() []string {
	var out []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// Statuses are the statuses an operation answered with so far, in order.
func (c *Contract) Statuses(operation string) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.seen[operation])
}

// RequireExercised fails the test for each operation that never answered with a status of
// each class given (2 for success, 4 for a refusal), skipping those exempt from a class.
func (c *Contract) RequireExercised(t testing.TB, classes []int, exempt map[string][]int) {
	t.Helper()
	for _, op := range c.Operations() {
		got := c.Statuses(op)
		for _, class := range classes {
			if slices.Contains(exempt[op], class) {
				continue
			}
			if !slices.ContainsFunc(got, func(s int) bool { return s/100 == class }) {
				t.Errorf("%s never answered %dxx (answers: %v)", op, class, got)
			}
		}
	}
}

// Summary lists what each operation answered, for a failing test's log.
func (c *Contract) Summary() string {
	var b strings.Builder
	for _, op := range c.Operations() {
		fmt.Fprintf(&b, "%s: %v\n", op, c.Statuses(op))
	}
	return b.String()
}
