package httpserver_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"casework.dev/pkg/httpserver"
)

func TestOperationalRoutes(t *testing.T) {
	ready := errors.New("database unreachable")
	mux := httpserver.NewMux(nil, nil)
	mux.HandleOperational(httpserver.Operational{
		Spec:      []byte("openapi: 3.1.0\n"),
		Documents: []httpserver.Document{{Path: "/notice", ContentType: "text/markdown; charset=utf-8", Body: []byte("# Notice")}},
		Ready:     func() error { return ready },
	})
	for _, c := range []struct {
		path, contentType, body string
		status                  int
	}{
		{"/notice", "text/markdown; charset=utf-8", "# Notice", 200},
		{"/healthz", "application/json", "{\"status\":\"ok\"}\n", 200},
		{"/readyz", httpserver.ProblemContentType, "", 503},
		{"/metrics", httpserver.ProblemContentType, "", 404},
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != c.status || rec.Header().Get("Content-Type") != c.contentType || (c.body != "" && string(body) != c.body) {
			t.Errorf("%s: %d %q %q", c.path, rec.Code, rec.Header().Get("Content-Type"), body)
		}
	}
}
