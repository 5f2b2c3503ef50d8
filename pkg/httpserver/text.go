package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Text a client sends is stored exactly as sent or refused. PostgreSQL refuses U+0000 in
// text and jsonb and holds only valid UTF-8, and encoding/json silently turns invalid UTF-8
// and unpaired UTF-16 surrogate escapes into U+FFFD: each would be a 500 or a silent change.
// So such text is refused with a 400 validation problem naming where it is: a JSON pointer
// into the body (DecodeJSON and the OpenAPI validator), a query parameter or header
// (StorableText, in Base) or a path value (Mux).

type textFault uint8

const (
	textOK textFault = iota
	textNUL
	textSurrogate
	textInvalidUTF8
	textSubMicrosecond
)

func (f textFault) detail() string {
	switch f {
	case textNUL:
		return "contains U+0000 (NUL), which cannot be stored"
	case textSurrogate:
		return "contains an unpaired UTF-16 surrogate escape, which is no character and cannot be stored as sent"
	case textInvalidUTF8:
		return "is not valid UTF-8"
	case textSubMicrosecond:
		return "is a time finer than the microsecond that is stored; send at most 6 fractional digits of a second"
	}
	return ""
}

// unstorableText is the 400 for text that cannot be stored exactly as sent.
func unstorableText(fields ...FieldError) *Problem {
	return sortedErrors(Validation("text that cannot be stored exactly as sent", fields...))
}

// parameterFault names a query, path or header parameter as the OpenAPI validator does.
func parameterFault(in, name, detail string) FieldError {
	return FieldError{Parameter: name, Detail: fmt.Sprintf("%s parameter %q: %s", in, name, detail)}
}

// textFaultOf checks a decoded string: a query parameter, path value or header.
func textFaultOf(s string) textFault {
	switch {
	case !utf8.ValidString(s):
		return textInvalidUTF8
	case strings.IndexByte(s, 0) >= 0:
		return textNUL
	}
	return textOK
}

// escapedTextFault checks the escapes in the raw content of a JSON string (between its
// quotes) that encoding/json has accepted: \u0000, and a surrogate escape that is not a
// high surrogate followed by a low one.
func escapedTextFault(raw []byte) textFault {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if i >= len(raw) || raw[i] != 'u' {
			continue // a one-character escape, skipped whole
		}
		r, ok := hex4(raw[i+1:])
		if !ok {
			continue
		}
		i += 4
		switch {
		case r == 0:
			return textNUL
		case r >= 0xD800 && r < 0xDC00:
			if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if low, ok := hex4(raw[i+3:]); ok && low >= 0xDC00 && low <= 0xDFFF {
					i += 6
					continue
				}
			}
			return textSurrogate
		case r >= 0xDC00 && r <= 0xDFFF:
			return textSurrogate
		}
	}
	return textOK
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// StorableText refuses, before any handler, a request whose query parameters or header
// values hold text that cannot be stored exactly as sent, or whose query has a parameter
// net/url would silently drop (a bad percent-escape, a ';'). Every offending parameter and
// header is named. Base includes it.
func StorableText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fields := queryTextFaults(r.URL.RawQuery)
		for name, values := range r.Header {
			for _, v := range values {
				if f := textFaultOf(v); f != textOK {
					fields = append(fields, parameterFault("header", name, f.detail()))
					break
				}
			}
		}
		if len(fields) > 0 {
			WriteProblem(w, r, unstorableText(fields...))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// queryTextFaults parses a query as url.ParseQuery does, naming each parameter it would
// drop or that holds text that cannot be stored.
func queryTextFaults(raw string) []FieldError {
	var fields []FieldError
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		key, value, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(key)
		if err != nil {
			fields = append(fields, parameterFault("query", key, "the name is not validly percent-encoded"))
			continue
		}
		detail := ""
		if f := textFaultOf(name); f != textOK {
			detail = "the name " + f.detail()
		} else if strings.Contains(part, ";") {
			detail = "contains ';', which does not separate parameters (use '&'; send ';' as %3B)"
		} else if v, err := url.QueryUnescape(value); err != nil {
			detail = "is not validly percent-encoded"
		} else if f := textFaultOf(v); f != textOK {
			detail = f.detail()
		}
		if detail != "" {
			fields = append(fields, parameterFault("query", name, detail))
		}
	}
	return fields
}

// pathWildcards lists the wildcard names of a ServeMux pattern ("{id}", "{rest...}").
func pathWildcards(pattern string) []string {
	var names []string
	for {
		open := strings.IndexByte(pattern, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(pattern[open:], '}')
		if end < 0 {
			return names
		}
		if name := strings.TrimSuffix(pattern[open+1:open+end], "..."); name != "" && name != "$" && !slices.Contains(names, name) {
			names = append(names, name)
		}
		pattern = pattern[open+end+1:]
	}
}

// storablePathValues refuses a request whose path values (of the named wildcards) hold
// text that cannot be stored exactly as sent, e.g. %00 or %FF in /complaints/{id}.
func storablePathValues(wildcards []string, next http.Handler) http.Handler {
	if len(wildcards) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var fields []FieldError
		for _, name := range wildcards {
			if f := textFaultOf(r.PathValue(name)); f != textOK {
				fields = append(fields, parameterFault("path", name, f.detail()))
			}
		}
		if len(fields) > 0 {
			WriteProblem(w, r, unstorableText(fields...))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// subMicrosecondTime says whether a JSON string value is an RFC 3339 time whose fraction
// of a second goes past the microseconds PostgreSQL keeps (non-zero beyond the sixth
// digit): stored, it would silently become another instant.
func subMicrosecondTime(raw []byte) bool {
	// The shortest such time is 2006-01-02T15:04:05.1234567Z.
	if len(raw) < 28 || len(raw) > 64 || raw[4] != '-' || raw[7] != '-' || raw[19] != '.' {
		return false
	}
	digits := raw[20:]
	n := 0
	for n < len(digits) && '0' <= digits[n] && digits[n] <= '9' {
		n++
	}
	if n <= 6 || strings.Trim(string(digits[6:n]), "0") == "" {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, string(raw))
	return err == nil
}
