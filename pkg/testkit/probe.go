package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/httpserver"
)

// The probe proves "no input ever causes a 500" for the inputs nobody wrote a test for: it
// walks every operation of a service's OpenAPI document and sends each a deterministic set
// of hostile requests built from the operation's own schemas (path, query and header
// parameters, and the body member by member), then holds each answer to the standard.

// ProbeOptions tunes ProbeOperations.
type ProbeOptions struct {
	// Seed makes the generated values (unknown ids, unicode text) repeat from run to run.
	Seed uint64
	// Tokens gives an operation ("POST /complaints/{id}/respond") a token of its own, one
	// holding the role it needs; the others use the token ProbeOperations is given.
	Tokens map[string]string
	// PathValues are real values of path parameters (the id of a seeded case, the number
	// of a recorded enquiry), so hostile bodies reach an existing resource too. A key is a
	// parameter's name ("id"), or a path up to the parameter ("/breaches/{id}"), which wins
	// for the paths it begins. A parameter not named here gets a value from its schema.
	PathValues map[string]string
	// Skip leaves operations out, each with the reason.
	Skip map[string]string
}

// ProbeTarget is what the probe sends to and checks: a server whose answers Contract
// holds to its document, and the database whose tables a refusal must leave unchanged.
type ProbeTarget struct {
	URL      string
	Contract *Contract
	DB       *sqlx.DB // nil: no tables to hold unchanged
	// NoRole is a valid token that holds no role of the service.
	NoRole string
}

// ProbeOperations probes every operation of the environment's contract: with token (or
// the operation's own from opts.Tokens), with a token that holds no role, and with none.
func (e *Env) ProbeOperations(t *testing.T, token string, opts ProbeOptions) {
	t.Helper()
	if e.Contract == nil {
		t.Fatal("the service offers no OpenAPI document to probe")
	}
	Probe(t, ProbeTarget{URL: e.Server.URL, Contract: e.Contract, DB: e.DB, NoRole: e.Token("probe-no-role")}, token, opts)
}

// Probe sends every operation of target's contract its hostile requests, one at a time,
// and fails the test for each answer that is
//   - a 5xx (no input may cause one);
//   - a 4xx that is not an RFC 9457 problem (application/problem+json with a type, a title
//     and the status of the answer);
//   - a refusal after which any table of the database holds a different number of rows;
//   - a success for a token without a role, or without a token, on a secured operation;
//   - anything the document does not describe (the contract's own check).
//
// A hostile request that is accepted is logged, for a reader to judge.
func Probe(t *testing.T, target ProbeTarget, token string, opts ProbeOptions) {
	t.Helper()
	p := newProber(t, target, opts)
	for _, op := range target.Contract.probeOperations() {
		if reason, skip := opts.Skip[op.key]; skip {
			t.Logf("%s: skipped: %s", op.key, reason)
			continue
		}
		t.Run(op.key, func(t *testing.T) {
			tok := token
			if own, ok := opts.Tokens[op.key]; ok {
				tok = own
			}
			p.probe(t, op, tok)
		})
	}
}

func newProber(t testing.TB, target ProbeTarget, opts ProbeOptions) *prober {
	p := &prober{target: target, client: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), opts: opts}
	if target.DB != nil {
		p.tables = tableNames(t, target.DB)
	}
	return p
}

// probeOperation is one operation of the document.
type probeOperation struct {
	key, method, path string
	op                *openapi3.Operation
	params            openapi3.Parameters
	secured           bool
}

func (c *Contract) probeOperations() []probeOperation {
	var out []probeOperation
	for path, item := range c.doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := slices.Clone(item.Parameters)
			for _, own := range op.Parameters {
				params = slices.DeleteFunc(params, func(p *openapi3.ParameterRef) bool {
					return p.Value.Name == own.Value.Name && p.Value.In == own.Value.In
				})
				params = append(params, own)
			}
			security := c.doc.Security
			if op.Security != nil {
				security = *op.Security
			}
			out = append(out, probeOperation{key: method + " " + path, method: method, path: path, op: op,
				params: params, secured: len(security) > 0})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

type prober struct {
	target ProbeTarget
	client *http.Client
	rng    *rand.Rand
	opts   ProbeOptions
	tables []string
}

// probeRequest is one request the probe sends.
type probeRequest struct {
	name        string
	method      string // "": the operation's
	token       string
	path        map[string]string // raw (already escaped) path parameter values
	query       string            // raw query
	headers     [][2]string
	body        []byte // nil: none
	contentType string // "": no Content-Type
	want        int    // the status this request must get; 0: any the rules allow
}

// probe sends op's hostile requests with token, then a few with no role and no token.
func (p *prober) probe(t testing.TB, op probeOperation, token string) {
	base := p.baseline(op, token)
	var reqs []probeRequest
	reqs = append(reqs, p.pathVariants(op, base)...)
	reqs = append(reqs, p.queryVariants(op, base)...)
	reqs = append(reqs, p.headerVariants(op, base)...)
	reqs = append(reqs, p.bodyVariants(op, base)...)
	reqs = append(reqs, p.undeclaredVariants(op, base)...)
	if op.secured {
		for _, who := range []struct{ name, token string }{{"no role", p.target.NoRole}, {"no token", ""}} {
			r := base
			r.name, r.token = who.name+": the operation's example", who.token
			reqs = append(reqs, r)
			for _, v := range reqs[:min(len(reqs), 6)] {
				v.name, v.token, v.want = who.name+": "+v.name, who.token, 0
				reqs = append(reqs, v)
			}
		}
	}
	before := countRows(t, p.target.DB, p.tables)
	for _, r := range reqs {
		status, accepted := p.send(t, op, r)
		if status == 0 {
			continue
		}
		after := countRows(t, p.target.DB, p.tables)
		if accepted {
			before = after
			continue
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: refused with %d, but the database changed: %s", r.name, status, diffCounts(p.tables, before, after))
			before = after
		}
	}
}

// baseline is op's example request: real or generated path values, the required query
// parameters, and an example body.
func (p *prober) baseline(op probeOperation, token string) probeRequest {
	r := probeRequest{name: "example", token: token, path: map[string]string{}}
	q := url.Values{}
	for _, ref := range op.params {
		prm := ref.Value
		switch prm.In {
		case openapi3.ParameterInPath:
			if v, ok := p.pathValue(op.path, prm.Name); ok {
				r.path[prm.Name] = url.PathEscape(v)
			} else {
				r.path[prm.Name] = url.PathEscape(fmt.Sprint(exampleOf(schemaOf(prm), p.rng, 0)))
			}
		case openapi3.ParameterInQuery:
			if prm.Required {
				q.Set(prm.Name, fmt.Sprint(exampleOf(schemaOf(prm), p.rng, 0)))
			}
		}
	}
	r.query = q.Encode()
	if mt, s := requestMedia(op.op); mt != "" {
		r.contentType = mt
		if mt == "application/json" {
			r.body, _ = json.Marshal(exampleOf(s, p.rng, 0))
		} else if mt == "application/x-www-form-urlencoded" {
			form := url.Values{}
			if m, ok := exampleOf(s, p.rng, 0).(map[string]any); ok {
				for k, v := range m {
					form.Set(k, fmt.Sprint(v))
				}
			}
			r.body = []byte(form.Encode())
		} else {
			r.body = []byte("probe\n")
		}
	}
	return r
}

// pathValue is the real value opts give parameter name of path: the longest key that
// begins path and ends in the parameter, else the one that is its name.
func (p *prober) pathValue(path, name string) (string, bool) {
	best, found := "", false
	for key := range p.opts.PathValues {
		if strings.HasSuffix(key, "{"+name+"}") && strings.HasPrefix(path, key) && len(key) > len(best) {
			best, found = key, true
		}
	}
	if found {
		return p.opts.PathValues[best], true
	}
	v, ok := p.opts.PathValues[name]
	return v, ok
}

func schemaOf(prm *openapi3.Parameter) *openapi3.Schema {
	if prm.Schema == nil {
		return nil
	}
	return prm.Schema.Value
}

// requestMedia is the media type of op's request body, application/json when it takes
// one, and its schema.
func requestMedia(op *openapi3.Operation) (string, *openapi3.Schema) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return "", nil
	}
	content := op.RequestBody.Value.Content
	types := make([]string, 0, len(content))
	for mt := range content {
		types = append(types, mt)
	}
	sort.Strings(types)
	if slices.Contains(types, "application/json") {
		types = []string{"application/json"}
	}
	if len(types) == 0 {
		return "", nil
	}
	var s *openapi3.Schema
	if mt := content[types[0]]; mt.Schema != nil {
		s = mt.Schema.Value
	}
	return types[0], s
}

// hostilePathValues are sent raw in a path segment: not what the schema says, too long,
// escaping a slash, a NUL, a dot segment, text that is not UTF-8, and unicode.
var hostilePathValues = []struct{ name, value string }{
	{"not a uuid", "not-a-uuid"},
	{"very long", strings.Repeat("a", 8000)},
	{"encoded slash", "a%2Fb"},
	{"encoded dot segment", "%2E%2E"},
	{"encoded dot segments and slashes", "..%2F..%2Fhealthz"},
	{"encoded NUL", "%00"},
	{"encoded space", "%20"},
	{"encoded percent", "%25"},
	{"not UTF-8", "%FF%FE"},
	{"UTF-8 of a lone surrogate", "%ED%A0%80"},
	{"unicode", url.PathEscape("ünïcødé-😀-\u202e")},
	{"negative number", "-1"},
	{"zero", "0"},
	{"huge number", "99999999999999999999999999"},
	{"number beyond float", "1e400"},
	{"nil uuid", "00000000-0000-0000-0000-000000000000"},
	{"uuid in upper case", "0195C3D2-7A3B-4C4D-8E5F-0A1B2C3D4E5F"},
	{"uuid with braces", "%7B0195c3d2-7a3b-4c4d-8e5f-0a1b2c3d4e5f%7D"},
}

func (p *prober) pathVariants(op probeOperation, base probeRequest) []probeRequest {
	var out []probeRequest
	names := make([]string, 0, len(base.path))
	for name := range base.path {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		values := append(slices.Clone(hostilePathValues), struct{ name, value string }{"unknown uuid", seededUUID(p.rng)},
			struct{ name, value string }{"real value with a suffix", base.path[name] + "x"})
		for _, v := range values {
			r := base
			r.name = "path " + name + ": " + v.name
			r.path = withValue(base.path, name, v.value)
			out = append(out, r)
		}
	}
	return out
}

// withValue is a copy of m with k set to v.
func withValue(m map[string]string, k, v string) map[string]string {
	c := maps.Clone(m)
	c[k] = v
	return c
}

// hostileQueryValues are sent raw as a query parameter's value, beside those generated
// from its schema.
var hostileQueryValues = []struct{ name, value string }{
	{"empty", ""},
	{"wrong type", "probe"},
	{"huge number", "99999999999999999999999999"},
	{"below int64", "-9223372036854775809"},
	{"number beyond float", "1e400"},
	{"negative zero", "-0"},
	{"fraction", "1.5"},
	{"encoded NUL", "%00"},
	{"not UTF-8", "%FF"},
	{"UTF-8 of a lone surrogate", "%ED%A0%80"},
	{"impossible date", "2026-02-30"},
	{"date far ahead", "9999-12-31"},
	{"date at year one", "0001-01-01"},
	{"date-time far ahead", "9999-12-31T23:59:59Z"},
	{"impossible date-time", "2026-02-30T25:00:00Z"},
	{"unicode", url.QueryEscape("ünïcødé-😀-\u202e")},
	{"100k characters", strings.Repeat("q", 100_000)},
}

func (p *prober) queryVariants(op probeOperation, base probeRequest) []probeRequest {
	var out []probeRequest
	for _, ref := range op.params {
		prm := ref.Value
		if prm.In != openapi3.ParameterInQuery {
			continue
		}
		ex := url.QueryEscape(fmt.Sprint(exampleOf(schemaOf(prm), p.rng, 0)))
		values := slices.Clone(hostileQueryValues)
		if s := schemaOf(prm); s != nil {
			if s.Min != nil {
				values = append(values, struct{ name, value string }{"one below minimum", fmt.Sprint(*s.Min - 1)})
			}
			if s.Max != nil {
				values = append(values, struct{ name, value string }{"one above maximum", fmt.Sprint(*s.Max + 1)})
			}
		}
		others := withoutParam(base.query, prm.Name)
		for _, v := range values {
			r := base
			r.name = "query " + prm.Name + ": " + v.name
			r.query = joinQuery(others, prm.Name+"="+v.value)
			out = append(out, r)
		}
		for _, v := range []struct{ name, value string }{
			{"repeated", prm.Name + "=" + ex + "&" + prm.Name + "=" + ex},
			{"repeated, second hostile", prm.Name + "=" + ex + "&" + prm.Name + "=probe"},
			{"without a value", prm.Name},
			{"name in other case", strings.ToUpper(prm.Name) + "=" + ex},
		} {
			r := base
			r.name = "query " + prm.Name + ": " + v.name
			r.query = joinQuery(others, v.value)
			out = append(out, r)
		}
	}
	return out
}

func withoutParam(query, name string) string {
	var keep []string
	for _, part := range strings.Split(query, "&") {
		if part != "" && !strings.HasPrefix(part, url.QueryEscape(name)+"=") {
			keep = append(keep, part)
		}
	}
	return strings.Join(keep, "&")
}

func joinQuery(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "&")
}

func (p *prober) headerVariants(op probeOperation, base probeRequest) []probeRequest {
	var out []probeRequest
	for _, ref := range op.params {
		prm := ref.Value
		if prm.In != openapi3.ParameterInHeader {
			continue
		}
		for _, v := range []struct{ name, value string }{
			{"empty", ""}, {"blank", "   "}, {"10k characters", strings.Repeat("h", 10_000)},
			{"not ASCII", "ünïcødé"}, {"not UTF-8", "\xff\xfe"}, {"quoted", `"probe"`}, {"list", "a, b, *"},
		} {
			r := base
			r.name = "header " + prm.Name + ": " + v.name
			r.headers = append(slices.Clone(base.headers), [2]string{prm.Name, v.value})
			out = append(out, r)
		}
	}
	return out
}

// undeclaredVariants carry what the document does not declare for any operation: text
// that cannot be stored in a query parameter and a header nobody reads, and a method the
// path does not serve.
func (p *prober) undeclaredVariants(op probeOperation, base probeRequest) []probeRequest {
	query, header, method, misspelt := base, base, base, base
	query.name, query.query = "undeclared query parameter holding NUL", joinQuery(base.query, "probe=%00")
	// Where an operation takes query parameters, a misspelt one (?limt=5) must be refused,
	// not ignored: an answer to another question would look like one to the question asked.
	// Documents and probes with none (a notice page, /healthz) may ignore what a link adds.
	misspelt.name, misspelt.query = "undeclared query parameter", joinQuery(base.query, "probe=1")
	if slices.ContainsFunc(op.params, func(p *openapi3.ParameterRef) bool { return p.Value.In == openapi3.ParameterInQuery }) {
		misspelt.want = http.StatusBadRequest
	}
	header.name, header.headers = "undeclared header not UTF-8", append(slices.Clone(base.headers), [2]string{"X-Probe", "\xff\xfe"})
	method.name, method.method = "method the path does not serve", http.MethodPatch
	if item := p.target.Contract.doc.Paths.Value(op.path); item != nil && item.Patch != nil {
		method.method = http.MethodPut
		if item.Put != nil {
			method.method = http.MethodTrace
		}
	}
	return []probeRequest{query, header, method, misspelt}
}

// bodyVariants are the hostile bodies: whole bodies that are not the JSON asked for, then,
// for each member of the example, the member missing, of each wrong type and each hostile
// value of its own type.
func (p *prober) bodyVariants(op probeOperation, base probeRequest) []probeRequest {
	mt, s := requestMedia(op.op)
	var out []probeRequest
	with := func(name string, body []byte, contentType string) {
		r := base
		r.name, r.body, r.contentType = "body: "+name, body, contentType
		out = append(out, r)
	}
	if mt == "" {
		// No body is described: one sent anyway must not change the answer's kind.
		with("a JSON body where none is described", []byte(`{"probe":1}`), "application/json")
		with("garbage where no body is described", []byte("\x00\xff"), "application/octet-stream")
		return out
	}
	with("none", nil, "")
	with("empty", []byte{}, mt)
	with("a billion and one bytes announced, few sent", nil, mt) // see send: a short body
	with("2 MiB", bytes.Repeat([]byte(" "), 2<<20), mt)
	with("not UTF-8", []byte("{\"a\":\"\xff\xfe\"}"), mt)
	with("NUL bytes", []byte("\x00\x00\x00"), mt)
	for _, ct := range []string{"text/plain", "application/xml", "application/json; charset=latin1", "application/json; boundary=x",
		"application/x-www-form-urlencoded", "multipart/form-data", "application/merge-patch+json", "*/*", "application/json;;", "ünïcødé"} {
		if ct != mt {
			with("Content-Type "+ct, base.body, ct)
		}
	}
	if mt != "application/json" {
		return append(out, p.rawBodyVariants(mt, base)...)
	}
	for _, b := range []struct{ name, body string }{
		{"JSON null", "null"}, {"JSON []", "[]"}, {`JSON "x"`, `"x"`}, {"JSON 0", "0"}, {"JSON true", "true"}, {"JSON {}", "{}"},
		{"unterminated object", "{"}, {"member without value", `{"a":}`}, {"single quotes", `{'a':1}`}, {"comment", "/* */{}"},
		{"deeply nested arrays", string(nestedArrays(20000))}, {"deeply nested objects", strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)},
		{"byte order mark", "\ufeff" + string(base.body)}, {"trailing garbage", string(base.body) + "x"},
		{"two values", string(base.body) + string(base.body)}, {"trailing comma", strings.TrimSuffix(string(base.body), "}") + ",}"},
	} {
		with(b.name, []byte(b.body), mt)
	}
	example := exampleOf(s, rand.New(rand.NewPCG(p.opts.Seed, 1)), 0)
	if obj, ok := example.(map[string]any); ok && len(obj) > 0 {
		first := slices.Sorted(maps.Keys(obj))[0]
		v, _ := json.Marshal(obj[first])
		inner := strings.TrimPrefix(string(base.body), "{")
		with("duplicate key", []byte(fmt.Sprintf(`{%q:%s,%s`, first, v, inner)), mt)
		with("duplicate key in other case", []byte(fmt.Sprintf(`{%q:%s,%s`, strings.ToUpper(first), v, inner)), mt)
		with("unknown member", []byte(`{"probe_unknown":true,`+inner), mt)
	}
	for _, m := range membersOf(s, example, nil) {
		ptr := "/" + strings.Join(m.pointer, "/")
		set := func(name string, v any, remove bool) {
			b, err := json.Marshal(replaced(example, m.pointer, v, remove))
			if err != nil {
				panic(fmt.Sprintf("probe: marshal %s %s: %v", ptr, name, err))
			}
			with(ptr+" "+name, b, mt)
		}
		if m.required {
			set("missing", nil, true)
		}
		if m.schema == nil {
			continue
		}
		for _, h := range wrongTypes(m.schema) {
			set(h.name, h.value, false)
		}
		for _, h := range hostileValues(m.schema, p.rng) {
			set(h.name, h.value, false)
		}
	}
	return out
}

// rawBodyVariants are hostile bodies of a media type other than JSON (a form, a CSV or
// JSON Lines upload).
func (p *prober) rawBodyVariants(mt string, base probeRequest) []probeRequest {
	var out []probeRequest
	for _, b := range []struct{ name, body string }{
		{"garbage", "\x00\x01\x02\xff"},
		{"one 100k line", strings.Repeat("z", 100_000)},
		{"bad percent-encoding", "token=%zz&%"},
		{"repeated field", string(base.body) + "&" + string(base.body)},
		{"NUL in a value", "token=a%00b"},
		{"lone surrogate as CESU-8", "a=\xed\xa0\x80"},
		{"unbalanced quotes", "\"a,b\nc"},
		{"header only", "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n"},
		{"header and a hostile row", "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n" +
			"R1,2026-02-30,O1,\"Ada\x00\",\"1 High St\",99999999999999999999\n"},
		{"JSON line of wrong types", `{"client_reference":1,"order_date":null,"debtor_names":"x","amount_pence":1e400}` + "\n"},
		{"JSON line with a lone surrogate", `{"client_reference":"\ud800","order_date":"2026-02-02","order_reference":"O","debtor_names":["A"],"address":"x","amount_pence":1}` + "\n"},
		{"deeply nested JSON line", string(nestedArrays(20000)) + "\n"},
	} {
		r := base
		r.name, r.body = "body: "+b.name, []byte(b.body)
		out = append(out, r)
	}
	return out
}

// send sends r and checks the answer, returning its status and whether it was a success
// (so the database may have changed); status 0 when the request could not be sent.
func (p *prober) send(t testing.TB, op probeOperation, r probeRequest) (int, bool) {
	t.Helper()
	method := op.method
	if r.method != "" {
		method = r.method
	}
	path := op.path
	for name, v := range r.path {
		path = strings.ReplaceAll(path, "{"+name+"}", v)
	}
	target := p.target.URL + path
	if r.query != "" {
		target += "?" + r.query
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		t.Errorf("%s: cannot build the request: %v", r.name, err)
		return 0, false
	}
	if strings.HasPrefix(r.name, "body: a billion") {
		req.ContentLength = 1_000_000_001
		req.Body = io.NopCloser(strings.NewReader("{}"))
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for _, h := range r.headers {
		req.Header[http.CanonicalHeaderKey(h[0])] = []string{h[1]}
	}
	res, err := p.client.Do(req)
	if err != nil {
		if strings.HasPrefix(r.name, "body: a billion") {
			return 0, false // the server may answer 413 and close before the client has written
		}
		t.Errorf("%s: %s %s: %v", r.name, method, clipString(target), err)
		return 0, false
	}
	defer res.Body.Close()
	var raw []byte
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "text/event-stream" {
		raw, _ = io.ReadAll(io.LimitReader(res.Body, 1<<20))
	}
	what := fmt.Sprintf("%s: %s %s", r.name, method, clipString(target))
	if r.want != 0 && res.StatusCode != r.want {
		t.Errorf("%s answered %d, want %d: %s", what, res.StatusCode, r.want, clip(raw))
	}
	switch {
	case res.StatusCode >= 500:
		t.Errorf("%s answered %d: %s", what, res.StatusCode, clip(raw))
	case res.StatusCode >= 400:
		checkProblem(t, what, res, raw)
	case (r.token == "" || r.token == p.target.NoRole) && op.secured:
		t.Errorf("%s answered %d to a caller without a role: %s", what, res.StatusCode, clip(raw))
	case r.method != "":
		t.Errorf("%s answered %d to a method the path does not serve", what, res.StatusCode)
	case res.StatusCode < 300 && !strings.HasPrefix(r.name, "no ") && r.name != "example":
		t.Logf("accepted: %s answered %d", what, res.StatusCode)
	}
	return res.StatusCode, res.StatusCode < 400
}

// checkProblem fails the test unless raw is an RFC 9457 problem of res's status.
func checkProblem(t testing.TB, what string, res *http.Response, raw []byte) {
	t.Helper()
	if mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err != nil || mt != httpserver.ProblemContentType {
		t.Errorf("%s answered %d as %q, not a problem: %s", what, res.StatusCode, res.Header.Get("Content-Type"), clip(raw))
		return
	}
	var problem map[string]any
	if err := json.Unmarshal(raw, &problem); err != nil {
		t.Errorf("%s answered %d with a problem that is not a JSON object: %s", what, res.StatusCode, clip(raw))
		return
	}
	typ, _ := problem["type"].(string)
	title, _ := problem["title"].(string)
	status, _ := problem["status"].(float64)
	if _, err := url.Parse(typ); typ == "" || err != nil || title == "" || status != float64(res.StatusCode) {
		t.Errorf("%s answered %d with a problem lacking a type URI, a title or its status: %s", what, res.StatusCode, clip(raw))
	}
	for _, member := range []string{"detail", "instance"} {
		if v, ok := problem[member]; ok {
			if _, isString := v.(string); !isString {
				t.Errorf("%s answered a problem whose %s is not a string: %s", what, member, clip(raw))
			}
		}
	}
}

func clipString(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// tableNames lists the tables of db's public schema.
func tableNames(t testing.TB, db *sqlx.DB) []string {
	t.Helper()
	var tables []string
	if err := db.Select(&tables, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`); err != nil {
		t.Fatalf("list tables: %v", err)
	}
	return tables
}

// countRows counts the rows of every table in one statement (the probe counts after each
// request, so one round trip matters).
func countRows(t testing.TB, db *sqlx.DB, tables []string) []int64 {
	t.Helper()
	if db == nil || len(tables) == 0 {
		return nil
	}
	parts := make([]string, len(tables))
	for i, table := range tables {
		parts[i] = `(SELECT count(*) FROM "` + table + `")`
	}
	var counts pq.Int64Array
	if err := db.QueryRowx(`SELECT ARRAY[` + strings.Join(parts, ",") + `]::bigint[]`).Scan(&counts); err != nil {
		t.Fatalf("count rows: %v", err)
	}
	return counts
}

func diffCounts(tables []string, before, after []int64) string {
	var b strings.Builder
	for i, table := range tables {
		if i < len(before) && i < len(after) && before[i] != after[i] {
			fmt.Fprintf(&b, "%s %d -> %d; ", table, before[i], after[i])
		}
	}
	return b.String()
}
