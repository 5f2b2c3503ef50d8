package service_test

import (
	"reflect"
	"testing"
	"time"
)

// A date a debt request carries is bounded by what it records: an arrangement's first
// instalment falls due within a year (a later one, near the calendar's last day, was
// stored and then no route could read the case back: every one answered 500, and a rights
// search on the debtor never completed), a sale happened by now, a liability order was made
// after 1900. Each is refused with its exact problem and pointer, changes nothing, and the
// case stays readable.
func TestDatesBeyondWhatTheyRecordAreRefused(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-DATES", 100000)
	c := "/cases/" + id
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)) // past the notice period; a year from today is 2027-03-12
	arrangement := func(firstDue string, count int, frequency string) map[string]any {
		return map[string]any{"first_due": firstDue, "amount_pence": 1034, "count": count, "frequency": frequency} // 104 cover the 107,500 owed
	}
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		pointer, detail           string
	}{
		{"weekly instalments past the calendar's last day", "POST", c + "/arrangement", e.officer(), arrangement("9998-06-30", 104, "weekly"),
			"/first_due", "cannot be after a year from today (2027-03-12)"},
		{"monthly instalments from the calendar's last day", "POST", c + "/arrangement", e.officer(), arrangement("9998-12-31", 104, "monthly"),
			"/first_due", "cannot be after a year from today (2027-03-12)"},
		{"a first instalment in 2200", "POST", c + "/arrangement", e.officer(), arrangement("2200-01-31", 104, "monthly"),
			"/first_due", "cannot be after a year from today (2027-03-12)"},
		{"a first instalment a year and a day away", "POST", c + "/arrangement", e.officer(), arrangement("2027-03-13", 104, "monthly"),
			"/first_due", "cannot be after a year from today (2027-03-12)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			p := problemOf(t, e.Call(tc.method, tc.path, tc.token, tc.body), 400, "validation")
			if got := pointersOf(p); !reflect.DeepEqual(got, []string{tc.pointer}) {
				t.Fatalf("pointers %v, want %s", got, tc.pointer)
			}
			if d := p["errors"].([]any)[0].(map[string]any)["detail"]; d != tc.detail {
				t.Errorf("detail %q, want %q", d, tc.detail)
			}
			if after := e.snapshot(); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused request changed the database:\nbefore %v\nafter  %v", before, after)
			}
			e.Must(200, "GET", c, e.officer(), nil)
		})
	}
	// The latest first instalment allowed, monthly for the longest arrangement: its last
	// instalment (8 years 7 months later) is stored, read back and swept like any other.
	got := e.Must(200, "POST", c+"/arrangement", e.officer(), arrangement("2027-03-12", 104, "monthly"))
	ins := got["arrangement"].(map[string]any)["instalments"].([]any)
	if last := ins[len(ins)-1].(map[string]any); len(ins) != 104 || last["due_date"] != "2035-10-12" {
		t.Fatalf("%d instalments, the last %v", len(ins), last)
	}
	e.Must(200, "GET", c, e.officer(), nil)
	if _, err := e.svc.App.SweepInstalments(t.Context(), 100); err != nil {
		t.Fatalf("instalment sweep: %v", err)
	}
}

// A sale is refused for a sold_at in the future at /sold_at, the field sent: its proceeds
// are applied as a payment, whose own check named /received_at, which the request has not.
func TestASaleInTheFutureIsRefusedAtSoldAt(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-SALE", 100000)
	c := "/cases/" + id
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", c+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-1"})
	e.Must(200, "POST", c+"/notice-of-sale", e.agent(), nil)
	e.Must(200, "POST", c+"/removal-attendance", e.agent(), map[string]any{"at": "2026-03-12T09:45:00Z", "purpose": "remove_for_sale", "body_worn_video": "BWV-2"})
	e.Clock.Set(time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC)) // past the 7 clear days
	for _, soldAt := range []string{"2026-03-31T10:00:00Z", "9999-12-31T23:59:59Z"} {
		before := e.snapshot()
		p := problemOf(t, e.Call("POST", c+"/sale", e.agent(), map[string]any{"proceeds_pence": 5000, "sold_at": soldAt}), 400, "validation")
		if got := pointersOf(p); !reflect.DeepEqual(got, []string{"/sold_at"}) {
			t.Fatalf("sold %s: pointers %v, want /sold_at", soldAt, got)
		}
		if after := e.snapshot(); !reflect.DeepEqual(after, before) {
			t.Errorf("a refused sale changed the database:\nbefore %v\nafter  %v", before, after)
		}
	}
	e.Must(200, "POST", c+"/sale", e.agent(), map[string]any{"proceeds_pence": 5000, "sold_at": "2026-03-30T09:00:00Z"})
}

// A liability order dated before 1900 (a mistyped year, or one before the calendar's first
// day) is its row's refusal, as a future one is; nothing is created for it.
func TestAnOrderDateBefore1900IsRefusedRowByRow(t *testing.T) {
	e := newEnv(t)
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n" +
		"R-1,1899-12-31,LO-1,Ann Old,1 High Street,1000\n" +
		"R-2,0001-01-01,LO-2,Bob Older,2 High Street,1000\n" +
		"R-3,1900-01-01,LO-3,Cy Oldest,3 High Street,1000\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", file, "")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	report := r.JSON(t)
	var got []string
	for _, x := range report["rows"].([]any) {
		m := x.(map[string]any)
		s := m["outcome"].(string)
		if errs, ok := m["errors"].([]any); ok {
			er := errs[0].(map[string]any)
			s += " " + er["field"].(string) + ": " + er["reason"].(string)
		}
		got = append(got, s)
	}
	want := []string{"refused order_date: cannot be before 1900-01-01", "refused order_date: cannot be before 1900-01-01", "accepted"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %q\nwant %q", got, want)
	}
	if n := e.Count(`SELECT count(*) FROM debt_cases`); n != 1 {
		t.Fatalf("%d cases, want 1", n)
	}
}
