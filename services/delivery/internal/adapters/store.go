package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/postgres"
	"casework.dev/services/delivery/internal/app"
	"casework.dev/services/delivery/internal/domain"
)

// Store is the Postgres attempt log and dead-letter list.
type Store struct{ db *sqlx.DB }

// NewStore wraps an open database migrated with the delivery migrations.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

var _ app.Store = (*Store)(nil)

// Delivered reports whether a 2xx attempt is recorded.
func (s *Store) Delivered(ctx context.Context, partner, disclosureID string) (bool, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM delivery_attempts
		WHERE partner = $1 AND disclosure_id = $2 AND status_code BETWEEN 200 AND 299)`, partner, disclosureID)
	if err != nil {
		return false, fmt.Errorf("look up delivery of %s to %s: %w", disclosureID, partner, err)
	}
	return ok, nil
}

// DeadLettered reports whether the disclosure has a dead letter, in any state.
func (s *Store) DeadLettered(ctx context.Context, partner, disclosureID string) (bool, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM dead_letters WHERE partner = $1 AND disclosure_id = $2)`,
		partner, disclosureID)
	if err != nil {
		return false, fmt.Errorf("look up dead letter of %s to %s: %w", disclosureID, partner, err)
	}
	return ok, nil
}

// Attempts counts recorded attempts.
func (s *Store) Attempts(ctx context.Context, partner, disclosureID string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM delivery_attempts WHERE partner = $1 AND disclosure_id = $2`, partner, disclosureID)
	if err != nil {
		return 0, fmt.Errorf("count attempts of %s to %s: %w", disclosureID, partner, err)
	}
	return n, nil
}

const insertAttempt = `INSERT INTO delivery_attempts
	(disclosure_id, partner, attempt, subject, url, status_code, error, duration_ms, triggered_by, attempted_at)
	VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0), NULLIF($7, ''), $8, $9, $10)`

func attemptArgs(a domain.Attempt) []any {
	return []any{a.DisclosureID, a.Partner, a.Number, a.Subject, a.URL, a.StatusCode, a.Error, a.DurationMS, a.TriggeredBy, a.AttemptedAt}
}

// RecordAttempt logs one attempt.
func (s *Store) RecordAttempt(ctx context.Context, a domain.Attempt) error {
	_, err := s.db.ExecContext(ctx, insertAttempt, attemptArgs(a)...)
	return attemptError(a, err)
}

// RecordLastAttempt logs the last attempt and dead-letters the disclosure in one statement,
// so neither exists without the other.
func (s *Store) RecordLastAttempt(ctx context.Context, a domain.Attempt, dl domain.DeadLetter) error {
	args := append(attemptArgs(a), dl.ID, dl.Body, dl.Reason, dl.Attempts, dl.DeadLetteredAt)
	_, err := s.db.ExecContext(ctx, `WITH logged AS (`+insertAttempt+` RETURNING disclosure_id, partner, subject)
		INSERT INTO dead_letters (id, disclosure_id, partner, subject, body, reason, attempts, dead_lettered_at)
		SELECT $11, disclosure_id, partner, subject, $12, $13, $14, $15 FROM logged`, args...)
	return attemptError(a, err)
}

// openRow is the guard of every change a manager or the sweep makes: the dead letter is
// still open (not resolved, its body not erased). Each change is one conditional UPDATE on
// the row, so of two racing changes exactly one applies and the other sees what it did.
const openRow = `resolved_at IS NULL AND body_erased_at IS NULL`

// freeRow: no manual retry holds the row, or its claim is older than $claimsBefore (the
// placeholder is the caller's).
func freeRow(claimsBefore string) string {
	return `(retry_claimed_at IS NULL OR retry_claimed_at < ` + claimsBefore + `)`
}

// RecordRetry logs a manual attempt and updates the dead letter in one transaction. The
// attempt is logged whatever became of the claim: it was made.
func (s *Store) RecordRetry(ctx context.Context, a domain.Attempt, deadLetterID string, claim app.Claim, delivered bool, reason string) (domain.DeadLetter, error) {
	err := postgres.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, insertAttempt, attemptArgs(a)...); err != nil {
			return attemptError(a, err)
		}
		var err error
		if delivered {
			// Delivered: resolved and the body erased, recorded as delivered. The claim keeps
			// discard and sweep away while it holds; should it have lapsed and lost the body to
			// them, the delivery is a fact all the same and their erasure record stays.
			_, err = tx.ExecContext(ctx, `UPDATE dead_letters SET resolved_at = $2, resolved_by = $3, body = NULL,
				body_erased_at = COALESCE(body_erased_at, $2), body_erased_by = COALESCE(body_erased_by, $3),
				body_erasure = COALESCE(body_erasure, 'delivered'),
				attempts = GREATEST(attempts, $4), retry_claimed_at = NULL, retry_claimed_by = NULL
				WHERE id = $1 AND resolved_at IS NULL`,
				deadLetterID, a.AttemptedAt, a.TriggeredBy, a.Number)
		} else {
			// Failed: the new reason for a dead letter still open under this claim; one taken
			// from a lapsed claim belongs to whoever took it.
			_, err = tx.ExecContext(ctx, `UPDATE dead_letters SET reason = $2, attempts = GREATEST(attempts, $3),
				retry_claimed_at = NULL, retry_claimed_by = NULL
				WHERE id = $1 AND `+openRow+` AND retry_claimed_by = $4 AND retry_claimed_at = $5`,
				deadLetterID, reason, a.Number, claim.By, claim.At)
		}
		if err != nil {
			return fmt.Errorf("update dead letter %s: %w", deadLetterID, err)
		}
		return nil
	})
	if err != nil {
		return domain.DeadLetter{}, err
	}
	return s.DeadLetter(ctx, deadLetterID)
}

// ClaimRetry reserves an open dead letter for one manual retry, if it still holds a body
// kept since after heldAfter and no live claim holds it, and returns the claim and body.
func (s *Store) ClaimRetry(ctx context.Context, deadLetterID, by string, now time.Time, lease time.Duration, heldAfter time.Time) (app.Claim, bool, error) {
	var row struct {
		At   time.Time `db:"retry_claimed_at"`
		Body []byte    `db:"body"`
	}
	err := s.db.GetContext(ctx, &row, `UPDATE dead_letters SET retry_claimed_at = $2, retry_claimed_by = $3
		WHERE id = $1 AND `+openRow+` AND `+freeRow("$4")+`
		  AND body IS NOT NULL AND dead_lettered_at > $5
		RETURNING retry_claimed_at, body`,
		deadLetterID, now, by, now.Add(-lease), heldAfter)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Claim{}, false, nil
	}
	if err != nil {
		return app.Claim{}, false, fmt.Errorf("claim dead letter %s: %w", deadLetterID, err)
	}
	return app.Claim{By: by, At: row.At, Body: row.Body}, true, nil
}

// ReleaseRetry clears claim if the dead letter is still held by it (same manager, same
// instant as stored); a claim taken by anyone since is left alone.
func (s *Store) ReleaseRetry(ctx context.Context, deadLetterID string, claim app.Claim) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE dead_letters SET retry_claimed_at = NULL, retry_claimed_by = NULL
		WHERE id = $1 AND retry_claimed_by = $2 AND retry_claimed_at = $3`, deadLetterID, claim.By, claim.At)
	if err != nil {
		return false, fmt.Errorf("release retry claim on dead letter %s: %w", deadLetterID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("release retry claim on dead letter %s: %w", deadLetterID, err)
	}
	return n == 1, nil
}

// DiscardBody erases the body of an open dead letter no live retry holds, now; false when
// it is not open or held.
func (s *Store) DiscardBody(ctx context.Context, deadLetterID, by string, at, claimsBefore time.Time) (domain.DeadLetter, bool, error) {
	var row deadLetterRow
	err := s.db.GetContext(ctx, &row, `UPDATE dead_letters SET body = NULL, body_erased_at = $2, body_erased_by = $3,
		body_erasure = 'discarded', retry_claimed_at = NULL, retry_claimed_by = NULL
		WHERE id::text = $1 AND `+openRow+` AND `+freeRow("$4")+`
		RETURNING `+deadLetterColumns+`, NULL::bytea AS body`, deadLetterID, at, by, claimsBefore)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.DeadLetter(ctx, deadLetterID); err != nil {
			return domain.DeadLetter{}, false, err // ErrNotFound
		}
		return domain.DeadLetter{}, false, nil
	}
	if err != nil {
		return domain.DeadLetter{}, false, fmt.Errorf("discard dead letter %s: %w", deadLetterID, err)
	}
	return row.domain(), true, nil
}

// MarkStale records the stale disclosure and erases its open, unclaimed dead letter's body,
// in one transaction.
func (s *Store) MarkStale(ctx context.Context, partner, disclosureID, noticeID string, at, claimsBefore time.Time) error {
	err := postgres.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stale_disclosures (partner, disclosure_id, notice_id, noticed_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (partner, disclosure_id) DO NOTHING`, partner, disclosureID, noticeID, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE dead_letters SET body = NULL, body_erased_at = $3, body_erased_by = $4,
			body_erasure = 'article19', retry_claimed_at = NULL, retry_claimed_by = NULL
			WHERE partner = $1 AND disclosure_id = $2 AND `+openRow+` AND `+freeRow("$5"),
			partner, disclosureID, at, domain.Article19Eraser+noticeID, claimsBefore)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark %s to %s stale: %w", disclosureID, partner, err)
	}
	return nil
}

// StaleNotice reads the notice that made the partner's disclosure stale, if one did.
func (s *Store) StaleNotice(ctx context.Context, partner, disclosureID string) (string, bool, error) {
	var notice string
	err := s.db.GetContext(ctx, &notice, `SELECT notice_id FROM stale_disclosures WHERE partner = $1 AND disclosure_id = $2`,
		partner, disclosureID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("is %s to %s stale: %w", disclosureID, partner, err)
	}
	return notice, true, nil
}

// Withdraw inserts the dead letter of a stale disclosure with no body, recorded as erased.
func (s *Store) Withdraw(ctx context.Context, dl domain.DeadLetter, by string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO dead_letters (id, disclosure_id, partner, subject, body, reason, attempts,
			dead_lettered_at, body_erased_at, body_erased_by, body_erasure)
		VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $7, $8, 'article19') ON CONFLICT (partner, disclosure_id) DO NOTHING`,
		dl.ID, dl.DisclosureID, dl.Partner, dl.Subject, dl.Reason, dl.Attempts, dl.DeadLetteredAt, by)
	if err != nil {
		return fmt.Errorf("withdraw %s to %s: %w", dl.DisclosureID, dl.Partner, err)
	}
	return nil
}

// EraseExpiredBodies erases the oldest bodies of open dead letters kept since cutoff or
// before, at most batch; rows another transaction holds, and those a live retry claims, are
// left for the next run.
func (s *Store) EraseExpiredBodies(ctx context.Context, cutoff, at, claimsBefore time.Time, batch int) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE dead_letters SET body = NULL, body_erased_at = $2, body_erased_by = $3,
		body_erasure = 'retention', retry_claimed_at = NULL, retry_claimed_by = NULL
		WHERE id IN (SELECT id FROM dead_letters
			WHERE body IS NOT NULL AND dead_lettered_at <= $1 AND `+openRow+` AND `+freeRow("$5")+`
			ORDER BY dead_lettered_at LIMIT $4 FOR UPDATE SKIP LOCKED)
		  AND `+openRow+` AND `+freeRow("$5"),
		cutoff, at, domain.RetentionSweeper, batch, claimsBefore)
	if err != nil {
		return 0, fmt.Errorf("erase dead letter bodies past retention: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func attemptError(a domain.Attempt, err error) error {
	switch {
	case err == nil:
		return nil
	case postgres.IsUniqueViolation(err, ""):
		return fmt.Errorf("attempt %d of %s to %s: %w", a.Number, a.DisclosureID, a.Partner, domain.ErrConflict)
	default:
		return fmt.Errorf("record attempt %d of %s to %s: %w", a.Number, a.DisclosureID, a.Partner, err)
	}
}

type deadLetterRow struct {
	ID             string         `db:"id"`
	DisclosureID   string         `db:"disclosure_id"`
	Partner        string         `db:"partner"`
	Subject        string         `db:"subject"`
	Body           []byte         `db:"body"`
	Reason         string         `db:"reason"`
	Attempts       int            `db:"attempts"`
	DeadLetteredAt time.Time      `db:"dead_lettered_at"`
	ResolvedAt     sql.NullTime   `db:"resolved_at"`
	ResolvedBy     sql.NullString `db:"resolved_by"`
	BodyHeld       bool           `db:"body_held"`
	BodyErasedAt   sql.NullTime   `db:"body_erased_at"`
	BodyErasedBy   sql.NullString `db:"body_erased_by"`
	BodyErasure    sql.NullString `db:"body_erasure"`
	RetryClaimedAt sql.NullTime   `db:"retry_claimed_at"`
	RetryClaimedBy sql.NullString `db:"retry_claimed_by"`
}

// deadLetterColumns are a row's columns but the body, which each query chooses.
const deadLetterColumns = `id, disclosure_id, partner, subject, reason, attempts, dead_lettered_at, resolved_at,
	resolved_by, body IS NOT NULL AS body_held, body_erased_at, body_erased_by, body_erasure, retry_claimed_at, retry_claimed_by`

func (r deadLetterRow) domain() domain.DeadLetter {
	dl := domain.DeadLetter{ID: r.ID, DisclosureID: r.DisclosureID, Partner: r.Partner, Subject: r.Subject, Body: r.Body,
		Reason: r.Reason, Attempts: r.Attempts, DeadLetteredAt: r.DeadLetteredAt.UTC(), ResolvedBy: r.ResolvedBy.String}
	if r.ResolvedAt.Valid {
		t := r.ResolvedAt.Time.UTC()
		dl.ResolvedAt = &t
	}
	dl.BodyHeld, dl.BodyErasedBy, dl.BodyErasure = r.BodyHeld, r.BodyErasedBy.String, r.BodyErasure.String
	if r.BodyErasedAt.Valid {
		t := r.BodyErasedAt.Time.UTC()
		dl.BodyErasedAt = &t
	}
	if r.RetryClaimedAt.Valid {
		t := r.RetryClaimedAt.Time.UTC()
		dl.RetryClaimedAt, dl.RetryClaimedBy = &t, r.RetryClaimedBy.String
	}
	return dl
}

// DeadLetter reads one dead letter with its body.
func (s *Store) DeadLetter(ctx context.Context, id string) (domain.DeadLetter, error) {
	var row deadLetterRow
	err := s.db.GetContext(ctx, &row, `SELECT `+deadLetterColumns+`, body FROM dead_letters WHERE id::text = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.DeadLetter{}, domain.ErrNotFound
	}
	if err != nil {
		return domain.DeadLetter{}, fmt.Errorf("read dead letter %s: %w", id, err)
	}
	return row.domain(), nil
}

// stateAt is a dead letter's state (domain.DeadLetter.StateAt) in SQL, with $n the first
// instant of the retention that has run out (an open dead letter dead-lettered at or
// before it is expired).
func stateAt(n string) string {
	return `CASE WHEN resolved_at IS NOT NULL OR body_erasure = 'delivered' THEN 'redelivered'
		WHEN body_erasure = 'retention' THEN 'expired'
		WHEN body_erased_at IS NOT NULL THEN 'discarded'
		WHEN dead_lettered_at <= ` + n + ` THEN 'expired'
		ELSE 'open' END`
}

// DeadLetters lists dead letters in the filter's states, newest first, without bodies.
func (s *Store) DeadLetters(ctx context.Context, f app.Filter) ([]domain.DeadLetter, error) {
	var rows []deadLetterRow
	var states any
	if f.States != nil {
		states = pq.Array(f.States)
	}
	err := s.db.SelectContext(ctx, &rows, `SELECT `+deadLetterColumns+`, NULL::bytea AS body FROM dead_letters
		WHERE ($1 = '' OR partner = $1) AND ($2::text[] IS NULL OR `+stateAt("$5")+` = ANY($2))
		  AND ($4::text[] IS NULL OR split_part(subject, '.', 3) = ANY($4))
		ORDER BY dead_lettered_at DESC, id LIMIT $3`, f.Partner, states, f.Limit, servicesArg(f.Services), f.ExpiredFrom)
	if err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	out := make([]domain.DeadLetter, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// servicesArg is NULL (every service) for a nil list; share subjects name the service third:
// share.<partner>.<service>.<purpose>.
func servicesArg(services []string) any {
	if services == nil {
		return nil
	}
	return pq.Array(services)
}
