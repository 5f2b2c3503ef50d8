package service_test

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lib/pq"

	"casework.dev/contracts/events"
	"casework.dev/migrations"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
	"casework.dev/services/board/internal/service"
)

// breach is a breach's status event as the rights service publishes it on
// status.rights.breaches: due is its report to the ICO while one is owed, or its record's
// review once raised (the end of the review date in London); reviewOn the date its record
// is next reviewed while kept.
func breach(id, ref, status, change string, due *time.Time, overdue bool, reviewOn string, at time.Time) events.RightsStatus {
	ev := rightsCase(id, ref, "breach", status, change, due, overdue, at)
	ev.ReviewDueOn = reviewOn
	return ev
}

// seedBreaches publishes breaches with each deadline a breach may have running at now
// (Wednesday 4 March 2026, 12:00 London). After it, rights has 5 open breaches: 2 due this
// week (BR-2's report, BR-3's review today), 3 overdue (BR-1's report, as the sweep said;
// BR-6's report, passed before the sweep says so; BR-4's review, which no sweep reports).
// BR-5 is closed, its review years away.
func (e *env) seedBreaches() {
	e.t.Helper()
	before := e.processed()
	publish := func(ev events.RightsStatus) { e.publish("status.rights.breaches", ev.EventID, ev) }
	publish(breach("0401", "BR-1", "open", "breach.report.overdue", ptr(day(3, 9)), true, "", day(3, 9)))
	publish(breach("0402", "BR-2", "open", "breach.recorded", ptr(time.Date(2026, 3, 5, 15, 30, 0, 0, time.UTC)), false, "", day(2, 15)))
	// Kept by an earlier review to 4 March 2026; the retention sweep raised its review today.
	publish(breach("0403", "BR-3", "closed", "breach.reviewed", nil, false, "2026-03-04", day(1, 9)))
	publish(breach("0404", "BR-3", "review_due", "breach.review_due", ptr(day(5, 0)), false, "2026-03-04", day(4, 0)))
	publish(breach("0405", "BR-4", "review_due", "breach.review_due", ptr(day(3, 0)), false, "2026-03-02", day(2, 0)))
	publish(breach("0406", "BR-5", "closed", "breach.closed", nil, false, "2037-01-01", day(2, 11)))
	publish(breach("0407", "BR-6", "open", "breach.assessed", ptr(day(4, 9)), false, "", day(2, 10)))
	e.waitProcessed(before + 7)
}

var seededBreaches = figures{Service: "rights", Open: 5, DueThisWeek: 2, Overdue: 3, Stages: []stage{{"rights", "breach", 5}}}

// The DPO sees the breaches whose report to the ICO or whose record's review is due this
// week or overdue, each naming which, with the date the record is reviewed; a redelivered
// or older event changes none of it.
func TestBreachesDueForTheirReportOrReview(t *testing.T) {
	e := newEnv(t)
	e.seedBreaches()
	dpo := e.token("dora", "dpo")
	if got := e.board(dpo); !reflect.DeepEqual(got, []figures{seededBreaches}) {
		t.Fatalf("the DPO sees\n%+v\nwant\n%+v", got, []figures{seededBreaches})
	}
	overdue := []caseRow{ // by deadline
		{Reference: "BR-4", Stage: "breach", Status: "review_due", NextDueAt: ptr(day(3, 0)), NextDue: "review", Overdue: []string{"review"},
			ReviewDueOn: "2026-03-02"},
		{Reference: "BR-1", Stage: "breach", Status: "open", NextDueAt: ptr(day(3, 9)), NextDue: "ico_report", Overdue: []string{"ico_report"}},
		{Reference: "BR-6", Stage: "breach", Status: "open", NextDueAt: ptr(day(4, 9)), NextDue: "ico_report", Overdue: []string{"ico_report"}},
	}
	dueThisWeek := []caseRow{
		{Reference: "BR-3", Stage: "breach", Status: "review_due", NextDueAt: ptr(day(5, 0)), NextDue: "review", Overdue: []string{},
			ReviewDueOn: "2026-03-04"},
		{Reference: "BR-2", Stage: "breach", Status: "open", NextDueAt: ptr(time.Date(2026, 3, 5, 15, 30, 0, 0, time.UTC)), NextDue: "ico_report",
			Overdue: []string{}},
	}
	e.requireCases(dpo, "service=rights&figure=overdue", overdue)
	e.requireCases(dpo, "service=rights&figure=due_this_week", dueThisWeek)
	e.requireCases(dpo, "service=rights&figure=open&stage=breach", append(append([]caseRow{}, overdue...), dueThisWeek...))

	// BR-3's review event again (past the stream's duplicate window, as after a replay), and
	// its older closing event: neither moves it back. Then BR-2 is reported: no report is due.
	again := breach("0404", "BR-3", "review_due", "breach.review_due", ptr(day(5, 0)), false, "2026-03-04", day(4, 0))
	body, _ := json.Marshal(again)
	e.publishRaw("status.rights.breaches", again.EventID, append(body, ' '))
	older := breach("0408", "BR-3", "closed", "breach.closed", nil, false, "2016-01-01", day(1, 8))
	e.publish("status.rights.breaches", older.EventID, older)
	reported := breach("0409", "BR-2", "open", "breach.reported", nil, false, "", day(4, 11))
	e.publish("status.rights.breaches", reported.EventID, reported)
	testkit.Eventually(t, 10*time.Second, "BR-2 reported", func() (bool, string) {
		got := e.board(dpo)[0]
		return got.DueThisWeek == 1, "due this week " + strconv.Itoa(got.DueThisWeek)
	})
	want := seededBreaches
	want.DueThisWeek = 1
	if got := e.board(dpo); !reflect.DeepEqual(got, []figures{want}) {
		t.Fatalf("after a replay, an older event and a report:\n%+v\nwant\n%+v", got, []figures{want})
	}
	e.requireCases(dpo, "service=rights&figure=due_this_week", dueThisWeek[:1])
	e.requireCases(dpo, "service=rights&figure=overdue", overdue)
}

// A review due on a Sunday is due by the midnight that ends the week: still this week's.
func TestAReviewDueOnSundayIsDueThisWeek(t *testing.T) {
	sunday := time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)
	e := newEnvAt(t, func() time.Time { return sunday })
	e.publish("status.rights.breaches", "0501", breach("0501", "BR-7", "review_due", "breach.review_due", ptr(day(9, 0)), false,
		"2026-03-08", time.Date(2026, 3, 8, 0, 30, 0, 0, time.UTC)))
	e.waitProcessed(1)
	r := testkit.Call(t, e.server.URL, "GET", "/api/board", e.token("dora", "dpo"), nil)
	var out struct{ Services []figures }
	if err := json.Unmarshal(r.Body, &out); r.Status != http.StatusOK || err != nil {
		t.Fatalf("board: %d %v %s", r.Status, err, r.Body)
	}
	want := []figures{{Service: "rights", Open: 1, DueThisWeek: 1, Stages: []stage{{"rights", "breach", 1}}}}
	if !reflect.DeepEqual(out.Services, want) {
		t.Fatalf("on Sunday the DPO sees\n%+v\nwant\n%+v", out.Services, want)
	}
}

// Upgrading a board that holds breaches names the deadline they carried, the report to the
// ICO, in place of the "due" its sweep's flag was shown as; other services' cases and
// other rights cases keep theirs.
func TestTheUpgradeNamesTheDeadlineOfBreachesAlreadyHeld(t *testing.T) {
	first, err := fs.ReadFile(migrations.Board(), "00001_board.sql")
	if err != nil {
		t.Fatal(err)
	}
	sets := service.Migrations()
	before := []postgres.Migration{sets[0], {FS: fstest.MapFS{"00001_board.sql": {Data: first}}, VersionTable: sets[1].VersionTable}}
	db, _ := testkit.NewDatabase(t, before...)
	for _, c := range []struct {
		service, reference, stage, status string
		due                               *time.Time
		overdue                           string
	}{
		{"rights", "BR-1", "breach", "open", ptr(day(3, 9)), "{due}"},
		{"rights", "BR-2", "breach", "open", ptr(day(5, 9)), "{}"},
		{"rights", "BR-3", "breach", "review_due", nil, "{}"},
		{"rights", "SAR-2", "erasure", "open", ptr(day(2, 17)), "{due}"},
		{"complaints", "CMP-1", "stage1", "stage1_acknowledged", ptr(day(3, 17)), "{stage1.respond}"},
	} {
		if _, err := db.Exec(`INSERT INTO board_cases (service, reference, stage, status, closed, next_due_at, overdue, last_change,
			last_at, last_event_id) VALUES ($1, $2, $3, $4, false, $5, $6, 'x', $7, 'e')`,
			c.service, c.reference, c.stage, c.status, c.due, c.overdue, day(2, 9)); err != nil {
			t.Fatal(err)
		}
	}
	if err := postgres.Migrate(t.Context(), db, sets...); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Reference string         `db:"reference"`
		NextDue   string         `db:"next_due"`
		Overdue   pq.StringArray `db:"overdue"`
		Review    *string        `db:"review_due_on"`
	}
	if err := db.Select(&got, `SELECT reference, next_due, overdue, review_due_on::text AS review_due_on FROM board_cases ORDER BY reference`); err != nil {
		t.Fatal(err)
	}
	want := []string{"BR-1 ico_report [ico_report]", "BR-2 ico_report []", "BR-3  []", "CMP-1  [stage1.respond]", "SAR-2  [due]"}
	var rows []string
	for _, r := range got {
		if r.Review != nil {
			t.Errorf("%s has a review date %s", r.Reference, *r.Review)
		}
		rows = append(rows, r.Reference+" "+r.NextDue+" ["+strings.Join(r.Overdue, ",")+"]")
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("after the upgrade %q, want %q", rows, want)
	}
}
