package httpserver

import "net/http"

// Operational are the routes every service serves without a token: its contract, any
// public documents (a privacy notice), liveness, readiness and metrics.
type Operational struct {
	Spec      []byte
	Documents []Document
	Ready     func() error // nil: always ready
	Metrics   http.Handler // nil: no /metrics
}

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
	m.Handle("GET /readyz", func(w http.ResponseWriter, _ *http.Request) error {
		if o.Ready != nil {
			if err := o.Ready(); err != nil {
				return ServiceUnavailable(err.Error())
			}
		}
		return WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if o.Metrics != nil {
		m.HandleHTTP("GET /metrics", o.Metrics)
	}
}
