package httpserver

import (
	"net/http"
	"strconv"
	"strings"

	"casework.dev/pkg/casework"
)

// A case's entity tag is its version, so an officer's client can make a change apply only
// to the case as it read it (RFC 9110 §13.1.1 If-Match); casestore.Update refuses it with
// 412 when another change came first.

// SetVersionTag gives the answer the entity tag of a case at version, e.g. "12".
func SetVersionTag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}

// IfMatch passes the versions an unsafe request's If-Match names to the case store
// (casework.WithExpectedVersions). "*" asks only that the case exist, which every change
// needs anyway. If-Match compares strongly, so a weak tag (W/"12") names no version, nor
// does a tag that is not one of ours: the change is then refused, as the RFC asks, never
// made unchecked.
func IfMatch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Values("If-Match")
		if len(header) == 0 || r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		versions := []int{}
		for _, field := range header {
			for tag := range strings.SplitSeq(field, ",") {
				tag = strings.TrimSpace(tag)
				if tag == "*" {
					next.ServeHTTP(w, r)
					return
				}
				if v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(tag, `"`), `"`)); err == nil && v > 0 &&
					strings.HasPrefix(tag, `"`) && strings.HasSuffix(tag, `"`) && len(tag) > 2 {
					versions = append(versions, v)
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(casework.WithExpectedVersions(r.Context(), versions)))
	})
}
