package httpserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// ServeSpec serves an OpenAPI document as it is: application/yaml (RFC 9512)
// or application/json when it is JSON, with an ETag so clients can revalidate.
// Mount it at e.g. "GET /openapi.yaml", outside the validator and auth.
func ServeSpec(spec []byte) http.Handler {
	body := bytes.Clone(spec)
	contentType := "application/yaml"
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		contentType = "application/json"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteProblem(w, r, MethodNotAllowed("the API description is read-only"))
			return
		}
		_ = ServeBody(w, r, contentType, "no-cache", body)
	})
}

// ServeBody answers a GET or HEAD with body under a strong ETag of its content, and 304
// Not Modified when the request's If-None-Match matches it.
func ServeBody(w http.ResponseWriter, r *http.Request, contentType, cacheControl string, body []byte) error {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", cacheControl)
	if noneMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// noneMatch evaluates If-None-Match as RFC 9110 §13.1.2 asks: "*", or a list of entity
// tags compared weakly (W/"x" matches "x"), so a cache that weakened our tag, or holds
// several versions, still revalidates.
func noneMatch(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
