package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/migrations"
	"casework.dev/pkg/audit"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

func newDB(t *testing.T) *sqlx.DB {
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	return db
}

func appendEntry(t *testing.T, db *sqlx.DB, chain, action string, detail map[string]any) {
	t.Helper()
	err := postgres.InTx(context.Background(), db, func(tx *sqlx.Tx) error {
		return audit.Append(context.Background(), tx, audit.Entry{Chain: chain, At: time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC),
			Actor: "officer-1", Action: action, Subject: chain, Detail: detail})
	})
	if err != nil {
		t.Errorf("append %s to %s: %v", action, chain, err) // Errorf: also called from goroutines
	}
}

func TestChainVerifiesAndRefusesEdits(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	appendEntry(t, db, "complaint:1", "complaint.logged", map[string]any{"stage": 1, "b": "x", "a": []any{1.5, "y"}})
	appendEntry(t, db, "complaint:1", "complaint.acknowledged", nil)
	appendEntry(t, db, "complaint:2", "complaint.logged", nil)

	recs, err := audit.Chain(ctx, db, "complaint:1")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Seq != 1 || recs[1].Seq != 2 || recs[1].Action != "complaint.acknowledged" {
		t.Fatalf("unexpected chain: %+v", recs)
	}
	if err := audit.Verify(ctx, db, "complaint:1"); err != nil {
		t.Fatalf("intact chain: %v", err)
	}

	for _, stmt := range []string{
		`UPDATE audit_log SET actor = 'mallory' WHERE chain = 'complaint:1' AND seq = 1`,
		`DELETE FROM audit_log WHERE chain = 'complaint:1' AND seq = 2`,
		`TRUNCATE audit_log`,
	} {
		_, err := db.Exec(stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: want refusal, got %v", stmt, err)
		}
	}
}

func TestVerifierFindsBrokenLink(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, a := range []string{"one", "two", "three"} {
		appendEntry(t, db, "complaint:9", a, map[string]any{"n": a})
	}
	// Someone with the power to drop triggers rewrites history.
	mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)
	mustExec(t, db, `UPDATE audit_log SET detail = '{"n":"TWO"}' WHERE chain = 'complaint:9' AND seq = 2`)
	mustExec(t, db, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`)

	err := audit.Verify(ctx, db, "complaint:9")
	var bl *audit.BrokenLinkError
	if !errors.As(err, &bl) || bl.Seq != 2 || bl.Reason != "content does not match its digest" {
		t.Fatalf("want broken link at seq 2, got %v", err)
	}

	broken, err := audit.VerifyAll(ctx, db)
	if err != nil || len(broken) != 1 || broken[0].Chain != "complaint:9" {
		t.Fatalf("VerifyAll: %v %v", broken, err)
	}
}

func TestVerifierFindsRemovedRow(t *testing.T) {
	db := newDB(t)
	for _, a := range []string{"one", "two", "three"} {
		appendEntry(t, db, "c", a, nil)
	}
	mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)
	mustExec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
	err := audit.Verify(context.Background(), db, "c")
	var bl *audit.BrokenLinkError
	if !errors.As(err, &bl) || !strings.Contains(bl.Reason, "head says 3 rows, 2 found") {
		t.Fatalf("want missing tail detected, got %v", err)
	}
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	db := newDB(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				appendEntry(t, db, "busy", "read", nil)
			}
		}()
	}
	wg.Wait()
	if err := audit.Verify(context.Background(), db, "busy"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM audit_log WHERE chain = 'busy'`); err != nil || n != 80 {
		t.Fatalf("want 80 rows, got %d (%v)", n, err)
	}
}

func mustExec(t *testing.T, db *sqlx.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestAppendStatementChainsLikeAppendAndHonoursItsGuard(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	appendEntry(t, db, "complaint:5", "complaint.logged", nil)
	for _, g := range []struct {
		guard string
		want  int
	}{{"true", 1}, {"false", 0}} {
		st := &postgres.Statement{}
		if err := audit.AppendStatement(st, g.guard, audit.Entry{Chain: "complaint:5", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
			Actor: "officer-2", Action: "complaint.acknowledged", Subject: "complaint:5", Detail: map[string]any{"on_time": true}}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := st.Get(ctx, db, &n, `SELECT count(*) FROM audit_head_1`); err != nil || n != g.want {
			t.Fatalf("guard %s: appended %d (%v), want %d", g.guard, n, err, g.want)
		}
	}
	if err := audit.Verify(ctx, db, "complaint:5"); err != nil {
		t.Fatal(err)
	}
	recs, _ := audit.Chain(ctx, db, "complaint:5")
	if len(recs) != 2 || recs[1].Actor != "officer-2" || string(recs[1].Detail) != `{"on_time": true}` {
		t.Fatalf("chain after statement append: %+v", recs)
	}
}

// Numbers and text that jsonb gives back spelled differently from Go must verify: the digest
// is over the RFC 8785 canonical form, a function of the values alone.
func TestDigestSurvivesJSONBRespelling(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	detail := map[string]any{
		"large":        1e21,
		"small":        1e-7,
		"largest_int":  int64(1) << 53,
		"negative":     -123456789012345,
		"max_double":   1.7976931348623157e308,
		"min_double":   5e-324,
		"exact_number": json.Number("1.50"),
		"unicode":      "café ☕ 𝄞 \u2028 <&> \"quoted\" \\ \t",
		"nested":       map[string]any{"z": []any{1, map[string]any{"b": 2.5, "a": nil}}, "a": true, "é": 1, "e": 2, "😀": 3},
		"empty":        map[string]any{"list": []any{}, "object": map[string]any{}},
	}
	appendEntry(t, db, "complaint:7", "complaint.logged", map[string]any{"stage": 1})
	appendEntry(t, db, "complaint:7", "numbers", detail)
	appendEntry(t, db, "complaint:7", "complaint.read", nil)
	if err := audit.Verify(ctx, db, "complaint:7"); err != nil {
		t.Fatalf("intact chain with respelled numbers: %v", err)
	}
	recs, err := audit.Chain(ctx, db, "complaint:7")
	if err != nil {
		t.Fatal(err)
	}
	stored := string(recs[1].Detail)
	for _, respelled := range []string{`"large": 1000000000000000000000`, `"small": 0.0000001`} {
		if !strings.Contains(stored, respelled) { // else this test would not exercise the respelling
			t.Fatalf("jsonb gave back %s, without %s", stored, respelled)
		}
	}

	tamper := func(t *testing.T, detail string) error {
		t.Helper()
		tx := db.MustBegin()
		defer func() { _ = tx.Rollback() }() // the next case starts from the intact chain
		for _, q := range []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`,
			`UPDATE audit_log SET detail = detail || '` + detail + `'::jsonb WHERE chain = 'complaint:7' AND seq = 2`} {
			if _, err := tx.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return audit.Verify(ctx, tx, "complaint:7")
	}
	tests := []struct{ name, detail, reason string }{
		{"a large number changed", `{"large": 1e22}`, "content does not match its digest"},
		{"a tiny number changed", `{"small": 0.00000011}`, "content does not match its digest"},
		{"an integer changed beyond double precision", `{"largest_int": 9007199254740993}`,
			"detail cannot be canonicalised: number 9007199254740993 is not exact as an IEEE double (RFC 7493); keep it as a string"},
		{"a nested value changed", `{"nested": {"z": [1, {"b": 2.5, "a": false}], "a": true, "é": 1, "e": 2, "😀": 3}}`,
			"content does not match its digest"},
		{"a character changed", `{"unicode": "cafe ☕ 𝄞 \u2028 <&> \"quoted\" \\ \t"}`, "content does not match its digest"},
		{"a key added", `{"extra": 0}`, "content does not match its digest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tamper(t, tc.detail)
			var bl *audit.BrokenLinkError
			if !errors.As(err, &bl) || bl.Seq != 2 || bl.Reason != tc.reason {
				t.Fatalf("want broken link at seq 2 (%s), got %v", tc.reason, err)
			}
		})
	}
	// The same values spelled another way are the same content.
	if err := tamper(t, `{"large": 1.0e21, "small": 1E-7, "exact_number": 15e-1}`); err != nil {
		t.Fatalf("respelling the same values: %v", err)
	}
}

// RFC 8785 spells numbers as IEEE doubles; a number that would be rounded could not be
// told from its neighbour by the digest, so it is refused and nothing is written.
func TestAppendRefusesNumbersTheDigestWouldRound(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, n := range []string{"9007199254740993", "1e400", "0.1000000000000000055511151231257827"} {
		err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error {
			return audit.Append(ctx, tx, audit.Entry{Chain: "c", At: time.Now(), Actor: "a", Action: "x", Subject: "c",
				Detail: map[string]any{"n": json.Number(n)}})
		})
		if err == nil || !strings.Contains(err.Error(), "is not exact as an IEEE double (RFC 7493); keep it as a string") {
			t.Errorf("%s: err = %v", n, err)
		}
		st := &postgres.Statement{}
		if err := audit.AppendStatement(st, "true", audit.Entry{Chain: "c", Detail: map[string]any{"n": json.Number(n)}}); err == nil {
			t.Errorf("%s: AppendStatement accepted it", n)
		}
	}
	if recs, err := audit.Chain(ctx, db, "c"); err != nil || len(recs) != 0 {
		t.Fatalf("refused entries were written: %v %v", recs, err)
	}
}

// A bulk import starts its cases' chains with COPY: the rows are those a first Append
// writes, the chains verify, and an ordinary Append continues each.
func TestChainsStartedByCopyAreThoseOfAppendAndContinue(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 30, 9, 0, 0, 123456789, time.UTC)
	entries := func(prefix string) []audit.Entry {
		var es []audit.Entry
		for i := range 3 {
			es = append(es, audit.Entry{Chain: fmt.Sprintf("%s:%d", prefix, i), At: at, Actor: "client-1", Action: "case.referred",
				Subject: fmt.Sprintf("case-%d", i), Detail: map[string]any{"client": "maidstone", "hold": i == 2, "fee_pence": 7500}})
		}
		return es
	}
	if err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error {
		for _, e := range entries("append") {
			if err := audit.Append(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error { return audit.StartChainsCopy(ctx, tx, entries("copy")) }); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		viaAppend, err := audit.Chain(ctx, db, fmt.Sprintf("append:%d", i))
		if err != nil {
			t.Fatal(err)
		}
		viaCopy, err := audit.Chain(ctx, db, fmt.Sprintf("copy:%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if len(viaAppend) != 1 || len(viaCopy) != 1 {
			t.Fatalf("chain %d: %d and %d records, want 1 each", i, len(viaAppend), len(viaCopy))
		}
		s, c := viaAppend[0], viaCopy[0]
		if !c.At.Equal(s.At) || c.Actor != s.Actor || c.Action != s.Action || c.Subject != s.Subject || string(c.Detail) != string(s.Detail) || c.Seq != 1 {
			t.Errorf("chain %d: copy wrote %+v, Append %+v", i, c, s)
		}
		appendEntry(t, db, fmt.Sprintf("copy:%d", i), "case.recalled", nil)
		if err := audit.Verify(ctx, db, fmt.Sprintf("copy:%d", i)); err != nil {
			t.Errorf("chain copy:%d: %v", i, err)
		}
	}
	var heads int
	if err := db.Get(&heads, `SELECT count(*) FROM audit_heads WHERE chain LIKE 'copy:%' AND seq = 2`); err != nil || heads != 3 {
		t.Fatalf("heads at seq 2: %d (%v), want 3", heads, err)
	}
	// A chain that exists already is not forked: the transaction fails.
	err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error { return audit.StartChainsCopy(ctx, tx, entries("copy")[:1]) })
	if !postgres.IsUniqueViolation(err, "") {
		t.Fatalf("restarting an existing chain: %v, want a unique violation", err)
	}
}
