package audit

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
)

// StartChainsCopy starts one new chain per entry inside tx, each with that entry as its
// first link, with COPY: for imports of thousands of cases. The rows are the ones a first
// Append would write; an existing chain makes the commit fail rather than fork it.
func StartChainsCopy(ctx context.Context, tx *sqlx.Tx, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	links, err := firstLinks(entries)
	if err != nil {
		return err
	}
	if err := postgres.CopyRows(ctx, tx, "audit_heads", []string{"chain", "seq", "hash"}, len(links), func(i int) []any {
		return []any{links[i].Chain, 1, links[i].Hash}
	}); err != nil {
		return err
	}
	return postgres.CopyRows(ctx, tx, "audit_log", []string{"chain", "seq", "at", "actor", "action", "subject", "detail", "content_digest", "hash"},
		len(links), func(i int) []any {
			l := links[i]
			return []any{l.Chain, 1, l.At, l.Actor, l.Action, l.Subject, string(l.Detail), l.ContentDigest, l.Hash}
		})
}

// firstLinks are the records that start one new chain per entry: sequence 1, the content
// digest, and a hash of the digest alone, as the first Append to a chain writes.
func firstLinks(entries []Entry) ([]Record, error) {
	links := make([]Record, len(entries))
	seen := make(map[string]bool, len(entries))
	// The entries of one import mostly share a detail (its ids are in the subject, not the
	// detail), so each different detail is canonicalised once.
	canonical := map[string][]byte{}
	for i, e := range entries {
		if seen[e.Chain] {
			return nil, fmt.Errorf("audit: chain %s started twice in one import", e.Chain)
		}
		seen[e.Chain] = true
		e.At = e.At.UTC().Truncate(time.Microsecond)
		raw, err := json.Marshal(e.Detail)
		if err != nil {
			return nil, fmt.Errorf("audit detail: %w", err)
		}
		detail, ok := canonical[string(raw)]
		if !ok {
			if detail, err = canonicalDetail(e.Detail); err != nil {
				return nil, fmt.Errorf("audit detail: %w", err)
			}
			canonical[string(raw)] = detail
		}
		digest := contentDigest(e.Chain, e.At, e.Actor, e.Action, e.Subject, detail)
		hash := sha256.Sum256(digest)
		links[i] = Record{Chain: e.Chain, Seq: 1, At: e.At, Actor: e.Actor, Action: e.Action, Subject: e.Subject, Detail: detail,
			ContentDigest: digest, Hash: hash[:]}
	}
	return links, nil
}
