// Package ports serves the board: server-rendered pages for a browser (signed in once with
// a bearer token kept in a cookie), live figures by server-sent events, the same figures as
// JSON for API clients, and the operational routes.
package ports

import (
	"bytes"
	"embed"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
)

// assets are served as they are; templates are rendered.
//
//go:embed assets templates
var files embed.FS

// Changes wakes live pages when a service's figures moved.
type Changes interface {
	Subscribe(services []string) (<-chan struct{}, func())
}

// HTTPConfig wires the HTTP port.
type HTTPConfig struct {
	Service   *app.Service
	Changes   Changes
	Services  []domain.Followed // the services the board follows, in the order it shows them
	Auth      *httpserver.Authenticator
	Validator *httpserver.OpenAPIValidator
	// Operational are the routes in the open: contract, health, readiness, metrics.
	Operational httpserver.Operational
	Logger      *slog.Logger
	// InsecureCookie leaves Secure off the sign-in cookie, for a board served over plain
	// HTTP on a developer's machine.
	InsecureCookie bool
}

type handlers struct {
	cfg   HTTPConfig
	pages pages
}

// NewHTTPHandler builds the board's routes.
func NewHTTPHandler(cfg HTTPConfig) (http.Handler, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	h := &handlers{cfg: cfg, pages: p}
	checked := func(f http.Handler) http.Handler { return httpserver.Chain(f, cfg.Validator.Middleware) }

	root := httpserver.NewMux(nil, cfg.Logger)
	root.HandleOperational(cfg.Operational)
	root.HandleHTTP("GET /{$}", h.page(h.validated(h.board)))
	root.HandleHTTP("GET /cases", h.page(h.validated(h.cases)))
	root.HandleHTTP("GET /sign-in", checked(h.handle(h.signInForm)))
	root.HandleHTTP("POST /sign-in", checked(h.handle(h.signIn)))
	root.HandleHTTP("POST /sign-out", checked(h.handle(h.signOut)))
	root.HandleHTTP("GET /events", h.api(h.validated(h.events)))
	root.HandleHTTP("GET /api/board", h.api(h.validated(h.summaryJSON)))
	root.HandleHTTP("GET /api/cases", h.api(h.validated(h.casesJSON)))
	root.HandleHTTP("GET /assets/{file}", checked(http.HandlerFunc(h.asset)))
	return httpserver.Chain(root, httpserver.Base(cfg.Logger), securityHeaders), nil
}

type (
	plainFunc   func(w http.ResponseWriter, r *http.Request) error
	sessionFunc func(w http.ResponseWriter, r *http.Request, s session) error
)

// handle is the one place the board turns an error into a response: a problem, shown as a
// page to a browser and as application/problem+json to everyone else.
func (h *handlers) handle(f plainFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &startedWriter{ResponseWriter: w}
		err := f(sw, r)
		if err == nil {
			return
		}
		p := problemFor(r, err)
		httpserver.LogFailure(h.cfg.Logger, r, p, err)
		if sw.started {
			return // a live stream already under way: the log line is all there is to do
		}
		h.writeProblem(w, r, p)
	})
}

// page serves a browser page to a signed-in manager; anyone else is sent to sign in.
func (h *handlers) page(f sessionFunc) http.Handler {
	return h.handle(func(w http.ResponseWriter, r *http.Request) error {
		s, p := h.authenticate(r)
		if p != nil && p.Status == http.StatusUnauthorized && wantsHTML(r) {
			target := "/sign-in"
			if _, fromCookie := tokenFrom(r); fromCookie {
				h.setCookie(w, "", -1)
				target += "?expired=1"
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return nil
		}
		if p != nil {
			return p
		}
		return f(w, r, s)
	})
}

// validated checks the request against the contract once the caller is known, so that
// a caller without a valid token hears 401 (or is sent to sign in) whatever else is
// wrong with the request, as the case services answer.
func (h *handlers) validated(f sessionFunc) sessionFunc {
	return func(w http.ResponseWriter, r *http.Request, s session) error {
		var err error
		h.cfg.Validator.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			err = f(w, r, s)
		})).ServeHTTP(w, r)
		return err
	}
}

// api serves JSON and the event stream to a bearer token or a signed-in browser.
func (h *handlers) api(f sessionFunc) http.Handler {
	return h.handle(func(w http.ResponseWriter, r *http.Request) error {
		s, p := h.authenticate(r)
		if p != nil {
			if p.Status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="casework"`)
			}
			return p
		}
		return f(w, r, s)
	})
}

func (h *handlers) writeProblem(w http.ResponseWriter, r *http.Request, p *httpserver.Problem) {
	if p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if !wantsHTML(r) {
		httpserver.WriteProblem(w, r, p)
		return
	}
	var body bytes.Buffer
	if err := h.pages.render(&body, "error", pageData{Title: p.Title, Problem: p, RequestID: httpserver.RequestIDFrom(r.Context())}); err != nil {
		httpserver.WriteProblem(w, r, p)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(body.Bytes())
}

// problemFor maps an error to its problem as every service does (an unavailable database
// is a 503 with Retry-After, a closed request a 499); anything unknown is a 500 that leaks
// nothing.
func problemFor(r *http.Request, err error) *httpserver.Problem {
	return httpserver.ProblemForRequest(r, err, httpserver.CaseErrors(nil))
}

// wantsHTML reports a browser navigating, which is shown pages rather than JSON.
func wantsHTML(r *http.Request) bool { return strings.Contains(r.Header.Get("Accept"), "text/html") }

// securityHeaders keep the pages to their own origin: no inline script, no framing.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin") // with no-referrer, a form post says Origin: null
		next.ServeHTTP(w, r)
	})
}

// startedWriter notes whether the response has begun.
type startedWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startedWriter) WriteHeader(code int) {
	w.started = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *startedWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and the write deadline.
func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (h *handlers) figureOf(r *http.Request, s session) (app.CaseQuery, error) {
	q := r.URL.Query()
	service := q.Get("service")
	figure, err := domain.ParseFigure(q.Get("figure"))
	if err != nil {
		return app.CaseQuery{}, httpserver.Validation("unknown figure", httpserver.FieldError{Parameter: "figure", Detail: err.Error()})
	}
	if !slices.Contains(s.services, service) {
		return app.CaseQuery{}, httpserver.Forbidden("you manage "+strings.Join(s.services, ", ")+", not "+service).
			With("services", s.services)
	}
	return app.CaseQuery{Service: service, Figure: figure, Stage: q.Get("stage")}, nil
}

func (h *handlers) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	body, err := files.ReadFile("assets/" + name)
	if err != nil {
		httpserver.WriteProblem(w, r, httpserver.NotFound("no such asset"))
		return
	}
	switch {
	case strings.HasSuffix(name, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(body)
}
