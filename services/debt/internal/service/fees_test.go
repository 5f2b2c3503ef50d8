package service_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/service"
)

// reform is the 2025 announcement as a deployment would add it (DEBT_FEES_FILE): fixed fees
// up 5%, 14 clear days' notice, from a date. The date here is the test's own.
const reform = `[{
  "id": "tcg-fees-reform",
  "effective_from": "2026-04-06",
  "source": "the reform announced in 2025: fixed fees up 5%, 14 clear days' notice",
  "notice_clear_days": 14,
  "compliance": {"fixed_pence": 7875, "percent_basis_points": 0},
  "enforcement": {"fixed_pence": 24675, "percent_basis_points": 750},
  "sale": {"fixed_pence": 11550, "percent_basis_points": 750},
  "percent_over_pence": 150000
}]`

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A dated schedule added as data applies to cases referred from its date, chosen by the day
// the instructions were received and recorded with how; a case referred before keeps the
// schedule it started under, even for a fee charged after the reform took effect.
func TestAReformScheduleAddedAsDataIsChosenByDate(t *testing.T) {
	schedules, err := service.LoadSchedules(writeFile(t, "fees.json", reform))
	if err != nil {
		t.Fatal(err)
	}
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	e := newEnvOn(t, db, testkit.NewNATS(t), calendar.NewManualClock(start), schedules)

	before := e.referOne("maidstone-council-tax", "CT-F1", 300000)
	c := e.Must(200, "GET", "/cases/"+before, e.officer(), nil)
	wantHow := "instructions received on 2026-03-02; schedule tcg-fees-2014 is the latest in force that day (effective from 2014-04-06); not yet in force: [tcg-fees-reform from 2026-04-06]"
	if fs := c["fee_schedule"].(map[string]any); fs["id"] != "tcg-fees-2014" || fs["how"] != wantHow || fs["chosen_on"] != "2026-03-02" {
		t.Fatalf("before the reform: %v", fs)
	}
	if c["notice_of_enforcement"].(map[string]any)["earliest_control_date"] != "2026-03-11" || c["fees_outstanding_pence"] != float64(7500) {
		t.Fatalf("before the reform: %v %v", c["notice_of_enforcement"], c["fees_outstanding_pence"])
	}

	// Tuesday 7 April 2026, the day after the reform took effect.
	e.Clock.Set(time.Date(2026, 4, 7, 9, 0, 0, 0, time.UTC))
	after := e.referOne("maidstone-council-tax", "CT-F2", 300000)
	c = e.Must(200, "GET", "/cases/"+after, e.officer(), nil)
	wantHow = "instructions received on 2026-04-07; schedule tcg-fees-reform is the latest in force that day (effective from 2026-04-06)"
	if fs := c["fee_schedule"].(map[string]any); fs["id"] != "tcg-fees-reform" || fs["how"] != wantHow || fs["effective_from"] != "2026-04-06" {
		t.Fatalf("after the reform: %v", fs)
	}
	// 14 clear days, Sundays 12 and 19 April not counted: control from Friday 24 April.
	notice := c["notice_of_enforcement"].(map[string]any)
	earliest := notice["earliest_control"].(map[string]any)
	var skipped []string
	for _, s := range earliest["skipped"].([]any) {
		skipped = append(skipped, s.(map[string]any)["date"].(string))
	}
	if notice["earliest_control_date"] != "2026-04-24" || earliest["amount"] != float64(14) || strings.Join(skipped, ",") != "2026-04-12,2026-04-19" ||
		c["fees_outstanding_pence"] != float64(7875) {
		t.Fatalf("reform notice %v, fees %v", notice, c["fees_outstanding_pence"])
	}

	// The day before, 7 clear days have long passed but 14 have not.
	e.Clock.Set(time.Date(2026, 4, 23, 12, 0, 0, 0, time.UTC))
	p := problemOf(t, e.Call("POST", "/cases/"+after+"/visits", e.agent(),
		map[string]any{"at": "2026-04-23T10:00:00Z", "outcome": "no_contact", "body_worn_video": "BWV-R1"}), 409, "conflict")
	if p["rule"] != "notice_period" {
		t.Fatalf("visit inside 14 clear days: %v", p)
	}
	e.Clock.Set(time.Date(2026, 4, 24, 12, 0, 0, 0, time.UTC))
	visit := map[string]any{"at": "2026-04-24T10:00:00Z", "outcome": "no_contact", "body_worn_video": "BWV-R2"}
	// Enforcement fee on GBP 3,000: the fixed part plus 7.5% of the GBP 1,500 above GBP 1,500.
	for id, want := range map[string][3]float64{before: {23500, 11250, 34750}, after: {24675, 11250, 35925}} {
		c = e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), visit)
		f := c["fees"].([]any)[1].(map[string]any)
		got := [3]float64{f["fixed_pence"].(float64), f["percent_pence"].(float64), f["total_pence"].(float64)}
		if got != want || f["sum_to_recover_pence"] != float64(300000) {
			t.Errorf("%s: enforcement fee %v, want %v (schedule %v)", id, got, want, f["schedule_id"])
		}
	}
}

// A fees file that could not be applied stops the service at start, saying why.
func TestAFeesFileThatCannotApplyIsRefused(t *testing.T) {
	for name, tc := range map[string]struct{ file, want string }{
		"notice shorter than the regulations": {strings.Replace(reform, `"notice_clear_days": 14`, `"notice_clear_days": 6`, 1),
			"fee schedule tcg-fees-reform: notice_clear_days 6 is below the 7 of SI 2013/1894 reg 6(1)"},
		"the statutory schedule's date": {strings.Replace(reform, `"2026-04-06"`, `"2014-04-06"`, 1),
			"fee schedule tcg-fees-reform: effective_from missing or shared with another schedule"},
		"the statutory schedule's id": {strings.Replace(reform, `"tcg-fees-reform"`, `"tcg-fees-2014"`, 1),
			`fee schedules: id "tcg-fees-2014" is empty or repeated`},
		"a negative fee": {strings.Replace(reform, `"fixed_pence": 7875`, `"fixed_pence": -1`, 1),
			"fee schedule tcg-fees-reform: the compliance fee is out of range"},
		"pounds, not pence": {strings.Replace(reform, `"fixed_pence": 7875`, `"fixed_pence": 78.75`, 1),
			"fee schedules: json: cannot unmarshal number 78.75 into Go struct field StageFee.compliance.fixed_pence of type int64"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := service.LoadSchedules(writeFile(t, "fees.json", tc.file))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err %v\nwant %s", err, tc.want)
			}
		})
	}
	if s, err := service.LoadSchedules(""); err != nil || !reflect.DeepEqual([]string{s[0].ID}, []string{"tcg-fees-2014"}) || len(s) != 1 {
		t.Fatalf("no file: %v %v", s, err)
	}
}
