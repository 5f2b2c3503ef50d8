package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DeadLetter is a disclosure whose attempts ran out. Body is kept for a manual retry and
// cleared once one succeeds; it is never shown by the API.
type DeadLetter struct {
	ID             string     `json:"id"`
	DisclosureID   string     `json:"disclosure_id"`
	Partner        string     `json:"partner"`
	Subject        string     `json:"subject"`
	Body           []byte     `json:"-"`
	Reason         string     `json:"reason"`
	Attempts       int        `json:"attempts"`
	DeadLetteredAt time.Time  `json:"dead_lettered_at"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy     string     `json:"resolved_by,omitempty"`
}

// DeadLetterReason is the reason recorded after the last attempt.
func DeadLetterReason(attempts int, last Result) string {
	return fmt.Sprintf("gave up after %d attempts; last: %s", attempts, last.Reason())
}

// Errors the use cases return.
var (
	ErrNotFound       = errors.New("no dead letter with this id")
	ErrResolved       = errors.New("dead letter already resolved")
	ErrUnknownPartner = errors.New("partner is not configured for webhook delivery")
	ErrConflict       = errors.New("another attempt for this disclosure is in progress")
)

// Service is the council service whose disclosure this is: share.<partner>.<service>.<purpose>.
func (d DeadLetter) Service() string {
	parts := strings.SplitN(d.Subject, ".", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}
