package httpserver

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// Operational are the routes every service serves without a token: its contract, any
// public documents (a privacy notice), liveness, readiness and metrics.
type Operational struct {
	Spec      []byte
	Documents []Document
	// Ready checks the service's dependencies; nil means always ready. It returns a
	// *DependencyDown for each it cannot reach (errors.Join for several); any other error
	// means not ready. /readyz shows only the dependencies' names and logs the causes.
	Ready   func() error
	Metrics http.Handler // nil: no /metrics
}

// DependencyDown is what a readiness check returns for a dependency it cannot reach.
type DependencyDown struct {
	Dependency string // shown by /readyz, e.g. "database", "broker"
	// Degraded means the service still does its work without it (writes commit and the
	// outbox holds their events while the broker is down): /readyz stays 200 and says so,
	// so a load balancer does not turn a broker outage into an API outage.
	Degraded bool
	Err      error // the cause: logged, never shown
}

func (d *DependencyDown) Error() string {
	if d.Err == nil {
		return d.Dependency + " unavailable"
	}
	return d.Dependency + " unavailable: " + d.Err.Error()
}

func (d *DependencyDown) Unwrap() error { return d.Err }

// Document is a public, unchanging text served at Path.
type Document struct {
	Path        string
	ContentType string
	Body        []byte
}

// HandleOperational registers the operational routes on m.
func (m *Mux) HandleOperational(o Operational) {
	m.HandleHTTP("GET /openapi.yaml", ServeSpec(o.Spec))
	for _, d := range o.Documents {
		m.HandleHTTP("GET "+d.Path, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", d.ContentType)
			_, _ = w.Write(d.Body)
		}))
	}
	m.Handle("GET /healthz", func(w http.ResponseWriter, _ *http.Request) error {
		return WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	m.Handle("GET /readyz", func(w http.ResponseWriter, r *http.Request) error {
		var err error
		if o.Ready != nil {
			err = o.Ready()
		}
		if err == nil {
			return WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		}
		down, degraded := readiness(err)
		if len(down) > 0 {
			p := ServiceUnavailable(strings.Join(down, ", "))
			if len(degraded) > 0 {
				p = p.With("degraded", degraded)
			}
			return fmt.Errorf("%w: %w", p, err) // Adapt writes the problem and logs the cause
		}
		m.log.LogAttrs(r.Context(), slog.LevelWarn, "ready but degraded",
			slog.Any("degraded", degraded), slog.String("error", err.Error()))
		return WriteJSON(w, http.StatusOK, map[string]any{"status": "degraded", "degraded": degraded})
	})
	if o.Metrics != nil {
		m.HandleHTTP("GET /metrics", o.Metrics)
	}
}

// readiness sorts what a readiness check returned into the fixed words /readyz may show:
// "<dependency> unavailable" for each that makes the service unready ("not ready" for an
// error that names none), and the names of those it only degrades.
func readiness(err error) (down, degraded []string) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			d, g := readiness(e)
			down, degraded = append(down, d...), append(degraded, g...)
		}
		return down, degraded
	}
	var dep *DependencyDown
	switch {
	case !errors.As(err, &dep):
		return []string{"not ready"}, nil
	case dep.Degraded:
		return nil, []string{dep.Dependency}
	}
	return []string{dep.Dependency + " unavailable"}, nil
}
