package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DeadLetter is a disclosure whose attempts ran out. Body is kept for a manual retry, for
// at most the retention (BodyRetention) from DeadLetteredAt; it is erased by the retention
// sweep, by a manager's discard or by a successful retry, whichever comes first, and the
// erasure recorded. It is never shown by the API: BodyHeld says whether it is still kept.
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
	// State is where the dead letter stands (StateOpen, ...), as of when it was read.
	State string `json:"state"`
	// BodyHeld: the disclosure's content is still kept, so a retry can send it.
	BodyHeld bool `json:"body_held"`
	// BodyKeptUntil is when the retention sweep erases a body still held (then no retry).
	BodyKeptUntil *time.Time `json:"body_kept_until,omitempty"`
	// BodyErasedAt, BodyErasedBy and BodyErasure record when, by whom and why the body went.
	BodyErasedAt *time.Time `json:"body_erased_at,omitempty"`
	BodyErasedBy string     `json:"body_erased_by,omitempty"`
	BodyErasure  string     `json:"body_erasure,omitempty"`
	// RetryClaimedAt and RetryClaimedBy name a manual retry that holds the dead letter (its
	// lease may have run out); never shown.
	RetryClaimedAt *time.Time `json:"-"`
	RetryClaimedBy string     `json:"-"`
}

// Where a dead letter stands. Only an open one is work a manager can act on (retry, or
// discard); the others are closed for good.
const (
	// StateOpen: undelivered, its content held and within the retention.
	StateOpen = "open"
	// StateRedelivered: a manual retry delivered it (ResolvedAt); its content is erased.
	StateRedelivered = "redelivered"
	// StateDiscarded: a manager discarded its content; it may no longer be sent.
	StateDiscarded = "discarded"
	// StateExpired: its content was erased by the retention sweep, or is past the retention
	// and waits for the sweep; it may no longer be sent.
	StateExpired = "expired"
)

// ClosedStates are the states of dead letters nobody can act on any more.
var ClosedStates = []string{StateRedelivered, StateDiscarded, StateExpired}

// States are every state, open first.
var States = append([]string{StateOpen}, ClosedStates...)

// ListStatuses maps the list's status parameter to the states it selects: open (the
// default), closed, one closed state by name, or all; resolved is the old name of
// redelivered. False for anything else.
func ListStatuses(status string) ([]string, bool) {
	switch status {
	case "", StateOpen:
		return []string{StateOpen}, true
	case "closed":
		return ClosedStates, true
	case "all":
		return States, true
	case "resolved", StateRedelivered:
		return []string{StateRedelivered}, true
	case StateDiscarded, StateExpired:
		return []string{status}, true
	}
	return nil, false
}

// StateAt is where the dead letter stands at now under retention: closed once redelivered
// or its content erased, expired once past the retention even before the sweep runs.
func (d DeadLetter) StateAt(now time.Time, retention time.Duration) string {
	switch {
	case d.ResolvedAt != nil || d.BodyErasure == ErasureDelivered:
		return StateRedelivered
	case d.BodyErasure == ErasureRetention:
		return StateExpired
	case d.BodyErasedAt != nil:
		return StateDiscarded
	case !now.Before(d.BodyDue(retention)):
		return StateExpired
	}
	return StateOpen
}

// Why a dead letter's body was erased.
const (
	ErasureDelivered = "delivered" // a manual retry delivered it
	ErasureDiscarded = "discarded" // a manager discarded it
	ErasureRetention = "retention" // the retention sweep erased it
	ErasureArticle19 = "article19" // an Article 19 notice told the partner its data changed
)

// RetentionSweeper is the actor recorded for what the retention sweep erases.
const RetentionSweeper = "system:retention-sweep"

// DefaultBodyRetention is how long a dead letter keeps the disclosure's content after
// delivery gave up, unless configured otherwise: long enough to fix a partner's endpoint,
// short enough that the broker holds no long-lived copy of personal data.
const DefaultBodyRetention = 30 * 24 * time.Hour

// BodyDue is when a dead letter's body is due for erasure under retention.
func (d DeadLetter) BodyDue(retention time.Duration) time.Time {
	return d.DeadLetteredAt.Add(retention)
}

// AsOf fills State as of now and BodyKeptUntil for a body still held.
func (d DeadLetter) AsOf(now time.Time, retention time.Duration) DeadLetter {
	d.State = d.StateAt(now, retention)
	d.BodyKeptUntil = nil
	if d.BodyHeld {
		due := d.BodyDue(retention).UTC()
		d.BodyKeptUntil = &due
	}
	return d
}

// StateError says what state a dead letter is in when it refuses what was asked of it.
type StateError struct {
	State string
	Err   error
}

func (e *StateError) Error() string { return e.Err.Error() }
func (e *StateError) Unwrap() error { return e.Err }

// InState marks err as refused because the dead letter is in state.
func InState(state string, err error) error { return &StateError{State: state, Err: err} }

// CheckResendable refuses to send the kept body again once it is erased or past the
// retention at now: the content may be stale (consent withdrawn, data restricted,
// rectified or erased since), so only the source service may disclose it again.
func (d DeadLetter) CheckResendable(now time.Time, retention time.Duration) error {
	switch {
	case !d.BodyHeld && d.BodyErasedAt != nil:
		how := "erased"
		switch d.BodyErasure {
		case ErasureDiscarded:
			how = "discarded by " + d.BodyErasedBy
		case ErasureRetention:
			how = "erased after the retention of " + FormatRetention(retention)
		case ErasureArticle19:
			how = "erased when an Article 19 notice (" + strings.TrimPrefix(d.BodyErasedBy, Article19Eraser) +
				") told the partner the data in it was erased, corrected or restricted"
		}
		return &DiscloseAgainError{ID: d.ID, Service: d.Service(),
			Why: fmt.Sprintf("its content was %s on %s", how, d.BodyErasedAt.UTC().Format(time.RFC3339))}
	case !d.BodyHeld:
		return &DiscloseAgainError{ID: d.ID, Service: d.Service(), Why: "it holds no content"}
	case !now.Before(d.BodyDue(retention)):
		return &DiscloseAgainError{ID: d.ID, Service: d.Service(),
			Why: fmt.Sprintf("it was dead-lettered on %s, longer ago than the retention of %s",
				d.DeadLetteredAt.UTC().Format(time.RFC3339), FormatRetention(retention))}
	}
	return nil
}

// FormatRetention says a retention in days when it is whole days.
func FormatRetention(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		if days := d / (24 * time.Hour); days == 1 {
			return "1 day"
		} else {
			return fmt.Sprintf("%d days", days)
		}
	}
	return d.String()
}

// DiscloseAgainError refuses a retry whose content may no longer be sent: the source
// service must disclose again, which re-checks its notice, consent and restrictions.
type DiscloseAgainError struct {
	ID      string
	Service string
	Why     string
}

func (e *DiscloseAgainError) Error() string {
	source := "the source service"
	if e.Service != "" {
		source = "the " + e.Service + " service"
	}
	return fmt.Sprintf("dead letter %s cannot be retried: %s; ask %s to disclose again (it re-checks its privacy notice, consent and restrictions)",
		e.ID, e.Why, source)
}

// Unwrap makes it an ErrDiscloseAgain.
func (e *DiscloseAgainError) Unwrap() error { return ErrDiscloseAgain }

// WithdrawnReason is why a disclosure still being retried was set aside unposted.
func WithdrawnReason(notice string) string {
	return "withdrawn before delivery: Article 19 notice " + notice + " told the partner the data in it was erased, corrected or restricted"
}

// DeadLetterReason is the reason recorded after the last attempt.
func DeadLetterReason(attempts int, last Result) string {
	if last.Permanent() {
		tries := "attempts"
		if attempts == 1 {
			tries = "attempt"
		}
		return fmt.Sprintf("gave up after %d %s; last: %s, a refusal posting again cannot change", attempts, tries, last.Reason())
	}
	return fmt.Sprintf("gave up after %d attempts; last: %s", attempts, last.Reason())
}

// Errors the use cases return.
var (
	ErrNotFound       = errors.New("no dead letter with this id")
	ErrResolved       = errors.New("dead letter already resolved")
	ErrUnknownPartner = errors.New("partner is not configured for webhook delivery")
	ErrConflict       = errors.New("another attempt for this disclosure is in progress")
	ErrDiscloseAgain  = errors.New("the dead letter's content may no longer be sent: the source service must disclose again")
)

// Service is the council service whose disclosure this is: share.<partner>.<service>.<purpose>.
func (d DeadLetter) Service() string {
	parts := strings.SplitN(d.Subject, ".", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}
