package httpserver

import (
	"fmt"
	"net/http"
	"strings"
)

// MaxRequestTargetBytes bounds a request's target (path and query as sent). RFC 9110
// section 4.1 asks a server to take at least 8000 octets; no route here needs more. It also
// keeps every query below the 10,000 parameters past which net/url's Query drops them all
// without a word (a filter would then be ignored and the answer look like one to the
// question asked), and a query's field errors, one per parameter, in proportion.
const MaxRequestTargetBytes = 8 << 10

// RequestFraming refuses, before any handler, a request framed in a way no handler reads
// as sent: a target longer than MaxRequestTargetBytes (414), and a body with a content
// coding (Content-Encoding gzip, br, ...), which no handler decodes and every one would read
// as if it were not encoded (415, with Accept-Encoding: identity as RFC 9110 section
// 15.5.16 asks). Base includes it.
func RequestFraming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := len(r.RequestURI); n > MaxRequestTargetBytes {
			WriteProblem(w, r, newProblem(TypeURITooLong, http.StatusRequestURITooLong, "URI too long",
				fmt.Sprintf("the request target is %d bytes; at most %d are taken", n, MaxRequestTargetBytes)).
				With("limit_bytes", MaxRequestTargetBytes))
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			for _, field := range r.Header.Values("Content-Encoding") {
				for coding := range strings.SplitSeq(field, ",") {
					if coding = strings.TrimSpace(coding); coding != "" && !strings.EqualFold(coding, "identity") {
						w.Header().Set("Accept-Encoding", "identity")
						WriteProblem(w, r, UnsupportedMediaType(fmt.Sprintf(
							"the request body's content coding %q is not supported; send it unencoded", coding)))
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
