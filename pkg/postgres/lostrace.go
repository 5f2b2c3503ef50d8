package postgres

import (
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
)

// IsLostRace reports whether err is PostgreSQL ending a statement because it lost a race
// with another transaction: a serialization failure (40001) or a deadlock (40P01). Nothing
// of that statement was written and the same work may succeed when read and tried again, so
// it is a lost race like a version guard that matched no row (retry, then a retryable 409),
// not an unavailable database (IsUnavailable is false for it).
func IsLostRace(err error) bool {
	pqErr := pq.As(err)
	return pqErr != nil && (pqErr.Code == pqerror.TRSerializationFailure || pqErr.Code == pqerror.TRDeadlockDetected)
}
