package httpserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A body in a content coding no handler decodes is refused, never read as if it were not
// encoded; a body sent as it is, or a coding on a request without a body, passes.
func TestBaseRefusesABodyInAContentCodingWith415(t *testing.T) {
	h := serviceLike(t)
	for _, coding := range []string{"gzip", "br", "deflate", "GZIP", "identity, gzip", "x-anything"} {
		t.Run(coding, func(t *testing.T) {
			r := jsonRequest(http.MethodPost, "/things", `{"name":"a"}`)
			r.Header.Set("Content-Encoding", coding)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			p := readProblem(t, rec, http.StatusUnsupportedMediaType, TypeUnsupportedMediaType)
			if rec.Header().Get("Accept-Encoding") != "identity" || !strings.Contains(p.Detail, "content coding") {
				t.Fatalf("Accept-Encoding %q, detail %q", rec.Header().Get("Accept-Encoding"), p.Detail)
			}
		})
	}
	for _, c := range []struct{ method, target, body, coding string }{
		{http.MethodPost, "/things", `{"name":"a"}`, "identity"},
		{http.MethodPost, "/things", `{"name":"a"}`, ""},
		{http.MethodGet, "/things/1", "", "gzip"}, // no body, nothing encoded
	} {
		r := jsonRequest(c.method, c.target, c.body)
		r.Header.Set("Content-Encoding", c.coding)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code >= 400 {
			t.Errorf("%s %s with Content-Encoding %q: %d %s", c.method, c.target, c.coding, rec.Code, rec.Body.String())
		}
	}
}

// A target past MaxRequestTargetBytes is a 414 problem before anything reads it. A query of
// more than 10,000 parameters, which net/url's Query drops whole, is one: a filter in it is
// never silently ignored.
func TestBaseRefusesARequestTargetPastTheLimitWith414(t *testing.T) {
	log, _ := newTestLogger()
	mux := NewMux(nil, log)
	mux.Handle("GET /things", func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, http.StatusOK, r.URL.Query().Get("status"))
	})
	h := Chain(mux, Base(log))
	filler := strings.Repeat("&a=", 10_001)
	for _, target := range []string{
		"/things?status=open" + filler,
		"/things?status=" + strings.Repeat("o", MaxRequestTargetBytes),
		"/things/" + strings.Repeat("x", MaxRequestTargetBytes),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		p := readProblem(t, rec, http.StatusRequestURITooLong, TypeURITooLong)
		if p.Extensions["limit_bytes"] != float64(MaxRequestTargetBytes) {
			t.Fatalf("limit_bytes = %v", p.Extensions["limit_bytes"])
		}
	}
	// At the limit the request is served, its query whole.
	target := "/things?status=open&z=" + strings.Repeat("z", MaxRequestTargetBytes-len("/things?status=open&z="))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "\"open\"\n" {
		t.Fatalf("a target of %d bytes: %d %s", len(target), rec.Code, rec.Body.String())
	}
}
