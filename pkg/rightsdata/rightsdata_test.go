package rightsdata_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/migrations"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsdata"
	"casework.dev/pkg/testkit"
)

func platformDB(t *testing.T) *sqlx.DB {
	t.Helper()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	return db
}

// The SQL forms give what the Go forms give, so the database's first filter never drops a
// record Matched would keep.
func TestSQLFormsAgreeWithGo(t *testing.T) {
	db := platformDB(t)
	for _, tc := range []struct {
		in     string
		goForm func(string) string
		sql    func(string) string
	}{
		{"  Ann.Smith@Example.ORG ", rightsdata.Email, rightsdata.EmailSQL},
		{"+44 (0)7700 900-123", rightsdata.Phone, rightsdata.PhoneSQL},
		{"07700 900123", rightsdata.Phone, rightsdata.PhoneSQL},
		{"  Ann \t  SMITH ", rightsdata.Name, rightsdata.NameSQL},
		// A name kept as sent with a tab or newline at an end (SQL read "ann smith " when it
		// trimmed before folding).
		{"\tAnn Smith\n", rightsdata.Name, rightsdata.NameSQL},
		{"Ann\r\nSmith\t", rightsdata.Name, rightsdata.NameSQL},
		{"1 High St., Maidstone ME14 1AA", rightsdata.Compact, rightsdata.CompactSQL},
		// Either Unicode form of an accented letter, a no-break space and full-width digits.
		{"Zo\u00eb\u00a0Br\u00f6nte", rightsdata.Name, rightsdata.NameSQL},
		{"Zoe\u0308 Bro\u0308nte", rightsdata.Name, rightsdata.NameSQL},
		{"\uff11 Rue \u00c9lise", rightsdata.Compact, rightsdata.CompactSQL},
		{"1 Rue E\u0301lise", rightsdata.Compact, rightsdata.CompactSQL},
	} {
		var got string
		if err := db.Get(&got, "SELECT "+tc.sql("$1::text"), tc.in); err != nil {
			t.Fatal(err)
		}
		if want := tc.goForm(tc.in); got != want {
			t.Errorf("%q: SQL gives %q, Go gives %q", tc.in, got, want)
		}
	}
	// A name or an address in one Unicode form finds itself in the other.
	for _, tc := range []struct{ composed, decomposed, want string }{
		{"Zo\u00eb Br\u00f6nte", "Zoe\u0308 Bro\u0308nte", "zo\u00eb br\u00f6nte"},
		{"Zo\u00eb\u00a0Br\u00f6nte", "Zoe\u0308 Bro\u0308nte", "zo\u00eb br\u00f6nte"},
	} {
		if a, b := rightsdata.Name(tc.composed), rightsdata.Name(tc.decomposed); a != tc.want || b != tc.want {
			t.Errorf("name %q and %q compare as %q and %q, want %q", tc.composed, tc.decomposed, a, b, tc.want)
		}
	}
	if a, b := rightsdata.Compact("1 Rue \u00c9lise"), rightsdata.Compact("\uff11 Rue E\u0301lise"); a != "1rueelise" || b != a {
		t.Errorf("addresses compare as %q and %q, want 1rueelise", a, b)
	}
	if got := rightsdata.Phone("+44 7700 900123"); got != "07700900123" {
		t.Errorf("phone = %q", got)
	}
}

func TestMatched(t *testing.T) {
	w := rightsdata.Wanted{Name: "ann  smith", Email: "ANN@example.org", Phone: "123", Postcode: "me14 1aa",
		DateOfBirth: "1980-02-01", References: []string{" cmp-2026-000001"}}.Normalised()
	if w.Phone != "" {
		t.Errorf("a 3-digit phone must not be searched: %q", w.Phone)
	}
	p := rightsdata.Person{Names: []string{"Bob Smith", "Ann Smith"}, Email: "ann@example.org", Phone: "123",
		Address: "1 High Street, Maidstone ME14 1AA", DateOfBirth: "1980-02-01", References: []string{"CMP-2026-000001"}}
	want := []string{"name", "email", "postcode", "date_of_birth", "reference"}
	if got := w.Matched(p); !reflect.DeepEqual(got, want) {
		t.Errorf("matched %v, want %v", got, want)
	}
	if rightsdata.IsCandidate([]string{"postcode", "date_of_birth"}) || !rightsdata.IsCandidate([]string{"postcode", "name"}) {
		t.Error("a postcode and a date of birth alone make no candidate; with a name they do")
	}
	if !(rightsdata.Wanted{Name: " - "}).Normalised().Empty() {
		t.Error("a name of punctuation looks for nobody")
	}
}

func TestRestrictionsStopDisclosure(t *testing.T) {
	db := platformDB(t)
	ctx := context.Background()
	since := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if err := rightsdata.CheckDisclosure(ctx, db, "case-1"); err != nil {
		t.Fatalf("unrestricted case: %v", err)
	}
	r := rightsdata.Restriction{RecordID: "case-1/person-2", CaseID: "case-1", RequestID: "req-1", Since: since}
	for i, want := range []bool{true, false} {
		placed, err := rightsdata.Restrict(ctx, db, r)
		if err != nil || placed != want {
			t.Fatalf("restrict #%d: placed %v, %v; want %v", i+1, placed, err, want)
		}
	}
	err := rightsdata.CheckDisclosure(ctx, db, "case-1")
	var restricted *casework.RestrictedError
	if !errors.As(err, &restricted) || *restricted != (casework.RestrictedError{RequestID: "req-1", Since: since}) {
		t.Fatalf("err = %v, want the restriction of req-1 since %v", err, since)
	}
	if err := rightsdata.CheckDisclosure(ctx, db, "case-2"); err != nil {
		t.Errorf("another case: %v", err)
	}
	got, err := rightsdata.Restricted(ctx, db, []string{"case-1/person-2", "case-1/person-3"})
	if err != nil || len(got) != 1 || got["case-1/person-2"] != r {
		t.Errorf("restricted = %v, %v", got, err)
	}
	for i, want := range []bool{true, false} {
		lifted, err := rightsdata.Lift(ctx, db, r.RecordID)
		if err != nil || lifted != want {
			t.Fatalf("lift #%d: %v, %v; want %v", i+1, lifted, err, want)
		}
	}
	if err := rightsdata.CheckDisclosure(ctx, db, "case-1"); err != nil {
		t.Errorf("lifted: %v", err)
	}
}

func TestDisclosuresBySubject(t *testing.T) {
	db := platformDB(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i, row := range []struct{ id, subject, recipient string }{
		{"0195f0a0-0000-7000-8000-000000000002", "complainant:b", "lgo"},
		{"0195f0a0-0000-7000-8000-000000000001", "complainant:a", "housing-association"},
		{"0195f0a0-0000-7000-8000-000000000003", "complainant:a", "lgo"},
	} {
		if _, err := db.Exec(`INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition, categories,
			notice_version, subject, event_id, disclosed_by, disclosed_at) VALUES ($1::uuid, 'c', $2, $3, 'complaint_handling', 'consent',
			'{contact_details,complaint_details}', '2026.1', 's', $1::text, 'olly', $4)`, row.id, row.subject, row.recipient, at.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := rightsdata.Disclosures(ctx, db, []string{"complainant:a", "complainant:c"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]rightsdata.Disclosure{"complainant:a": {
		{DisclosureID: "0195f0a0-0000-7000-8000-000000000001", Recipient: "housing-association", Purpose: "complaint_handling",
			Categories: []string{"contact_details", "complaint_details"}, DisclosedAt: at.Add(time.Hour), NoticeVersion: "2026.1"},
		{DisclosureID: "0195f0a0-0000-7000-8000-000000000003", Recipient: "lgo", Purpose: "complaint_handling",
			Categories: []string{"contact_details", "complaint_details"}, DisclosedAt: at.Add(2 * time.Hour), NoticeVersion: "2026.1"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

var errNoCase = errors.New("no such case")

// A restriction steps the case's version, so a disclosure read before it is read again,
// and is audited; a repeat changes nothing; an unknown case is the service's not found.
func TestRegisterStepsVersionAndAudits(t *testing.T) {
	db := platformDB(t)
	ctx := context.Background()
	const id = "0195f0a0-0000-7000-8000-0000000000c1"
	if _, err := db.Exec(`CREATE TABLE cases (id UUID PRIMARY KEY, version INT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
		INSERT INTO cases VALUES ('` + id + `', 1, now())`); err != nil {
		t.Fatal(err)
	}
	register := rightsdata.Register{DB: db, Table: "cases", Chain: func(id string) string { return "case:" + id }, AuditPrefix: "case.", NotFound: errNoCase}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	r := rightsdata.Restriction{RecordID: id + "/p-1", CaseID: id, RequestID: "req-1", Since: at}
	state := func() (version, audited int) {
		t.Helper()
		if err := db.Get(&version, `SELECT version FROM cases`); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&audited, `SELECT count(*) FROM audit_log WHERE chain = $1`, "case:"+id); err != nil {
			t.Fatal(err)
		}
		return version, audited
	}
	for i, want := range []bool{true, false} {
		if placed, err := register.Restrict(ctx, r, "rights-request:req-1"); err != nil || placed != want {
			t.Fatalf("restrict #%d: %v, %v", i+1, placed, err)
		}
	}
	if v, a := state(); v != 2 || a != 1 {
		t.Errorf("after restricting twice: version %d, %d audit rows; want 2 and 1", v, a)
	}
	if lifted, err := register.Lift(ctx, id, r.RecordID, "rights-request:req-2", at); err != nil || !lifted {
		t.Fatalf("lift: %v, %v", lifted, err)
	}
	if v, a := state(); v != 3 || a != 2 {
		t.Errorf("after the lift: version %d, %d audit rows; want 3 and 2", v, a)
	}
	for _, unknown := range []string{"0195f0a0-0000-7000-8000-0000000000c2", "not-a-uuid"} {
		if _, err := register.Restrict(ctx, rightsdata.Restriction{RecordID: unknown, CaseID: unknown, RequestID: "req-1", Since: at}, "x"); !errors.Is(err, errNoCase) {
			t.Errorf("%s: %v, want the service's not found", unknown, err)
		}
	}
	if got, _ := register.Restrictions(ctx, []string{"0195f0a0-0000-7000-8000-0000000000c2"}); len(got) != 0 {
		t.Errorf("an unknown case was restricted: %v", got)
	}
}

// Each typed refusal of one record becomes its ground and words; an erasure's ground takes
// the notice's words; any other error fails the request.
func TestRefuse(t *testing.T) {
	n := &notice.Notice{ErasureMayBeRefusedFor: []notice.Reason{{ID: "legal_claims", Words: "the record is needed for a legal claim"}}}
	for _, tc := range []struct {
		err  error
		want *rightsdata.Refusal
	}{
		{fmt.Errorf("erase: %w", casework.NotFound("complaint")), &rightsdata.Refusal{Ground: "no_such_record", Words: "no complaint with this id is held"}},
		{casework.NotFoundPart("investigation", "person p-9"), &rightsdata.Refusal{Ground: "no_such_record", Words: "no person p-9 on this investigation"}},
		{casework.Erased("complaint"), &rightsdata.Refusal{Ground: "erased", Words: "the complaint's personal data has already been erased"}},
		{&casework.ValidationError{Field: "email", Detail: "is not an e-mail address"}, &rightsdata.Refusal{Ground: "invalid_value", Words: "email: is not an e-mail address"}},
		{casework.ErasureRefusal("CMP-1", true, "is open"), &rightsdata.Refusal{Ground: "legal_claims", Words: "the record is needed for a legal claim (CMP-1 is under a legal hold)"}},
		{casework.ErasureRefusal("CMP-1", false, "is open"), &rightsdata.Refusal{Ground: "public_task", Words: "public_task (CMP-1 is open)"}},
		{errors.New("database down"), nil},
	} {
		if got := rightsdata.Refuse(n, tc.err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: got %+v, want %+v", tc.err, got, tc.want)
		}
	}
	if casework.ErasureRefusal("CMP-1", false, "") != nil {
		t.Error("a closed case without a hold refuses nothing")
	}
}
