package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/migrations"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

// Rows written before digests were canonical (version 1: a bare sha256 over Go's spelling)
// still verify as written, and the chain goes on with version 2 rows after them.
func TestVersion1DigestsStillVerify(t *testing.T) {
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	ctx := context.Background()
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	appendV1 := func(action string, detail []byte) {
		t.Helper()
		digest := digestOf("complaint:1", at, "officer-1", action, "complaint:1", detail)
		err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error {
			_, err := tx.ExecContext(ctx, appendSQL, "complaint:1", digest, at, "officer-1", action, "complaint:1", detail)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	appendV1("complaint.logged", []byte(`{"stage":1}`))
	appendV1("complaint.read", []byte(`{}`))
	err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error {
		return Append(ctx, tx, Entry{Chain: "complaint:1", At: at, Actor: "officer-1", Action: "complaint.acknowledged",
			Subject: "complaint:1", Detail: map[string]any{"on_time": true, "n": 1e21}})
	})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Chain(ctx, db, "complaint:1")
	if err != nil || len(recs) != 3 || len(recs[0].ContentDigest) != 32 || len(recs[2].ContentDigest) != 33 || recs[2].ContentDigest[0] != 2 {
		t.Fatalf("chain %+v (%v)", recs, err)
	}
	if err := Verify(ctx, db, "complaint:1"); err != nil {
		t.Fatalf("mixed chain: %v", err)
	}

	for _, q := range []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET detail = '{"stage": 2}' WHERE chain = 'complaint:1' AND seq = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var bl *BrokenLinkError
	if err := Verify(ctx, db, "complaint:1"); !errors.As(err, &bl) || bl.Seq != 1 || bl.Reason != "content does not match its digest" {
		t.Fatalf("tampered version 1 row: %v", err)
	}
}

// The example of RFC 8785 section 3.2.2, less its one number that is not exact as a double
// (333333333.33333329), which the audit refuses rather than rounds.
func TestCanonicalJSONFollowsRFC8785(t *testing.T) {
	in := `{
  "numbers": [1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`
	want := `{"literals":[null,true,false],"numbers":[1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
	got, err := canonicalJSON([]byte(in))
	if err != nil || string(got) != want {
		t.Fatalf("canonicalJSON = %s (%v)\nwant             %s", got, err, want)
	}
	if _, err := canonicalJSON([]byte(`[333333333.33333329]`)); err == nil || !strings.Contains(err.Error(), "333333333.33333329 is not exact") {
		t.Fatalf("a number RFC 8785 would round: %v", err)
	}
	if _, err := canonicalJSON([]byte(`{"a": 1, "a": 2}`)); err == nil {
		t.Fatal("duplicate keys were accepted")
	}
}

func TestDecimalValueComparesSpellings(t *testing.T) {
	same := [][]string{
		{"1e21", "1e+21", "1000000000000000000000", "1.0e21", "10e20"},
		{"1e-7", "0.0000001", "1E-7", "0.00000010"},
		{"0", "-0", "0.0", "0e10"},
		{"-1.5", "-15e-1", "-1.50"},
	}
	for _, group := range same {
		first, _ := decimalValue(group[0])
		for _, n := range group[1:] {
			if got, ok := decimalValue(n); !ok || got != first {
				t.Errorf("decimalValue(%s) = %s, want %s like %s", n, got, first, group[0])
			}
		}
	}
	e21, _ := decimalValue("1e21")
	if e22, _ := decimalValue("1e22"); e21 == e22 {
		t.Error("1e21 and 1e22 compare equal")
	}
	if _, ok := decimalValue("1e99999999999999999999"); ok {
		t.Error("an exponent beyond int was accepted")
	}
}

// canonicalDetail skips the scan for inexact numbers when the detail's Go types cannot hold
// one: it must give the same text as the scanned path, and still refuse what that refuses.
func TestCanonicalDetailSkipsTheScanOnlyForExactTypes(t *testing.T) {
	exact := []map[string]any{
		nil, {}, {"recipient": "kent-police", "categories": []string{"name", "address"}, "on_time": true, "none": nil},
		{"enquiry": 3, "documents": int64(1 << 53), "min": -(1 << 53), "ratio": 0.1, "small": int32(-7), "byte": uint8(200)},
		{"moved": []any{map[string]any{"kind": "respond", "days": 10}, "x<y&z", "\u2028"}},
	}
	for _, d := range exact {
		if !exactByType(d) {
			t.Errorf("%v: not exact by type", d)
		}
		raw, _ := json.Marshal(d)
		if d == nil {
			raw = []byte(`{}`)
		}
		scanned, err := canonicalJSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := canonicalDetail(d)
		if err != nil || string(got) != string(scanned) {
			t.Errorf("%v: canonicalDetail = %s (%v), scanned path %s", d, got, err, scanned)
		}
	}
	for _, d := range []map[string]any{
		{"n": int64(1<<53 + 1)}, {"n": uint64(1<<53 + 1)}, {"n": []any{1 << 60}}, {"n": json.Number("9007199254740993")},
	} {
		if exactByType(d) {
			t.Errorf("%v: exact by type", d)
		}
		if _, err := canonicalDetail(d); err == nil || !strings.Contains(err.Error(), "is not exact as an IEEE double") {
			t.Errorf("%v: err = %v", d, err)
		}
	}
}

// The digest's bytes are stored in every chain and recomputed by Verify for ever: this is
// sha256 of each field length-prefixed ("11:complaint:1..."), computed independently.
func TestDigestBytesAreFixed(t *testing.T) {
	at := time.Date(2025, 5, 1, 9, 0, 0, 500_000_000, time.UTC)
	got := fmt.Sprintf("%x", digestOf("complaint:1", at, "officer-1", "complaint.logged", "complaint:1", []byte(`{"stage":1}`)))
	if want := "1b4f44f0e46b67b1c81f95ef84b05f7a326ac3c2c77381f0108b75ab1382e3a8"; got != want {
		t.Fatalf("digest = %s, want %s", got, want)
	}
}
