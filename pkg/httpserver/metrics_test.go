package httpserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"casework.dev/pkg/httpserver"
)

// TestMetricsCountRequestsByRoutePatternAndStatus scrapes /metrics as Prometheus would.
func TestMetricsCountRequestsByRoutePatternAndStatus(t *testing.T) {
	reg := prometheus.NewRegistry()
	api := httpserver.NewMux(nil, nil)
	api.Handle("GET /complaints/{id}", func(w http.ResponseWriter, r *http.Request) error {
		if r.PathValue("id") == "missing" {
			return httpserver.NotFound("no such complaint")
		}
		return httpserver.WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	root := httpserver.NewMux(nil, nil)
	root.HandleHTTP("/complaints/", api)
	root.HandleHTTP("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := httptest.NewServer(httpserver.Chain(root, httpserver.Metrics(reg)))
	defer srv.Close()

	for _, path := range []string{"/complaints/ada@example.org", "/complaints/2", "/complaints/missing", "/no/such/path"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(raw)
	for _, want := range []string{
		`casework_http_requests_total{code="200",method="GET",route="GET /complaints/{id}"} 2`,
		`casework_http_requests_total{code="404",method="GET",route="GET /complaints/{id}"} 1`,
		`casework_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`casework_http_request_duration_seconds_count{method="GET",route="GET /complaints/{id}"} 3`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "ada@example.org") || strings.Contains(body, "/no/such/path") {
		t.Error("a path (which may hold personal data) became a label")
	}
}
