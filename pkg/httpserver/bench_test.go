package httpserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var benchBody = []byte(`{"source":"web","summary":"Bins not collected on Tonbridge Road for three weeks","channel":"web",` +
	`"contacts":[{"email":"resident@example.org","phone":"01622 000000"},{"email":"neighbour@example.org"}],` +
	`"meta":{"ward":"Fant","ref":"MBC-2026-000123","team":"waste"},"count":3,"free":{"a":[1,2,3],"b":{"c":"d"}}}`)

// BenchmarkDecodeJSON compares DecodeJSON's strict pass with the plain
// encoding/json decode it wraps (the ceiling): compare within one run.
func BenchmarkDecodeJSON(b *testing.B) {
	b.Run("strict", func(b *testing.B) {
		b.SetBytes(int64(len(benchBody)))
		for b.Loop() {
			r, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(benchBody))
			r.Header.Set("Content-Type", "application/json")
			var v testComplaint
			if err := DecodeJSON(r, &v, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-ceiling", func(b *testing.B) {
		b.SetBytes(int64(len(benchBody)))
		for b.Loop() {
			var v testComplaint
			if err := json.NewDecoder(bytes.NewReader(benchBody)).Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("member-scan-only", func(b *testing.B) {
		b.SetBytes(int64(len(benchBody)))
		for b.Loop() {
			if f := scanMembers(benchBody); f.found() {
				b.Fatal(f)
			}
		}
	})
}

// BenchmarkOpenAPIValidator measures one validated POST per spec version.
func BenchmarkOpenAPIValidator(b *testing.B) {
	body := `{"summary":"bins not collected","channel":"web","contact":{"email":"a@b.example"},"tags":["waste"]}`
	for _, ver := range []string{"3.0.3", "3.1.0"} {
		b.Run(ver, func(b *testing.B) {
			v, err := NewOpenAPIValidator([]byte(strings.Replace(testSpec, "3.1.0", ver, 1)))
			if err != nil {
				b.Fatal(err)
			}
			h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/complaints", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
