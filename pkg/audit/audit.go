// Package audit appends to the hash-chained, append-only audit trail and verifies it.
//
// Each chain (one per case) is a sequence of rows where
//
//	hash[n] = sha256(hash[n-1] || content_digest[n]), hash[0] = empty
//
// and content_digest is sha256 over the row's own fields, with the detail in the RFC 8785
// canonical form (JSON Canonicalization Scheme), so the digest is a function of the values
// only and not of how Go or PostgreSQL's jsonb spells them (1e+21 or 1000000000000000000000).
// The digest carries its version as a leading byte (digestVersionJCS); a bare 32-byte digest
// is from before and is verified the way it was written. The head of each chain lives in
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
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
)

// Entry is one thing someone did to, or read of, a case. Detail must never hold personal
// data of the people in the case: ids, states and field names only. Its numbers must be
// I-JSON (RFC 7493): exact as IEEE doubles, so integers up to 2^53; Append refuses others,
// which belong in a string.
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
		digest, reason := recomputeDigest(r)
		if reason != "" {
			return &BrokenLinkError{chain, r.Seq, reason}
		}
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

// digestVersionJCS leads every content digest written since details are canonicalised
// with RFC 8785. A digest without it (sha256.Size bytes) is version 1: the detail as Go's
// encoding/json spelled it, which jsonb may spell differently on the way back.
const digestVersionJCS byte = 2

// recomputeDigest computes a stored row's content digest the way its version was written,
// or says why it cannot.
func recomputeDigest(r Record) (digest []byte, brokenReason string) {
	switch {
	case len(r.ContentDigest) == 1+sha256.Size && r.ContentDigest[0] == digestVersionJCS:
		detail, err := canonicalJSON(r.Detail)
		if err != nil {
			return nil, "detail cannot be canonicalised: " + err.Error()
		}
		return contentDigest(r.Chain, r.At, r.Actor, r.Action, r.Subject, detail), ""
	case len(r.ContentDigest) == sha256.Size:
		detail, err := legacyRecanonical(r.Detail)
		if err != nil {
			return nil, "detail is not valid JSON"
		}
		return digestOf(r.Chain, r.At, r.Actor, r.Action, r.Subject, detail), ""
	}
	return nil, "content digest of unknown version"
}

// contentDigest is the current (digestVersionJCS) digest over canonical detail.
func contentDigest(chain string, at time.Time, actor, action, subject string, canonicalDetail []byte) []byte {
	return append([]byte{digestVersionJCS}, digestOf(chain, at, actor, action, subject, canonicalDetail)...)
}

func digestOf(chain string, at time.Time, actor, action, subject string, detail []byte) []byte {
	h := sha256.New()
	var prefix []byte
	for _, part := range [][]byte{[]byte(chain), at.UTC().AppendFormat(nil, time.RFC3339Nano), []byte(actor), []byte(action), []byte(subject), detail} {
		prefix = append(strconv.AppendInt(prefix[:0], int64(len(part)), 10), ':') // length prefixes keep field boundaries unambiguous
		h.Write(prefix)
		h.Write(part)
	}
	return h.Sum(nil)
}

// canonicalDetail is the detail in RFC 8785 form, as stored and digested.
func canonicalDetail(d map[string]any) ([]byte, error) {
	if d == nil {
		d = map[string]any{}
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	if exactByType(d) {
		return transform(raw) // no number in it to refuse, so no need to scan the text for one
	}
	return canonicalJSON(raw)
}

// canonicalJSON is raw in the RFC 8785 JSON Canonicalization Scheme, refusing numbers that
// scheme would round: it spells numbers as IEEE doubles, so without the check a digest could
// not tell 9007199254740993 from 9007199254740992.
func canonicalJSON(raw []byte) ([]byte, error) {
	if err := checkExactNumbers(raw); err != nil {
		return nil, err
	}
	return transform(raw)
}

func transform(raw []byte) ([]byte, error) {
	out, err := jcs.Transform(raw)
	if err != nil {
		return nil, fmt.Errorf("canonicalise JSON: %w", err)
	}
	return out, nil
}

// maxExactInteger is 2^53: every integer up to it in magnitude is exact as an IEEE double.
const maxExactInteger = 1 << 53

// exactByType reports whether every number in v is exact as an IEEE double by its Go type
// alone (an integer within 2^53, or a float64, which JSON spells as the double it is), so
// the text need not be scanned: true for the strings, flags, counts and lists that details
// hold. Any other type (json.Number, a struct, a big uint64) answers false and is checked
// by its text.
func exactByType(v any) bool {
	switch v := v.(type) {
	case nil, string, bool, float64, []string:
		return true
	case int:
		return v >= -maxExactInteger && v <= maxExactInteger
	case int64:
		return v >= -maxExactInteger && v <= maxExactInteger
	case int32, int16, int8, uint8, uint16, uint32:
		return true
	case []any:
		for _, e := range v {
			if !exactByType(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range v {
			if !exactByType(e) {
				return false
			}
		}
		return true
	}
	return false
}

func checkExactNumbers(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse JSON: %w", err)
		}
		if n, ok := tok.(json.Number); ok && !exactAsDouble(string(n)) {
			return fmt.Errorf("number %.40s is not exact as an IEEE double (RFC 7493); keep it as a string", n)
		}
	}
}

// exactAsDouble reports whether the JSON number n has the same value as its RFC 8785
// spelling (the shortest text that reads back as the nearest double).
func exactAsDouble(n string) bool {
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return false // beyond the double range
	}
	spelled, err := jcs.NumberToJSON(f)
	if err != nil {
		return false
	}
	want, ok := decimalValue(n)
	got, ok2 := decimalValue(spelled)
	return ok && ok2 && want == got
}

// decimalValue normalises a JSON number to sign, significant digits and a power of ten, so
// two spellings of one value compare equal ("1e+21", "1000000000000000000000"; "1.50",
// "15e-1") without big-number arithmetic on an adversarial exponent.
func decimalValue(n string) (string, bool) {
	mantissa, exp := n, 0
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		e, err := strconv.Atoi(n[i+1:])
		if err != nil {
			return "", false
		}
		mantissa, exp = n[:i], e
	}
	sign := ""
	if strings.HasPrefix(mantissa, "-") {
		sign, mantissa = "-", mantissa[1:]
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	exp -= len(frac)
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	if trimmed == "" {
		return "0", true // -0 and 0 are one value
	}
	return sign + trimmed + "e" + strconv.Itoa(exp), true
}

// legacyRecanonical re-encodes JSON as version 1 digests did: Go's sorted keys and the
// numbers spelled as read.
func legacyRecanonical(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}
