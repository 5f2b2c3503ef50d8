package audit

import (
	"fmt"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/postgres"
)

// StartChainsStatement adds to st two CTEs that start one new chain per entry, each with
// that entry as its first link, when guard holds: a bulk import writes a thousand cases'
// first audit rows in one statement instead of two CTEs each. Every entry's chain must be
// new and distinct; an existing chain makes the statement fail rather than fork it.
func StartChainsStatement(st *postgres.Statement, guard string, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	chains, actors, actions, subjects, details := make([]string, len(entries)), make([]string, len(entries)),
		make([]string, len(entries)), make([]string, len(entries)), make([]string, len(entries))
	ats := make([]string, len(entries))
	digests := make(pq.ByteaArray, len(entries))
	seen := make(map[string]bool, len(entries))
	for i, e := range entries {
		if seen[e.Chain] {
			return fmt.Errorf("audit: chain %s started twice in one statement", e.Chain)
		}
		seen[e.Chain] = true
		e.At = e.At.UTC().Truncate(time.Microsecond)
		detail, err := canonicalDetail(e.Detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		chains[i], ats[i], actors[i], actions[i], subjects[i], details[i] = e.Chain, e.At.Format(time.RFC3339Nano), e.Actor, e.Action, e.Subject, string(detail)
		digests[i] = contentDigest(e.Chain, e.At, e.Actor, e.Action, e.Subject, detail)
	}
	rows := `unnest(` + st.Arg(pq.Array(chains)) + `::text[], ` + st.Arg(digests) + `::bytea[], ` + st.Arg(pq.Array(ats)) + `::timestamptz[], ` +
		st.Arg(pq.Array(actors)) + `::text[], ` + st.Arg(pq.Array(actions)) + `::text[], ` + st.Arg(pq.Array(subjects)) + `::text[], ` +
		st.Arg(pq.Array(details)) + `::jsonb[]) AS e(chain, digest, at, actor, action, subject, detail)`
	st.With(st.Name("audit_heads"), `INSERT INTO audit_heads (chain, seq, hash) SELECT chain, 1, sha256(digest) FROM `+rows+` WHERE `+guard)
	st.With(st.Name("audit_log"), `INSERT INTO audit_log (chain, seq, at, actor, action, subject, detail, content_digest, hash)
		SELECT chain, 1, at, actor, action, subject, detail, digest, sha256(digest) FROM `+rows+` WHERE `+guard)
	return nil
}
