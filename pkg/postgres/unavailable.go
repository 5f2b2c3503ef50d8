package postgres

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
)

// IsUnavailable reports whether err means the database cannot be reached or cannot serve
// right now, so the same request may succeed later: a connection refused, reset or timed
// out (net errors, driver.ErrBadConn, sql.ErrConnDone), or the pool closed at shutdown; the server refusing or ending the
// session (any FATAL or PANIC error, e.g. "database is not currently accepting
// connections", 55000); SQLSTATE class 08 (connection exception); 53300 (too many
// connections); 57P01-57P03 (shut down by the administrator or a crash, cannot connect
// now); 57014 (a statement cancelled because its context ended or statement_timeout
// passed). A deadline of the caller's context (context.DeadlineExceeded, also what
// database/sql returns while waiting for a pooled connection) is the caller's to judge.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// database/sql's pool, closed as the service shuts down, says so only in words.
	if strings.Contains(err.Error(), "sql: database is closed") {
		return true
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	if errors.As(err, &opErr) || errors.As(err, &dnsErr) {
		return true
	}
	pqErr := pq.As(err)
	if pqErr == nil {
		return false
	}
	switch pqErr.Code {
	case pqerror.TooManyConnections, pqerror.AdminShutdown, pqerror.CrashShutdown, pqerror.CannotConnectNow,
		pqerror.QueryCanceled:
		return true
	}
	return pqErr.Code.Class() == pqerror.ClassConnectionException ||
		pqErr.Severity == pqerror.SeverityFatal || pqErr.Severity == pqerror.SeverityPanic
}

// IsLostRace reports whether err is PostgreSQL giving up a transaction because it raced
// another: 40001 (serialization failure) or 40P01 (deadlock detected). Nothing was written,
// the database is well, and the same request run again may succeed: a lost race, to be
// retried and then answered as a concurrent update (409, retryable), never as an outage.
func IsLostRace(err error) bool {
	pqErr := pq.As(err)
	return pqErr != nil && (pqErr.Code == pqerror.TRSerializationFailure || pqErr.Code == pqerror.TRDeadlockDetected)
}
