package httpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
)

// net/http answers some requests itself, before any handler runs, in plain text: 431 for a
// header past MaxHeaderBytes, 400 for a malformed request line or header, 501 for an unknown
// transfer coding, 505 for an unsupported HTTP version (each one write of a fixed shape
// straight to the connection), and an empty 417 for an Expect it does not meet. No
// middleware can reach those, so Serve's connections recognise them on the way out and send
// the same status as a problem instead.

// goCannedHeaders is what net/http puts between the status line and the body of the
// answers it writes to the connection itself. A response a handler writes never has it:
// net/http writes its header fields sorted and always with Date.
const goCannedHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// goExpectationFailed starts net/http's answer to an Expect other than 100-continue.
const goExpectationFailed = "HTTP/1.1 417 Expectation Failed\r\n"

// problemListener hands out connections whose net/http answers are problems.
type problemListener struct {
	net.Listener
	maxHeaderBytes int
	log            *slog.Logger
}

func (l *problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &problemConn{Conn: c, l: l}, nil
}

type problemConn struct {
	net.Conn
	l *problemListener
}

// Write sends p, or the problem that replaces net/http's own answer in p.
func (c *problemConn) Write(p []byte) (int, error) {
	problem := c.l.cannedProblem(p)
	if problem == nil {
		return c.Conn.Write(p)
	}
	c.l.log.Debug("http request refused by net/http", slog.Int("status", problem.Status),
		slog.String("detail", problem.Detail), slog.String("remote", c.RemoteAddr().String()))
	if _, err := c.Conn.Write(problemResponse(problem)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// CloseWrite lets net/http half-close after a 431, so the client can read it.
func (c *problemConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// cannedProblem returns the problem for net/http's own answer in w, or nil when w is
// anything else. Only a write that starts with a status line is looked at further.
func (l *problemListener) cannedProblem(w []byte) *Problem {
	if !bytes.HasPrefix(w, []byte("HTTP/1.1 ")) {
		return nil
	}
	if bytes.HasPrefix(w, []byte(goExpectationFailed)) && bytes.HasSuffix(w, []byte("\r\nContent-Length: 0\r\n\r\n")) &&
		!bytes.Contains(w, []byte("\r\nContent-Type:")) {
		return newProblem(TypeExpectationFailed, http.StatusExpectationFailed, "Expectation failed",
			"the server meets no expectation but 100-continue")
	}
	end := bytes.IndexByte(w, '\r')
	if end < 12 || !bytes.HasPrefix(w[end:], []byte(goCannedHeaders)) {
		return nil
	}
	statusLine := w[:end]
	code, err := strconv.Atoi(string(statusLine[9:12]))
	if err != nil || code < 400 || code > 599 {
		return nil
	}
	// The status line is "400 Bad Request" or carries net/http's reason: "400 Bad Request:
	// invalid header value".
	_, reason, _ := bytes.Cut(statusLine, []byte(": "))
	switch code {
	case http.StatusRequestHeaderFieldsTooLarge:
		return newProblem(TypeHeaderTooLarge, code, "Request header too large",
			fmt.Sprintf("the request's header fields exceed %d bytes", l.maxHeaderBytes)).With("limit_bytes", l.maxHeaderBytes)
	case http.StatusBadRequest:
		if len(reason) == 0 {
			reason = []byte("the request is not well-formed HTTP/1.1")
		}
		return newProblem(TypeMalformedRequest, code, "Malformed request", string(reason))
	case http.StatusNotImplemented:
		return newProblem(TypeNotImplemented, code, "Not implemented", "the request's transfer coding is not supported")
	case http.StatusHTTPVersionNotSupported:
		return newProblem(TypeHTTPVersionNotSupported, code, "HTTP version not supported", "the server speaks HTTP/1.0 and HTTP/1.1")
	}
	// A status net/http may add later: RFC 9457's type for "the status says it all".
	return newProblem("about:blank", code, http.StatusText(code), string(reason))
}

// problemResponse is a complete HTTP/1.1 response carrying p, closing the connection as
// net/http's own answers do.
func problemResponse(p *Problem) []byte {
	body, _ := json.Marshal(p)
	body = append(body, '\n')
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", p.Status, http.StatusText(p.Status))
	fmt.Fprintf(&b, "Content-Type: %s\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n", ProblemContentType)
	fmt.Fprintf(&b, "Connection: close\r\nContent-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}
