package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strings"
)

// HandlerFunc is an HTTP handler that returns its failure instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ErrorMapper turns a service's domain errors into problems. It returns nil
// for an error it does not know, which then becomes a 500.
type ErrorMapper func(error) *Problem

// Adapt makes h an http.Handler. It is the one place an error becomes an
// HTTP status and is logged, once: a *Problem anywhere in the chain is
// written as it is; otherwise mapErr decides; an error mapErr leaves that
// says a dependency cannot serve now (the database or broker unreachable,
// the request's deadline passed) is a 503 with Retry-After; anything else is
// a 500 "internal" problem that leaks nothing. 5xx are logged at error level
// with the whole wrapped chain, 4xx at debug.
func Adapt(h HandlerFunc, mapErr ErrorMapper, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := wrapWriter(w)
		err := h(sw, r)
		if err == nil {
			return
		}
		p := ProblemForRequest(r, err, mapErr)
		LogFailure(log, r, p, err)
		if sw.written() {
			// The handler already started the response; the log line is all we can do.
			return
		}
		WriteProblem(sw, r, p)
	})
}

// ProblemFor is the problem err is answered with: a *Problem as it is, else what mapErr
// says, else 499 for a request its client closed (context.Canceled), else 503 with
// Retry-After for an unavailable dependency, else a 500 that leaks nothing. A handler that
// writes its refusals its own way (a page for a browser) uses it, or ProblemForRequest, so
// that it classifies errors exactly as every other route does.
func ProblemFor(err error, mapErr ErrorMapper) *Problem {
	var p *Problem
	if errors.As(err, &p) && p != nil {
		return p
	}
	if mapErr != nil {
		if p := mapErr(err); p != nil {
			return p
		}
	}
	if errors.Is(err, context.Canceled) {
		return clientClosedRequest()
	}
	if p := unavailable(err); p != nil {
		return p
	}
	return Internal()
}

// ProblemForRequest is ProblemFor for an error met serving r, as Adapt answers it. When r's
// client has gone (its context cancelled: the connection closed mid-request), a 503 is what
// the going did to a dependency, not an outage: lib/pq answers a query cancelled with the
// request "canceling statement due to user request" (57014), which reads as the database
// unavailable. It is answered 499 and logged as a refusal, so that no operator is told of
// an outage there was not.
func ProblemForRequest(r *http.Request, err error, mapErr ErrorMapper) *Problem {
	p := ProblemFor(err, mapErr)
	if p.Status == http.StatusServiceUnavailable && errors.Is(r.Context().Err(), context.Canceled) {
		return clientClosedRequest()
	}
	return p
}

// WriteJSON writes v as application/json with status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err = w.Write(append(body, '\n'))
	return err
}

// Mux is an http.ServeMux (Go 1.22 patterns) whose handlers return errors,
// and whose own 404 and 405 answers are problems instead of plain text.
type Mux struct {
	mux    *http.ServeMux
	pre    *http.ServeMux // each Handle route's middlewares before a handler that does nothing (Admit)
	mapErr ErrorMapper
	log    *slog.Logger
}

// NewMux returns a Mux that maps errors with mapErr and logs with log.
func NewMux(mapErr ErrorMapper, log *slog.Logger) *Mux {
	if log == nil {
		log = slog.Default()
	}
	return &Mux{mux: http.NewServeMux(), pre: http.NewServeMux(), mapErr: mapErr, log: log}
}

// Handle registers h for pattern (e.g. "POST /complaints/{id}/acknowledge"),
// wrapped in mws with the first outermost (e.g. RequireRole). A path value
// that cannot be stored exactly as sent is refused before mws run.
func (m *Mux) Handle(pattern string, h HandlerFunc, mws ...Middleware) {
	m.HandleHTTP(pattern, Chain(Adapt(h, m.mapErr, m.log), mws...))
	m.pre.Handle(pattern, Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), mws...))
}

// Admit runs the middlewares of the route r matches (the role it needs) with a handler
// that does nothing, and reports whether r got past them; when it did not, their answer is
// written to w. AdmitFirst puts this before validation, so that a caller without the
// route's role is told that, not what is wrong with a request they may not make. The
// middlewares must not act beyond refusing. Requests no Handle route matches pass.
func (m *Mux) Admit(w http.ResponseWriter, r *http.Request) bool {
	if _, pattern := m.pre.Handler(r); pattern == "" {
		return true
	}
	rec := &headerRecorder{header: make(http.Header)}
	m.pre.ServeHTTP(rec, r.Clone(r.Context()))
	if rec.status == 0 {
		return true
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body)
	return false
}

// AdmitFirst answers a request that api's route would refuse in its own middlewares (a
// role the route needs) before the middlewares after this one see it; api is the Mux that
// holds the routes (anything else: AdmitFirst does nothing).
func AdmitFirst(api http.Handler) Middleware {
	m, ok := api.(*Mux)
	return func(next http.Handler) http.Handler {
		if !ok {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if m.Admit(w, r) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// HandleHTTP registers a plain http.Handler, e.g. ServeSpec or a health check.
func (m *Mux) HandleHTTP(pattern string, h http.Handler) {
	m.mux.Handle(pattern, storablePathValues(pathWildcards(pattern), h))
}

// ServeHTTP dispatches like http.ServeMux, answering unmatched requests with
// not-found or method-not-allowed problems (keeping ServeMux's Allow header).
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.RequestURI == "*" {
		// net/http answers "OPTIONS *" itself; any other method with it (the HTTP/2 preface
		// "PRI *" sent to this HTTP/1.1 server) names no resource. ServeMux would answer a
		// bare 400.
		w.Header().Set("Connection", "close")
		WriteProblem(w, r, newProblem(TypeMalformedRequest, http.StatusBadRequest, "Malformed request",
			"the request target * is for OPTIONS only"))
		return
	}
	if _, pattern := m.mux.Handler(r); pattern != "" && canonical(r.URL.Path) {
		noteRoute(r, pattern)
		m.mux.ServeHTTP(w, r)
		return
	}
	rec := &headerRecorder{header: make(http.Header)}
	m.mux.ServeHTTP(rec, r)
	switch rec.status {
	case http.StatusNotFound:
		WriteProblem(w, r, NotFound("no resource at this path"))
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", rec.header.Get("Allow"))
		WriteProblem(w, r, MethodNotAllowed("the resource does not support method "+r.Method))
	case http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		// ServeMux sends a path that is not canonical ("//complaints", "/complaints/.") to the
		// canonical one. A read may follow it; a change is refused, so that a client never has
		// a POST sent again somewhere it did not name.
		location := rec.header.Get("Location")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			WriteProblem(w, r, NotFound("the path is not in canonical form; the resource would be at "+location))
			return
		}
		w.Header().Set("Location", location)
		w.WriteHeader(rec.status) // no body: ServeMux's is HTML
	default:
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body)
	}
}

// canonical reports whether ServeMux would serve p as it is rather than redirect it: no
// empty, "." or ".." segment (a trailing slash is a pattern's own).
func canonical(p string) bool {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// headerRecorder captures ServeMux's own small answers so they can be rewritten.
type headerRecorder struct {
	header http.Header
	status int
	body   []byte
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *headerRecorder) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	h.body = append(h.body, b...)
	return len(b), nil
}

// LogFailure writes the one line a failed request is logged with: debug for a refusal, error
// for a 5xx. A refusal's words, and even its pointers (an unknown member's name), may quote
// what the caller sent: a debtor's name where a column heading was expected. The line keeps
// what kind of refusal it was, from controlled lists; the caller has the words. An internal
// error's text is the operator's, and is kept.
func LogFailure(log *slog.Logger, r *http.Request, p *Problem, err error) {
	level := slog.LevelDebug
	if p.Status >= 500 {
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("route", RouteOf(r)),
		slog.Int("status", p.Status),
		slog.String("problem", p.Type),
		slog.String("request_id", RequestIDFrom(r.Context())),
	}
	if p.Status >= 500 {
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		if rule, ok := p.Extensions["rule"].(string); ok {
			attrs = append(attrs, slog.String("rule", rule))
		}
		if len(p.Errors) > 0 {
			attrs = append(attrs, slog.Int("field_errors", len(p.Errors)))
		}
	}
	log.LogAttrs(r.Context(), level, "request failed", attrs...)
}
