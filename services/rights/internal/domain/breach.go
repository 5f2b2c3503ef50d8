package domain

import (
	"fmt"
	"math"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
)

// BreachStatus is where a breach record stands.
type BreachStatus string

// Statuses of a breach record.
const (
	BreachOpen      BreachStatus = "open"
	BreachClosed    BreachStatus = "closed"
	BreachReviewDue BreachStatus = "review_due" // its retention ended: a DPO must review it
)

// MaxCount bounds the register's counts of people and records (people_affected,
// records_affected, the people told): PostgreSQL's integer, as the contract says.
const MaxCount = math.MaxInt32

// countRange says the range of a count from least.
func countRange(least int) string {
	return fmt.Sprintf("must be from %d to %d: the register keeps a 32-bit count", least, MaxCount)
}

// ReportHours is UK GDPR Art 33(1): "without undue delay and, where feasible, not later
// than 72 hours after having become aware of it", counted in elapsed hours.
const ReportHours = 72

// BreachCategories are the kinds of personal data a breach may affect (Art 33(3)(a)).
var BreachCategories = []string{"identity", "contact", "financial", "health", "criminal_offence", "special_category",
	"children", "location", "identification_documents", "other"}

// Assessment is the DPO's decision whether the breach is reportable (a risk to people's
// rights and freedoms, Art 33(1)) and, where high risk, whether the people affected must be
// told (Art 34(1), or why not under Art 34(3)), each with its reason.
type Assessment struct {
	Reportable bool
	Reason     string
	HighRisk   bool
	TellPeople bool
	TellReason string
	By         string
	At         time.Time
}

// BreachReport is the report sent to the ICO as a disclosure.
type BreachReport struct {
	DisclosureID string
	Consequences string
	Measures     string
	// LateReason is Art 33(1)'s "reasons for the delay" for a report after 72 hours.
	LateReason string
	OnTime     bool
	By         string
	At         time.Time
}

// PeopleTold records that the people affected were told (Art 34).
type PeopleTold struct {
	On     calendar.Date
	Method string
	Count  int
	By     string
	At     time.Time
}

// BreachReview is a DPO's review at the end of the retention period.
type BreachReview struct {
	Decision  string // keep or erase
	Reason    string
	NextDue   calendar.Date // keep: when to review again
	By        string
	At        time.Time
	Completed bool
}

// Breach is one suspected or confirmed personal data breach.
type Breach struct {
	ID, Reference string
	Status        BreachStatus
	Confirmed     bool // false: suspected
	DiscoveredAt  time.Time
	AwareAt       time.Time // when the council became aware: the 72 hours run from here
	// What happened, by kind and count (no personal data).
	CategoriesAffected []string
	PeopleAffected     int
	RecordsAffected    int
	// Personal data: what was released, to whom, who reported it, the people to tell.
	Nature           string
	Released         string
	ReleasedTo       string
	ReportedBy       Person
	AffectedContacts []Person

	Deadline   calendar.Deadline // the ICO report
	Assessment *Assessment
	Report     *BreachReport
	PeopleTold *PeopleTold
	OverdueAt  *time.Time
	ClosedAt   *time.Time
	ClosedBy   string
	ReviewDue  calendar.Date // 10 years plus the year it closed in
	ReviewAt   *time.Time    // when the review task was raised
	Reviews    []BreachReview
	ErasedAt   *time.Time
	Version    int
}

// NewBreach is a breach as it is first recorded.
type NewBreach struct {
	Confirmed          bool
	DiscoveredAt       time.Time
	AwareAt            time.Time
	Nature             string
	Released           string
	ReleasedTo         string
	CategoriesAffected []string
	PeopleAffected     int
	RecordsAffected    int
	ReportedBy         Person
	AffectedContacts   []Person
}

// RecordBreach records a breach and its ICO deadline: 72 hours from awareness, in elapsed
// hours, so a weekend, a bank holiday or the clock change neither stops nor moves it.
func RecordBreach(in NewBreach, a Actor) (*Breach, Event, error) {
	// A breach discovered before the GDPR's breach duties began cannot be one this register
	// records (GDPRApplied); the council became aware of it no earlier than it was discovered.
	if err := happened("discovered_at", in.DiscoveredAt, a.Now, GDPRApplied); err != nil {
		return nil, Event{}, err
	}
	if err := happened("aware_at", in.AwareAt, a.Now, dayOf(in.DiscoveredAt, "the day the breach was discovered")); err != nil {
		return nil, Event{}, err
	}
	switch {
	case in.AwareAt.Before(in.DiscoveredAt):
		return nil, Event{}, &ValidationError{Field: "aware_at", Detail: "cannot be before the breach was discovered"}
	case trimmed(in.Nature) == "":
		return nil, Event{}, &ValidationError{Field: "nature", Detail: "say what happened"}
	case len(in.CategoriesAffected) == 0:
		return nil, Event{}, &ValidationError{Field: "categories_affected", Detail: "name at least one kind of data affected"}
	case in.PeopleAffected < 0 || in.PeopleAffected > MaxCount:
		return nil, Event{}, &ValidationError{Field: "people_affected", Detail: countRange(0)}
	case in.RecordsAffected < 0 || in.RecordsAffected > MaxCount:
		return nil, Event{}, &ValidationError{Field: "records_affected", Detail: countRange(0)}
	case trimmed(in.ReportedBy.Name) == "":
		return nil, Event{}, &ValidationError{Field: "reported_by/name", Detail: "is required"}
	}
	for i, c := range in.AffectedContacts {
		if blank(c.Name) {
			return nil, Event{}, &ValidationError{Field: fmt.Sprintf("affected_contacts/%d/name", i), Detail: "is required: who is to be told"}
		}
	}
	for i, c := range in.CategoriesAffected {
		if !slices.Contains(BreachCategories, c) {
			return nil, Event{}, &ValidationError{Field: fmt.Sprintf("categories_affected/%d", i), Detail: fmt.Sprintf("unknown category %q", c)}
		}
	}
	b := &Breach{Status: BreachOpen, Confirmed: in.Confirmed, DiscoveredAt: in.DiscoveredAt.UTC(), AwareAt: in.AwareAt.UTC(),
		CategoriesAffected: in.CategoriesAffected, PeopleAffected: in.PeopleAffected, RecordsAffected: in.RecordsAffected,
		Nature: in.Nature, Released: in.Released, ReleasedTo: in.ReleasedTo, ReportedBy: in.ReportedBy, AffectedContacts: in.AffectedContacts,
		Deadline: a.Cal.AddHours(in.AwareAt, ReportHours)}
	return b, Event{Type: "breach.recorded", Count: in.PeopleAffected, Detail: map[string]any{
		"confirmed": in.Confirmed, "report_due_at": b.Deadline.Due}}, nil
}

func (b *Breach) allow(action string, statuses ...BreachStatus) error {
	if b.ErasedAt != nil {
		return ErrBreachErased
	}
	if slices.Contains(statuses, b.Status) {
		return nil
	}
	allowed := []string{"review"}
	switch b.Status {
	case BreachOpen:
		allowed = []string{"assess", "report", "tell_people", "close"}
	case BreachClosed:
		allowed = []string{}
	}
	return refusedTransition(CaseBreach, action, string(b.Status), allowed)
}

// Assess records the reportable decision and the high-risk decision, each with its reason.
// A later assessment replaces an earlier one until the breach is reported.
func (b *Breach) Assess(in Assessment, a Actor) (Event, error) {
	if err := b.allow("assess", BreachOpen); err != nil {
		return Event{}, err
	}
	switch {
	case b.Report != nil:
		return Event{}, &RuleError{Rule: "already_reported", Detail: "the breach was reported to the ICO; its assessment stands"}
	case trimmed(in.Reason) == "":
		return Event{}, &ValidationError{Field: "reason", Detail: "say why the breach is or is not likely to result in a risk to people's rights and freedoms"}
	case in.HighRisk && !in.Reportable:
		return Event{}, &ValidationError{Field: "high_risk", Detail: "a high risk to people is a risk: the breach is reportable"}
	case !in.HighRisk && in.TellPeople:
		return Event{}, &ValidationError{Field: "tell_people", Detail: "people must be told only of a high risk (UK GDPR Article 34(1)); record it as high risk"}
	case in.HighRisk && trimmed(in.TellReason) == "":
		return Event{}, &ValidationError{Field: "tell_reason", Detail: "say why the people affected will or will not be told (Article 34(1) and (3))"}
	}
	in.By, in.At = a.Officer, a.Now
	b.Assessment = &in
	return Event{Type: "breach.assessed", Detail: map[string]any{"reportable": in.Reportable, "high_risk": in.HighRisk, "tell_people": in.TellPeople}}, nil
}

// ReportToICO records the report, made as a disclosure the notice allows. After 72 hours it
// must carry the reasons for the delay (Art 33(1)).
func (b *Breach) ReportToICO(r BreachReport, a Actor) (Event, error) {
	if err := b.allow("report", BreachOpen); err != nil {
		return Event{}, err
	}
	onTime := !b.reportLate(a.Now)
	switch {
	case b.Report != nil:
		return Event{}, &RuleError{Rule: "already_reported", Detail: fmt.Sprintf("reported on %s", b.Report.At.Format(time.RFC3339))}
	case b.Assessment == nil || !b.Assessment.Reportable:
		return Event{}, &RuleError{Rule: "not_reportable", Detail: "only a breach assessed as reportable is reported to the ICO"}
	case blank(r.Consequences):
		return Event{}, &ValidationError{Field: "consequences", Detail: "the report describes the likely consequences (Article 33(3))"}
	case blank(r.Measures):
		return Event{}, &ValidationError{Field: "measures", Detail: "the report describes the measures taken (Article 33(3))"}
	case !onTime && trimmed(r.LateReason) == "":
		return Event{}, &ValidationError{Field: "late_reason", Detail: fmt.Sprintf("the 72 hours ended at %s: give the reasons for the delay (Article 33(1))", b.Deadline.Due.Format(time.RFC3339))}
	}
	r.OnTime, r.By, r.At = onTime, a.Officer, a.Now
	b.Report = &r
	return Event{Type: "breach.reported", Recipient: "ico", Detail: map[string]any{"on_time": onTime}}, nil
}

// RecordPeopleTold records that the people affected were told of a high-risk breach.
func (b *Breach) RecordPeopleTold(p PeopleTold, a Actor) (Event, error) {
	if err := b.allow("record telling the people of", BreachOpen); err != nil {
		return Event{}, err
	}
	switch {
	case b.Assessment == nil || !b.Assessment.TellPeople:
		return Event{}, &RuleError{Rule: "not_to_tell", Detail: "the assessment did not decide that the people affected must be told"}
	}
	if err := within("told_on", p.On, dayOf(b.AwareAt, "the day the council became aware of the breach"), today(a.Now)); err != nil {
		return Event{}, err
	}
	// The count is not held to PeopleAffected: that is the approximate number known when
	// the breach was recorded (Article 33(3)(a), "approximate"; 33(4) lets the facts come
	// in phases) and the register has no way to revise it, while a telling (by a public
	// notice too, Article 34(3)(c)) may reach every person the breach turned out to
	// affect. Refusing a larger count would leave a high-risk breach that may never be
	// closed (Close needs the people told); the bound is the register's 32-bit count.
	if p.Count < 1 || p.Count > MaxCount {
		return Event{}, &ValidationError{Field: "count", Detail: "how many people were told " + countRange(1)}
	}
	p.By, p.At = a.Officer, a.Now
	b.PeopleTold = &p
	return Event{Type: "breach.people_told", Count: p.Count}, nil
}

// Close closes the breach: assessed, reported if reportable, people told if they must be.
// The record is then kept for the rest of the year plus the notice's years (the Data breach
// notice: "10 years (plus the current year) and will then be reviewed"), and reviewed, never
// deleted on its own.
func (b *Breach) Close(keepYears int, a Actor) (Event, error) {
	if err := b.allow("close", BreachOpen); err != nil {
		return Event{}, err
	}
	switch {
	case b.Assessment == nil:
		return Event{}, &RuleError{Rule: "not_assessed", Detail: "assess the breach before closing it"}
	case b.Assessment.Reportable && b.Report == nil:
		return Event{}, &RuleError{Rule: "not_reported", Detail: "a reportable breach is closed only once reported to the ICO"}
	case b.Assessment.TellPeople && b.PeopleTold == nil:
		return Event{}, &RuleError{Rule: "people_not_told", Detail: "the people affected must be told before the breach is closed"}
	}
	at := a.Now
	b.Status, b.ClosedAt, b.ClosedBy = BreachClosed, &at, a.Officer
	b.ReviewDue = BreachReviewDate(a.Now, keepYears, a.Cal)
	return Event{Type: "breach.closed", Detail: map[string]any{"review_due": b.ReviewDue.String()}}, nil
}

// BreachReviewDate is when a breach closed at closedAt and kept keepYears is reviewed: the
// first day after the year it closed in plus keepYears (10 years, closed in 2026: kept to
// the end of 2036, reviewed on 1 January 2037).
func BreachReviewDate(closedAt time.Time, keepYears int, cal *calendar.Calendar) calendar.Date {
	endOfYear := calendar.NewDate(calendar.DateOf(closedAt).Year, time.December, 31)
	return cal.AddYears(endOfYear.StartOfDay(), keepYears).DueDate.AddDays(1)
}

// ReportAwaited says whether a report to the ICO is still due: the breach is open,
// unreported, and reportable or not yet assessed. One assessed as not reportable owes none.
func (b *Breach) ReportAwaited() bool {
	return b.Status == BreachOpen && b.Report == nil && (b.Assessment == nil || b.Assessment.Reportable)
}

// DueAt is the deadline the breach has running, for managers watching it: the report to
// the ICO while one is owed (ReportAwaited), then, once its retention ended and a review
// was raised, the review of its record, due by the end of its review date in London as
// every deadline of whole days is (calendar.Deadline). Nil while neither runs: a closed
// record's review is not yet due, and the retention sweep raises it on its date.
func (b *Breach) DueAt() *time.Time {
	switch {
	case b.ReportAwaited():
		due := b.Deadline.Due
		return &due
	case b.Status == BreachReviewDue && !b.ReviewDue.IsZero():
		due := b.ReviewDue.EndOfDay()
		return &due
	}
	return nil
}

// reportLate reports whether a report made at now is later than Art 33(1) allows: "not
// later than 72 hours after having become aware", so one made at the 72nd hour itself is on
// time, and only after it is late.
func (b *Breach) reportLate(now time.Time) bool {
	return !b.Deadline.Stopped() && now.After(b.Deadline.Due)
}

// MarkReportOverdue records, once, that the 72 hours passed with no report while the breach
// was reportable or not yet assessed.
func (b *Breach) MarkReportOverdue(now time.Time) (Event, bool) {
	if !b.ReportAwaited() || b.OverdueAt != nil || !b.reportLate(now) {
		return Event{}, false
	}
	at := now
	b.OverdueAt = &at
	return Event{Type: "breach.report.overdue", Detail: map[string]any{"due_at": b.Deadline.Due}}, true
}

// RaiseReview turns a closed breach whose retention has ended into a review task: nothing
// is deleted.
func (b *Breach) RaiseReview(a Actor) (Event, bool) {
	if b.ErasedAt != nil || b.Status != BreachClosed || b.ReviewDue.IsZero() || b.ReviewDue.After(calendar.DateOf(a.Now)) {
		return Event{}, false
	}
	at := a.Now
	b.Status, b.ReviewAt = BreachReviewDue, &at
	return Event{Type: "breach.review_due", Detail: map[string]any{"review_due": b.ReviewDue.String()}}, true
}

// Review records the DPO's review: keep the record to a later review date, or erase its
// personal data.
func (b *Breach) Review(decision, reason string, keepYears int, a Actor) (Event, error) {
	if err := b.allow("review", BreachReviewDue); err != nil {
		return Event{}, err
	}
	if trimmed(reason) == "" {
		return Event{}, &ValidationError{Field: "reason", Detail: "say why"}
	}
	r := BreachReview{Decision: decision, Reason: reason, By: a.Officer, At: a.Now, Completed: true}
	switch decision {
	case "keep":
		if keepYears < 1 || keepYears > 10 {
			return Event{}, &ValidationError{Field: "keep_years", Detail: "keep it 1 to 10 more years before the next review"}
		}
		r.NextDue = a.Cal.AddYears(a.Now, keepYears).DueDate
		b.Status, b.ReviewDue, b.ReviewAt = BreachClosed, r.NextDue, nil
	case "erase":
		if keepYears != 0 {
			// An erased record has no next review: the years would be dropped unread.
			return Event{}, &ValidationError{Field: "keep_years", Detail: "is only for a record kept: leave it out when erasing"}
		}
		at := a.Now
		b.ErasedAt = &at
		b.Nature, b.Released, b.ReleasedTo, b.ReportedBy, b.AffectedContacts = "", "", "", Person{}, nil
		if b.Assessment != nil {
			b.Assessment.Reason, b.Assessment.TellReason = "", ""
		}
		if b.Report != nil {
			b.Report.Consequences, b.Report.Measures, b.Report.LateReason = "", "", ""
		}
		r.Reason = ""
		b.Status, b.ReviewDue, b.ReviewAt = BreachClosed, calendar.Date{}, nil
	default:
		return Event{}, &ValidationError{Field: "decision", Detail: "keep or erase"}
	}
	b.Reviews = append(b.Reviews, r)
	return Event{Type: "breach.reviewed", Detail: map[string]any{"decision": decision}}, nil
}
