// Package audit appends to the hash-chained, append-only audit trail and verifies it.
//
// Each chain (one per case) is a sequence of rows where
//
//	hash[n] = sha256(hash[n-1] || content_digest[n]), hash[0] = empty
//
// and content_digest is sha256 over the row's own fields. The head of each chain lives in
// audit_heads, so appending is one statement that locks only that chain's head. The
// database refuses UPDATE, DELETE and TRUNCATE on audit_log.
package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
)

// Entry is one thing someone did to, or read of, a case. Detail must never hold personal
// data of the people in the case: ids, states and field names only.
type Entry struct {
	Chain   string
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Detail  map[string]any
}

// Record is an entry as stored.
type Record struct {
	ID            int64     `db:"id"`
	Chain         string    `db:"chain"`
	Seq           int64     `db:"seq"`
	At            time.Time `db:"at"`
	Actor         string    `db:"actor"`
	Action        string    `db:"action"`
	Subject       string    `db:"subject"`
	Detail        []byte    `db:"detail"`
	ContentDigest []byte    `db:"content_digest"`
	Hash          []byte    `db:"hash"`
}

const appendSQL = `
WITH head AS (
    INSERT INTO audit_heads AS h (chain, seq, hash) VALUES ($1, 1, sha256($2::bytea))
    ON CONFLICT (chain) DO UPDATE SET seq = h.seq + 1, hash = sha256(h.hash || $2::bytea)
    RETURNING seq, hash
)
INSERT INTO audit_log (chain, seq, at, actor, action, subject, detail, content_digest, hash)
SELECT $1, head.seq, $3, $4, $5, $6, $7, $2, head.hash FROM head`

// Append writes the entry inside the caller's transaction.
func Append(ctx context.Context, tx *sqlx.Tx, e Entry) error {
	e.At = e.At.UTC().Truncate(time.Microsecond) // what PostgreSQL stores
	detail, err := canonicalDetail(e.Detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	digest := contentDigest(e.Chain, e.At, e.Actor, e.Action, e.Subject, detail)
	if _, err := tx.ExecContext(ctx, appendSQL, e.Chain, digest, e.At, e.Actor, e.Action, e.Subject, detail); err != nil {
		return fmt.Errorf("append audit %s %s: %w", e.Action, e.Chain, err)
	}
	return nil
}

// AppendStatement adds to st the CTEs that append e when guard (a SQL boolean) holds: the
// single-statement twin of Append. One statement may append to a chain only once.
func AppendStatement(st *postgres.Statement, guard string, e Entry) error {
	e.At = e.At.UTC().Truncate(time.Microsecond)
	detail, err := canonicalDetail(e.Detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	digest := st.Arg(contentDigest(e.Chain, e.At, e.Actor, e.Action, e.Subject, detail))
	chain := st.Arg(e.Chain)
	head := st.Name("audit_head")
	st.With(head, `INSERT INTO audit_heads AS h (chain, seq, hash) SELECT `+chain+`, 1, sha256(`+digest+`::bytea) WHERE `+guard+`
		ON CONFLICT (chain) DO UPDATE SET seq = h.seq + 1, hash = sha256(h.hash || `+digest+`::bytea)
		RETURNING seq, hash`)
	st.With(st.Name("audit_log"), `INSERT INTO audit_log (chain, seq, at, actor, action, subject, detail, content_digest, hash)
		SELECT `+chain+`, seq, `+st.Arg(e.At)+`, `+st.Arg(e.Actor)+`, `+st.Arg(e.Action)+`, `+st.Arg(e.Subject)+`, `+
		st.Arg(detail)+`::jsonb, `+digest+`::bytea, hash FROM `+head)
	return nil
}

// Chain returns one chain's records in order.
func Chain(ctx context.Context, q sqlx.QueryerContext, chain string) ([]Record, error) {
	var recs []Record
	err := sqlx.SelectContext(ctx, q, &recs, `SELECT id, chain, seq, at, actor, action, subject, detail, content_digest, hash
		FROM audit_log WHERE chain = $1 ORDER BY seq`, chain)
	if err != nil {
		return nil, fmt.Errorf("read audit chain %s: %w", chain, err)
	}
	return recs, nil
}

// BrokenLinkError says where a chain stops being trustworthy.
type BrokenLinkError struct {
	Chain  string
	Seq    int64
	Reason string
}

func (e *BrokenLinkError) Error() string {
	return fmt.Sprintf("audit chain %s broken at seq %d: %s", e.Chain, e.Seq, e.Reason)
}

// Verify recomputes every digest and link of a chain and checks it ends at the recorded
// head. It returns a *BrokenLinkError for the first inconsistency.
func Verify(ctx context.Context, q sqlx.QueryerContext, chain string) error {
	// The head is read first: rows appended after it (seq beyond it) are left for the next
	// verification, so a live system is never reported broken.
	var head struct {
		Seq  int64  `db:"seq"`
		Hash []byte `db:"hash"`
	}
	err := sqlx.GetContext(ctx, q, &head, `SELECT seq, hash FROM audit_heads WHERE chain = $1`, chain)
	noHead := errors.Is(err, sql.ErrNoRows)
	if err != nil && !noHead {
		return fmt.Errorf("read audit head %s: %w", chain, err)
	}
	all, err := Chain(ctx, q, chain)
	if err != nil {
		return err
	}
	if noHead {
		if len(all) > 0 {
			return &BrokenLinkError{chain, int64(len(all)), "chain head is missing"}
		}
		return nil // an empty chain with no head is consistent
	}
	var recs []Record
	for _, r := range all {
		if r.Seq <= head.Seq {
			recs = append(recs, r)
		}
	}
	prev := []byte{}
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			return &BrokenLinkError{chain, int64(i + 1), fmt.Sprintf("row %d missing (found seq %d)", i+1, r.Seq)}
		}
		detail, err := recanonical(r.Detail)
		if err != nil {
			return &BrokenLinkError{chain, r.Seq, "detail is not valid JSON"}
		}
		digest := contentDigest(r.Chain, r.At, r.Actor, r.Action, r.Subject, detail)
		if !bytes.Equal(digest, r.ContentDigest) {
			return &BrokenLinkError{chain, r.Seq, "content does not match its digest"}
		}
		want := sha256.Sum256(append(append([]byte{}, prev...), digest...))
		if !bytes.Equal(want[:], r.Hash) {
			return &BrokenLinkError{chain, r.Seq, "hash does not follow from the previous row"}
		}
		prev = r.Hash
	}
	if head.Seq != int64(len(recs)) || !bytes.Equal(head.Hash, prev) {
		return &BrokenLinkError{chain, head.Seq, fmt.Sprintf("head says %d rows, %d found", head.Seq, len(recs))}
	}
	return nil
}

// VerifyAll verifies every chain and returns the broken ones.
func VerifyAll(ctx context.Context, q sqlx.QueryerContext) ([]*BrokenLinkError, error) {
	var chains []string
	if err := sqlx.SelectContext(ctx, q, &chains, `SELECT chain FROM audit_heads ORDER BY chain`); err != nil {
		return nil, fmt.Errorf("list audit chains: %w", err)
	}
	var broken []*BrokenLinkError
	for _, c := range chains {
		err := Verify(ctx, q, c)
		if bl, ok := err.(*BrokenLinkError); ok {
			broken = append(broken, bl)
		} else if err != nil {
			return nil, err
		}
	}
	return broken, nil
}

func contentDigest(chain string, at time.Time, actor, action, subject string, detail []byte) []byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(chain), []byte(at.UTC().Format(time.RFC3339Nano)), []byte(actor), []byte(action), []byte(subject), detail} {
		fmt.Fprintf(h, "%d:", len(part)) // length prefixes keep field boundaries unambiguous
		h.Write(part)
	}
	return h.Sum(nil)
}

// canonicalDetail marshals with sorted keys (encoding/json sorts map keys).
func canonicalDetail(d map[string]any) ([]byte, error) {
	if d == nil {
		d = map[string]any{}
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return recanonical(raw)
}

// recanonical re-encodes JSON as PostgreSQL's jsonb would give it back to us, with sorted
// keys, so the digest computed on write equals the one recomputed on read.
func recanonical(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}
