package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"unicode/utf8"
)

// DefaultMaxBodyBytes bounds a request body when no limit is given.
const DefaultMaxBodyBytes int64 = 1 << 20

// DecodeJSON strictly decodes the request body into dst (a pointer). Every
// refusal is a *Problem:
//   - 415 unsupported-media-type unless Content-Type is application/json (charset, if any, utf-8);
//   - 413 body-too-large past maxBytes (DefaultMaxBodyBytes when maxBytes <= 0);
//   - 408 request-timeout when the body does not arrive within the server's ReadTimeout;
//   - 400 malformed-json for an empty body, invalid UTF-8 or bad syntax (with the byte offset);
//   - 400 unknown-field, with a pointer to the member, for a member dst has no field for;
//   - 400 duplicate-key, with a pointer, for a member named twice in one object at any depth.
//     Names that differ only in case count as duplicates, because encoding/json
//     matches struct fields case-insensitively and the last would silently win;
//   - 400 trailing-data for anything but whitespace after the value;
//   - 400 validation, with a pointer, for a name or string value that cannot be stored
//     exactly as sent: one escaping U+0000 or an unpaired UTF-16 surrogate (encoding/json
//     would make it U+FFFD), and 400 malformed-json, with a pointer, for invalid UTF-8;
//   - 400 validation, with a pointer, for a value of the wrong JSON type.
//
// dst is unspecified after an error. A non-Problem error means a programming
// error (dst not a pointer) and becomes a 500.
func DecodeJSON(r *http.Request, dst any, maxBytes int64) error {
	if p := checkJSONContentType(r.Header.Get("Content-Type")); p != nil {
		return p
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBodyBytes
	}
	body, p := readBody(r, maxBytes)
	if p != nil {
		return p
	}
	return DecodeJSONBytes(body, dst)
}

func checkJSONContentType(ct string) *Problem {
	if ct == "" {
		return UnsupportedMediaType("Content-Type must be application/json")
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil || mediaType != "application/json" {
		return UnsupportedMediaType("Content-Type must be application/json")
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return UnsupportedMediaType("Content-Type must be application/json with no parameter but charset=utf-8")
		}
	}
	return nil
}

// readBody reads at most maxBytes. A body already limited by Run's
// MaxBodyBytes reports its own, smaller, limit.
func readBody(r *http.Request, maxBytes int64) ([]byte, *Problem) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > maxBytes {
		return nil, BodyTooLarge(maxBytes)
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, BodyTooLarge(tooLarge.Limit)
		}
		if errors.Is(err, os.ErrDeadlineExceeded) { // the server's ReadTimeout
			return nil, RequestTimeout("the request body did not arrive in time")
		}
		return nil, MalformedJSON("the request body could not be read")
	}
	return body, nil
}

// DecodeJSONBytes applies every body rule of DecodeJSON to a body already read: one line
// of a JSON Lines file, for instance. Its problems name "the request body".
func DecodeJSONBytes(body []byte, dst any) error {
	if len(bytes.TrimLeft(body, " \t\r\n")) == 0 {
		return MalformedJSON("the request body is empty")
	}
	if !utf8.Valid(body) {
		offset := invalidUTF8Offset(body)
		p := MalformedJSON(fmt.Sprintf("the request body is not valid UTF-8 (first bad byte at offset %d)", offset)).
			With("offset", offset)
		if json.Valid(body) { // then the bad bytes are inside a string, which can be named
			if pointer, found := findInvalidUTF8(body); found {
				p.Errors = []FieldError{{Pointer: pointer, Detail: textInvalidUTF8.detail()}}
			}
		}
		return p
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeProblem(err, body, dst)
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(body[end:], " \t\r\n"); len(rest) > 0 {
		return TrailingData(int64(len(body) - len(rest)))
	}
	switch f := scanMembers(body[:end]); {
	case f.duplicate:
		return DuplicateKey(f.pointer)
	case f.text != textOK:
		return unstorableText(FieldError{Pointer: f.pointer, Detail: f.text.detail()})
	}
	return nil
}

// decodeProblem explains an encoding/json error as a problem.
func decodeProblem(err error, body []byte, dst any) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var invalid *json.InvalidUnmarshalError
	switch {
	case errors.As(err, &invalid):
		return fmt.Errorf("httpserver: decode json: %w", err)
	case errors.As(err, &syntax):
		return MalformedJSON(fmt.Sprintf("invalid JSON at byte offset %d: %s", syntax.Offset,
			strings.TrimPrefix(syntax.Error(), "json: "))).With("offset", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return MalformedJSON(fmt.Sprintf("invalid JSON at byte offset %d: unexpected end of input", len(body))).
			With("offset", len(body))
	case errors.As(err, &typeErr):
		pointer := pointerAtOffset(body, int(typeErr.Offset))
		return Validation("a member has the wrong JSON type", FieldError{
			Pointer: pointer,
			Detail:  fmt.Sprintf("must be %s, not %s", jsonKindOf(typeErr), strings.Replace(typeErr.Value, "bool", "boolean", 1)),
		})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if unq, uerr := unquoteGo(name); uerr == nil {
			name = unq
		}
		return UnknownField(locateUnknownField(body, dst, name))
	default:
		// An UnmarshalJSON or UnmarshalText method of dst refused the value.
		return Validation(strings.TrimPrefix(err.Error(), "json: "))
	}
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
