package notice

import (
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		err  string
	}{
		{in: "6y", want: Period{Years: 6}},
		{in: "30d", want: Period{Days: 30}},
		{in: "72h", want: Period{Hours: 72}},
		{in: "2w", want: Period{Days: 14}},
		{in: "1y6m", want: Period{Years: 1, Months: 6}},
		{in: " 10y ", want: Period{Years: 10}},
		{in: "", err: "period is empty"},
		{in: "6", err: `period "6" is malformed`},
		{in: "y", err: `period "y" is malformed`},
		{in: "6x", err: `period "6x" has unknown unit "x"`},
		{in: "6m1y", err: `period "6m1y" repeats a unit or puts a smaller unit first`},
		{in: "1y1y", err: `repeats a unit`},
		{in: "0d", err: `period "0d" is zero`},
		{in: "100y", want: Period{Years: 100}},
		{in: "1200m", want: Period{Months: 1200}},
		{in: "100y1d", err: `period "100y1d" is longer than 100 years`},
		{in: "36525d1h", err: `is longer than 100 years`},
		{in: "9999999y", err: `period "9999999y" is longer than 100 years`},
		{in: "999999999999999999d", err: `is longer than 100 years`},
		{in: "99999999999999999999999w", err: `is longer than 100 years`},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParsePeriod(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	if s := (Period{Years: 1, Months: 6, Days: 3, Hours: 4}).String(); s != "1y6m3d4h" {
		t.Errorf("String = %s", s)
	}
	if w := (Period{Years: 1, Months: 6}).Words(); w != "1 year and 6 months" {
		t.Errorf("Words = %s", w)
	}
	start := time.Date(2024, time.February, 29, 9, 0, 0, 0, time.UTC)
	if got := (Period{Years: 6}).AddTo(start); !got.Equal(time.Date(2030, time.February, 28, 9, 0, 0, 0, time.UTC)) { // as calendar.AddYears
		t.Errorf("AddTo = %v", got)
	}
}

func TestRetentionFor(t *testing.T) {
	n := loadSample(t)
	tests := []struct {
		name        string
		appliesTo   string
		facts       RetentionFacts
		want        Period
		trigger     string
		ruleID      string
		computation string
		err         string
	}{
		{name: "cctv default", appliesTo: "cctv_footage", want: Period{Days: 30}, trigger: "capture", ruleID: "cctv",
			computation: "30d from capture (rule cctv)"},
		{name: "cctv used as evidence", appliesTo: "cctv_footage", facts: RetentionFacts{Facts: []string{"used_as_evidence"}},
			want: Period{Years: 6}, trigger: "capture", ruleID: "cctv", computation: "used_as_evidence holds, so 6y from capture instead of 30d (rule cctv)"},
		{name: "case without conviction", appliesTo: "case", want: Period{Years: 7}, trigger: "end_of_service", ruleID: "case"},
		{name: "conviction, short sentence", appliesTo: "case", facts: RetentionFacts{Facts: []string{"conviction"}, Sentence: Period{Months: 18}},
			want: Period{Years: 7}, trigger: "end_of_service", ruleID: "case-conviction", computation: "longer of sentence 18m and 7y = 7y from end_of_service (rule case-conviction)"},
		{name: "conviction, long sentence", appliesTo: "case", facts: RetentionFacts{Facts: []string{"conviction"}, Sentence: Period{Years: 8}},
			want: Period{Years: 8}, trigger: "end_of_service", ruleID: "case-conviction", computation: "longer of sentence 8y and 7y = 8y"},
		{name: "conviction, sentence in months longer than 7y", appliesTo: "case", facts: RetentionFacts{Facts: []string{"conviction"}, Sentence: Period{Months: 90}},
			want: Period{Months: 90}, trigger: "end_of_service", ruleID: "case-conviction"},
		{name: "hours", appliesTo: "nature", want: Period{Hours: 72}, trigger: "receipt", ruleID: "breach"},
		{name: "conviction without sentence", appliesTo: "case", facts: RetentionFacts{Facts: []string{"conviction"}},
			err: `rule "case-conviction" keeps case for max(sentence, 7y), which needs the length of the sentence`},
		{name: "undeclared fact", appliesTo: "case", facts: RetentionFacts{Facts: []string{"acquitted"}},
			err: `retention fact "acquitted" is not declared in the investigations notice`},
		{name: "unknown thing", appliesTo: "dogs", err: `"dogs" is not a category, scope or case type of the investigations notice`},
		{name: "known thing without a rule", appliesTo: "phone", err: `the investigations notice has no retention rule for "phone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := n.RetentionFor(tt.appliesTo, tt.facts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Period != tt.want || got.Trigger != tt.trigger || got.RuleID != tt.ruleID || got.AppliesTo != tt.appliesTo {
				t.Fatalf("got %+v; want %+v from %s by rule %s", got, tt.want, tt.trigger, tt.ruleID)
			}
			if !strings.Contains(got.Computation, tt.computation) || got.Rule == "" {
				t.Fatalf("computation %q lacks %q (rule %q)", got.Computation, tt.computation, got.Rule)
			}
		})
	}
	got, _ := n.RetentionFor("case", RetentionFacts{})
	if got.Rule != "Investigation records are kept for 7 years after the service ends." {
		t.Fatalf("rule words = %q", got.Rule)
	}
}

func TestRetentionAmbiguous(t *testing.T) {
	text := strings.Replace(sampleText(t), "  - id: breach\n", `  - id: case-evidence
    applies_to: case
    when: used_as_evidence
    keep: 10y
    from: end_of_service
  - id: breach
`, 1)
	n, err := Load([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.RetentionFor("case", RetentionFacts{Facts: []string{"conviction", "used_as_evidence"}, Sentence: Period{Years: 1}})
	if err == nil || err.Error() != `retention for "case" is ambiguous: rules "case-conviction" and "case-evidence" both apply` {
		t.Fatalf("err = %v", err)
	}
}

// A period of years or months ends on the corresponding day, or the last day of a shorter
// month, as the calendar package counts months; it never runs on into the next month.
func TestAddToEndsOnTheLastDayOfAShorterMonth(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		p        Period
		from, to time.Time
	}{
		{Period{Years: 7}, day(2028, time.February, 29), day(2035, time.February, 28)},
		{Period{Years: 4}, day(2028, time.February, 29), day(2032, time.February, 29)},
		{Period{Months: 6}, day(2026, time.August, 31), day(2027, time.February, 28)},
		{Period{Months: 6}, day(2027, time.August, 31), day(2028, time.February, 29)},
		{Period{Years: 8, Months: 4}, day(2026, time.October, 31), day(2035, time.February, 28)},
		{Period{Months: 1, Days: 1}, day(2026, time.January, 31), day(2026, time.March, 1)},
		{Period{Months: 1}, day(2026, time.March, 31), day(2026, time.April, 30)},
		{Period{Years: 6}, day(2026, time.March, 31), day(2032, time.March, 31)},
		{Period{Hours: 72}, day(2026, time.March, 27), day(2026, time.March, 30)},
	} {
		if got := tc.p.AddTo(tc.from); !got.Equal(tc.to) {
			t.Errorf("%s from %s: %s, want %s", tc.p, tc.from.Format(time.DateOnly), got.Format(time.DateOnly), tc.to.Format(time.DateOnly))
		}
	}
}
