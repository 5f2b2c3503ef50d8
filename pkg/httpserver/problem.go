// Package httpserver is the HTTP platform every Casework service uses: RFC 9457
// problem details, the single place errors become statuses, strict JSON
// decoding, bearer-token authentication, OpenAPI request validation and a
// server that shuts down gracefully. It holds no council domain.
package httpserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// ProblemContentType is the media type of every error response (RFC 9457).
const ProblemContentType = "application/problem+json"

// Problem type URIs. Clients branch on these, never on Title or Detail.
const (
	problemBase              = "https://casework.dev/problems/"
	TypeMalformedJSON        = problemBase + "malformed-json"
	TypeUnknownField         = problemBase + "unknown-field"
	TypeDuplicateKey         = problemBase + "duplicate-key"
	TypeTrailingData         = problemBase + "trailing-data"
	TypeBodyTooLarge         = problemBase + "body-too-large"
	TypeUnsupportedMediaType = problemBase + "unsupported-media-type"
	TypeValidation           = problemBase + "validation"
	TypeUnauthenticated      = problemBase + "unauthenticated"
	TypeForbidden            = problemBase + "forbidden"
	TypeNotFound             = problemBase + "not-found"
	TypeConflict             = problemBase + "conflict"
	TypeIllegalTransition    = problemBase + "illegal-transition"
	TypeMethodNotAllowed     = problemBase + "method-not-allowed"
	TypeInternal             = problemBase + "internal"
	TypeServiceUnavailable   = problemBase + "service-unavailable"
	TypePreconditionFailed   = problemBase + "precondition-failed"
	TypeUnprocessable        = problemBase + "unprocessable"
	// Refusals net/http makes before any handler runs (see Serve).
	TypeHeaderTooLarge          = problemBase + "header-too-large"
	TypeMalformedRequest        = problemBase + "malformed-request"
	TypeNotImplemented          = problemBase + "not-implemented"
	TypeHTTPVersionNotSupported = problemBase + "http-version-not-supported"
	TypeExpectationFailed       = problemBase + "expectation-failed"
	TypeRequestTimeout          = problemBase + "request-timeout"
	TypeURITooLong              = problemBase + "uri-too-long"
	TypeNotAcceptable           = problemBase + "not-acceptable"
)

// Problem is an RFC 9457 problem details object. It is also an error, so
// handlers and DecodeJSON can return one and Adapt writes it as it is.
type Problem struct {
	Type     string
	Title    string
	Status   int
	Detail   string
	Instance string
	// Errors points at the offending members of the request body.
	Errors []FieldError
	// Extensions are merged into the top-level object when marshalled,
	// e.g. "allowed_actions". They never override the standard members.
	Extensions map[string]any
}

// FieldError names one offending part of a request.
type FieldError struct {
	// Pointer is an RFC 6901 JSON pointer into the request body ("" is the whole body).
	Pointer string `json:"pointer"`
	// Parameter names a path, query or header parameter instead of a body
	// member; the JSON then has no "pointer".
	Parameter string `json:"parameter,omitempty"`
	Detail    string `json:"detail"`
}

// MarshalJSON leaves "pointer" out of parameter errors.
func (f FieldError) MarshalJSON() ([]byte, error) {
	if f.Parameter != "" {
		return json.Marshal(struct {
			Parameter string `json:"parameter"`
			Detail    string `json:"detail"`
		}{f.Parameter, f.Detail})
	}
	type plain FieldError
	return json.Marshal(plain(f))
}

// Error implements error.
func (p *Problem) Error() string {
	if p.Detail == "" {
		return fmt.Sprintf("%d %s", p.Status, p.Title)
	}
	return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
}

// With returns a copy of p carrying one more extension member.
func (p *Problem) With(key string, value any) *Problem {
	c := *p
	c.Extensions = make(map[string]any, len(p.Extensions)+1)
	for k, v := range p.Extensions {
		c.Extensions[k] = v
	}
	c.Extensions[key] = value
	return &c
}

var standardMembers = map[string]bool{
	"type": true, "title": true, "status": true, "detail": true, "instance": true, "errors": true,
}

// MarshalJSON writes the standard members and merges Extensions at the top level.
func (p Problem) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 6+len(p.Extensions))
	for k, v := range p.Extensions {
		if !standardMembers[k] {
			m[k] = v
		}
	}
	m["type"] = p.Type
	m["title"] = p.Title
	m["status"] = p.Status
	if p.Detail != "" {
		m["detail"] = p.Detail
	}
	if p.Instance != "" {
		m["instance"] = p.Instance
	}
	if len(p.Errors) > 0 {
		m["errors"] = p.Errors
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a problem, putting non-standard members into Extensions.
// Clients and tests use it.
func (p *Problem) UnmarshalJSON(data []byte) error {
	var std struct {
		Type     string       `json:"type"`
		Title    string       `json:"title"`
		Status   int          `json:"status"`
		Detail   string       `json:"detail"`
		Instance string       `json:"instance"`
		Errors   []FieldError `json:"errors"`
	}
	if err := json.Unmarshal(data, &std); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	*p = Problem{Type: std.Type, Title: std.Title, Status: std.Status, Detail: std.Detail,
		Instance: std.Instance, Errors: std.Errors}
	for k, raw := range all {
		if standardMembers[k] {
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if p.Extensions == nil {
			p.Extensions = make(map[string]any)
		}
		p.Extensions[k] = v
	}
	return nil
}

// RetryAfter is what a 503 tells the client to wait before trying again, unless the
// handler set its own Retry-After.
const RetryAfter = 5 * time.Second

// WriteProblem writes p as application/problem+json with p.Status. Instance
// defaults to the request path as sent (escaped, so it is the URI reference RFC 9457
// asks for even when the path holds %00, %FF or %2F) and the request id is added when
// known, so a caller can quote it and an operator can find the log line.
func WriteProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p == nil {
		p = Internal()
	}
	out := *p
	if out.Status == 0 {
		out.Status = http.StatusInternalServerError
	}
	if out.Title == "" {
		out.Title = http.StatusText(out.Status)
	}
	if r != nil {
		if out.Instance == "" && r.URL != nil {
			out.Instance = r.URL.EscapedPath()
		}
		if id := RequestIDFrom(r.Context()); id != "" {
			if _, set := out.Extensions["request_id"]; !set {
				out = *out.With("request_id", id)
			}
		}
	}
	body, err := json.Marshal(out)
	if err != nil {
		// An extension that cannot be marshalled is a programming error; do not lose the status.
		body, _ = json.Marshal(Problem{Type: out.Type, Title: out.Title, Status: out.Status, Instance: out.Instance})
	}
	h := w.Header()
	h.Set("Content-Type", ProblemContentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if out.Status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", strconv.Itoa(int(RetryAfter/time.Second)))
	}
	w.WriteHeader(out.Status)
	_, _ = w.Write(append(body, '\n'))
}

func newProblem(typ string, status int, title, detail string) *Problem {
	return &Problem{Type: typ, Title: title, Status: status, Detail: detail}
}

// NotFound is a 404: the resource does not exist or the caller may not know it does.
func NotFound(detail string) *Problem {
	return newProblem(TypeNotFound, http.StatusNotFound, "Not found", detail)
}

// Forbidden is a 403: the caller is known but may not do this.
func Forbidden(detail string) *Problem {
	return newProblem(TypeForbidden, http.StatusForbidden, "Forbidden", detail)
}

// Unauthenticated is a 401: no valid credentials. The auth middleware adds WWW-Authenticate.
func Unauthenticated(detail string) *Problem {
	return newProblem(TypeUnauthenticated, http.StatusUnauthorized, "Unauthenticated", detail)
}

// Conflict is a 409: the request clashes with the current state (e.g. a duplicate).
func Conflict(detail string) *Problem {
	return newProblem(TypeConflict, http.StatusConflict, "Conflict", detail)
}

// IllegalTransition is a 409: the case is not in a state that allows this action.
// Add the actions that are allowed with .With("allowed_actions", [...]).
func IllegalTransition(detail string) *Problem {
	return newProblem(TypeIllegalTransition, http.StatusConflict, "Illegal transition", detail)
}

// PreconditionFailed is a 412: an If-Match version did not match.
func PreconditionFailed(detail string) *Problem {
	return newProblem(TypePreconditionFailed, http.StatusPreconditionFailed, "Precondition failed", detail)
}

// Validation is a 400 naming each offending field.
func Validation(detail string, errs ...FieldError) *Problem {
	p := newProblem(TypeValidation, http.StatusBadRequest, "Validation failed", detail)
	p.Errors = errs
	return p
}

// Unprocessable is a 422: well-formed and valid, but the domain refuses it.
func Unprocessable(detail string) *Problem {
	return newProblem(TypeUnprocessable, http.StatusUnprocessableEntity, "Unprocessable", detail)
}

// MalformedJSON is a 400 for a body that is not JSON.
func MalformedJSON(detail string) *Problem {
	return newProblem(TypeMalformedJSON, http.StatusBadRequest, "Malformed JSON", detail)
}

// UnknownField is a 400 for a body member the endpoint does not accept.
func UnknownField(pointer string) *Problem {
	p := newProblem(TypeUnknownField, http.StatusBadRequest, "Unknown field",
		fmt.Sprintf("the member %q is not accepted here", pointer))
	p.Errors = []FieldError{{Pointer: pointer, Detail: "unknown field"}}
	return p
}

// DuplicateKey is a 400 for an object naming the same member twice.
func DuplicateKey(pointer string) *Problem {
	p := newProblem(TypeDuplicateKey, http.StatusBadRequest, "Duplicate key",
		fmt.Sprintf("the member %q appears more than once", pointer))
	p.Errors = []FieldError{{Pointer: pointer, Detail: "duplicate key"}}
	return p
}

// TrailingData is a 400 for anything but whitespace after the JSON value.
func TrailingData(offset int64) *Problem {
	p := newProblem(TypeTrailingData, http.StatusBadRequest, "Trailing data",
		fmt.Sprintf("unexpected data after the JSON value at byte offset %d", offset))
	return p.With("offset", offset)
}

// BodyTooLarge is a 413.
func BodyTooLarge(limit int64) *Problem {
	p := newProblem(TypeBodyTooLarge, http.StatusRequestEntityTooLarge, "Body too large",
		fmt.Sprintf("the request body exceeds %d bytes", limit))
	return p.With("limit_bytes", limit)
}

// UnsupportedMediaType is a 415.
func UnsupportedMediaType(detail string) *Problem {
	return newProblem(TypeUnsupportedMediaType, http.StatusUnsupportedMediaType, "Unsupported media type", detail)
}

// MethodNotAllowed is a 405. The caller sets the Allow header.
func MethodNotAllowed(detail string) *Problem {
	return newProblem(TypeMethodNotAllowed, http.StatusMethodNotAllowed, "Method not allowed", detail)
}

// ServiceUnavailable is a 503, e.g. while shutting down or a dependency is down.
// WriteProblem adds Retry-After.
func ServiceUnavailable(detail string) *Problem {
	return newProblem(TypeServiceUnavailable, http.StatusServiceUnavailable, "Service unavailable", detail)
}

// RequestTimeout is a 408: the request (its body) did not arrive in time.
func RequestTimeout(detail string) *Problem {
	return newProblem(TypeRequestTimeout, http.StatusRequestTimeout, "Request timeout", detail)
}

// Internal is a 500 that says nothing about the cause: the cause goes to the log only.
func Internal() *Problem {
	return newProblem(TypeInternal, http.StatusInternalServerError, "Internal error",
		"an unexpected error occurred; quote the request_id when reporting it")
}
