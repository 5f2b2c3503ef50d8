package adapters

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// Breaches implements app.Breaches over PostgreSQL.
type Breaches struct{ cases[*domain.Breach] }

// NewBreaches builds the breach register's repository.
func NewBreaches(db *sqlx.DB, relay Notifier) *Breaches {
	return &Breaches{cases[*domain.Breach]{caseStore[*domain.Breach]{db: db, relay: relay, load: loadBreach, save: saveBreach,
		messages: breachMessages, id: func(b *domain.Breach) string { return b.ID }, bump: func(b *domain.Breach) { b.Version++ },
		readAction: "breach.read", reference: casestore.Reference{Sequence: "rights_breach_reference_seq", Prefix: "BR"}}}}
}

var _ app.Breaches = (*Breaches)(nil)

// breachRow is a breach as stored, with its personal data row (absent once erased).
type breachRow struct {
	ID                 string         `db:"id"`
	Reference          string         `db:"reference"`
	Status             string         `db:"status"`
	Confirmed          bool           `db:"confirmed"`
	DiscoveredAt       time.Time      `db:"discovered_at"`
	AwareAt            time.Time      `db:"aware_at"`
	CategoriesAffected pq.StringArray `db:"categories_affected"`
	PeopleAffected     int            `db:"people_affected"`
	RecordsAffected    int            `db:"records_affected"`
	Deadline           []byte         `db:"deadline"`
	Assessment         []byte         `db:"assessment"`
	Report             []byte         `db:"report"`
	PeopleTold         []byte         `db:"people_told"`
	OverdueAt          *time.Time     `db:"overdue_at"`
	ClosedAt           *time.Time     `db:"closed_at"`
	ClosedBy           string         `db:"closed_by"`
	ReviewDue          *calendar.Date `db:"review_due"`
	ReviewAt           *time.Time     `db:"review_at"`
	Reviews            []byte         `db:"reviews"`
	ErasedAt           *time.Time     `db:"erased_at"`
	Version            int            `db:"version"`

	Nature           sql.NullString `db:"nature"`
	Released         sql.NullString `db:"released"`
	ReleasedTo       sql.NullString `db:"released_to"`
	ReportedBy       []byte         `db:"reported_by"`
	AffectedContacts []byte         `db:"affected_contacts"`
	Words            []byte         `db:"words"`
}

// assessmentRow holds the decisions; their reasons live with the personal data.
type assessmentRow struct {
	Reportable bool      `json:"reportable"`
	HighRisk   bool      `json:"high_risk"`
	TellPeople bool      `json:"tell_people"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

type breachReportRow struct {
	DisclosureID string    `json:"disclosure_id"`
	OnTime       bool      `json:"on_time"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

type peopleToldRow struct {
	On     calendar.Date `json:"on"`
	Method string        `json:"method"`
	Count  int           `json:"count"`
	By     string        `json:"by"`
	At     time.Time     `json:"at"`
}

type breachReviewRow struct {
	Decision string        `json:"decision"`
	NextDue  calendar.Date `json:"next_due"`
	By       string        `json:"by"`
	At       time.Time     `json:"at"`
}

// breachWordsRow are the officers' words about the breach, which may name people.
type breachWordsRow struct {
	Reason        string   `json:"reason,omitempty"`
	TellReason    string   `json:"tell_reason,omitempty"`
	Consequences  string   `json:"consequences,omitempty"`
	Measures      string   `json:"measures,omitempty"`
	LateReason    string   `json:"late_reason,omitempty"`
	ReviewReasons []string `json:"review_reasons,omitempty"`
}

const loadBreachSQL = `
SELECT c.id, c.reference, c.status, c.confirmed, c.discovered_at, c.aware_at, c.categories_affected, c.people_affected,
    c.records_affected, c.deadline, c.assessment, c.report, c.people_told, c.overdue_at, c.closed_at, c.closed_by, c.review_due,
    c.review_at, c.reviews, c.erased_at, c.version,
    p.nature, p.released, p.released_to, p.reported_by, p.affected_contacts, p.words
FROM rights_breaches c LEFT JOIN rights_breach_personal_data p ON p.breach_id = c.id
WHERE c.id = $1`

func loadBreach(ctx context.Context, q sqlx.QueryerContext, id, lock string) (*domain.Breach, error) {
	var row breachRow
	if err := casestore.GetCase(ctx, q, &row, domain.ErrBreachNotFound, loadBreachSQL+lock, id); err != nil {
		return nil, err
	}
	b := &domain.Breach{ID: row.ID, Reference: row.Reference, Status: domain.BreachStatus(row.Status), Confirmed: row.Confirmed,
		DiscoveredAt: row.DiscoveredAt.UTC(), AwareAt: row.AwareAt.UTC(), CategoriesAffected: row.CategoriesAffected,
		PeopleAffected: row.PeopleAffected, RecordsAffected: row.RecordsAffected, OverdueAt: postgres.UTCPtr(row.OverdueAt),
		ClosedAt: postgres.UTCPtr(row.ClosedAt), ClosedBy: row.ClosedBy, ReviewAt: postgres.UTCPtr(row.ReviewAt), ErasedAt: postgres.UTCPtr(row.ErasedAt),
		Nature: row.Nature.String, Released: row.Released.String, ReleasedTo: row.ReleasedTo.String, Version: row.Version}
	if row.ReviewDue != nil {
		b.ReviewDue = *row.ReviewDue
	}
	var (
		assessment *assessmentRow
		report     *breachReportRow
		told       *peopleToldRow
		reviews    []breachReviewRow
		reporter   personRow
		contacts   []personRow
		words      breachWordsRow
	)
	for _, d := range []struct {
		raw  []byte
		dst  any
		what string
	}{{row.Deadline, &b.Deadline, "deadline"}, {row.Assessment, &assessment, "assessment"}, {row.Report, &report, "report"},
		{row.PeopleTold, &told, "people told"}, {row.Reviews, &reviews, "reviews"}, {row.ReportedBy, &reporter, "reported by"},
		{row.AffectedContacts, &contacts, "affected contacts"}, {row.Words, &words, "words"}} {
		if err := unmarshalInto(d.raw, d.dst, d.what); err != nil {
			return nil, fmt.Errorf("breach %s: %w", row.ID, err)
		}
	}
	b.ReportedBy = personOf(reporter)
	for _, c := range contacts {
		b.AffectedContacts = append(b.AffectedContacts, personOf(c))
	}
	if a := assessment; a != nil {
		b.Assessment = &domain.Assessment{Reportable: a.Reportable, Reason: words.Reason, HighRisk: a.HighRisk, TellPeople: a.TellPeople,
			TellReason: words.TellReason, By: a.By, At: a.At.UTC()}
	}
	if r := report; r != nil {
		b.Report = &domain.BreachReport{DisclosureID: r.DisclosureID, Consequences: words.Consequences, Measures: words.Measures,
			LateReason: words.LateReason, OnTime: r.OnTime, By: r.By, At: r.At.UTC()}
	}
	if t := told; t != nil {
		b.PeopleTold = &domain.PeopleTold{On: t.On, Method: t.Method, Count: t.Count, By: t.By, At: t.At.UTC()}
	}
	for i, r := range reviews {
		rv := domain.BreachReview{Decision: r.Decision, NextDue: r.NextDue, By: r.By, At: r.At.UTC(), Completed: true}
		if i < len(words.ReviewReasons) {
			rv.Reason = words.ReviewReasons[i]
		}
		b.Reviews = append(b.Reviews, rv)
	}
	return b, nil
}

func personOf(p personRow) domain.Person {
	return domain.Person{Name: p.Name, Email: p.Email, Phone: p.Phone, Address: p.Address}
}

func personRowOf(p domain.Person) personRow {
	return personRow{Name: p.Name, Email: p.Email, Phone: p.Phone, Address: p.Address}
}

func saveBreach(ctx context.Context, tx *sqlx.Tx, b *domain.Breach, at time.Time) error {
	var (
		words  breachWordsRow
		failed error
	)
	enc := func(v any) []byte {
		raw, err := json.Marshal(v)
		if failed == nil {
			failed = err
		}
		return raw
	}
	var assessment, report, told []byte
	if a := b.Assessment; a != nil {
		assessment = enc(assessmentRow{Reportable: a.Reportable, HighRisk: a.HighRisk, TellPeople: a.TellPeople, By: a.By, At: a.At})
		words.Reason, words.TellReason = a.Reason, a.TellReason
	}
	if r := b.Report; r != nil {
		report = enc(breachReportRow{DisclosureID: r.DisclosureID, OnTime: r.OnTime, By: r.By, At: r.At})
		words.Consequences, words.Measures, words.LateReason = r.Consequences, r.Measures, r.LateReason
	}
	if t := b.PeopleTold; t != nil {
		told = enc(peopleToldRow{On: t.On, Method: t.Method, Count: t.Count, By: t.By, At: t.At})
	}
	reviews := []breachReviewRow{}
	for _, r := range b.Reviews {
		reviews = append(reviews, breachReviewRow{Decision: r.Decision, NextDue: r.NextDue, By: r.By, At: r.At})
		words.ReviewReasons = append(words.ReviewReasons, r.Reason)
	}
	contacts := []personRow{}
	for _, c := range b.AffectedContacts {
		contacts = append(contacts, personRowOf(c))
	}
	deadline, reviewsRaw, wordsRaw, reporter, contactsRaw := enc(b.Deadline), enc(reviews), enc(words), enc(personRowOf(b.ReportedBy)), enc(contacts)
	if failed != nil {
		return fmt.Errorf("breach %s: %w", b.ID, failed)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rights_breaches SET status = $2, deadline = $3, due_at = $4, assessment = $5,
		report = $6, people_told = $7, overdue_at = $8, closed_at = $9, closed_by = $10, review_due = $11, review_at = $12,
		reviews = $13, erased_at = $14, updated_at = $15, version = $16 WHERE id = $1`,
		b.ID, b.Status, deadline, b.Deadline.Due, assessment, report, told, b.OverdueAt, b.ClosedAt, b.ClosedBy, dateOrNil(b.ReviewDue),
		b.ReviewAt, reviewsRaw, b.ErasedAt, at, b.Version); err != nil {
		return fmt.Errorf("save breach %s: %w", b.ID, err)
	}
	var err error
	if b.ErasedAt != nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM rights_breach_personal_data WHERE breach_id = $1`, b.ID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE rights_breach_personal_data SET nature = $2, released = $3, released_to = $4,
			reported_by = $5, affected_contacts = $6, words = $7 WHERE breach_id = $1`,
			b.ID, b.Nature, b.Released, b.ReleasedTo, reporter, contactsRaw, wordsRaw)
	}
	if err != nil {
		return fmt.Errorf("save personal data of breach %s: %w", b.ID, err)
	}
	return nil
}

func dateOrNil(d calendar.Date) *calendar.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func breachMessages(b *domain.Breach, ch app.Change) ([]messaging.Message, error) {
	// The review date is a date, no personal data: managers see when the record is next
	// reviewed, and its review as a deadline (DueAt) once raised.
	var reviewDueOn string
	if !b.ReviewDue.IsZero() {
		reviewDueOn = b.ReviewDue.String()
	}
	return caseMessages(caseFacts{id: b.ID, reference: b.Reference, kind: "breach", status: string(b.Status), due: b.DueAt(),
		overdue: b.OverdueAt != nil && b.ReportAwaited(), reviewDueOn: reviewDueOn}, "breaches", ch)
}

// Add stores a new breach.
func (q *Breaches) Add(ctx context.Context, b *domain.Breach, ch app.Change) error {
	return q.store.insert(ctx, b, ch, b.AwareAt, func(tx *sqlx.Tx, reference string) error {
		b.Reference = reference
		if _, err := tx.ExecContext(ctx, `INSERT INTO rights_breaches (id, reference, status, confirmed, discovered_at, aware_at,
			categories_affected, people_affected, records_affected, deadline, due_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', $10, $11, 0)`,
			b.ID, b.Reference, b.Status, b.Confirmed, b.DiscoveredAt, b.AwareAt, pq.Array(b.CategoriesAffected), b.PeopleAffected,
			b.RecordsAffected, b.Deadline.Due, ch.At); err != nil {
			return fmt.Errorf("insert breach: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rights_breach_personal_data (breach_id, nature, reported_by) VALUES ($1, '', '{}')`, b.ID); err != nil {
			return fmt.Errorf("insert breach personal data: %w", err)
		}
		return nil
	})
}

// List returns breaches by reference, without personal data.
func (q *Breaches) List(ctx context.Context, f app.Filter) ([]app.BreachSummary, error) {
	type summaryRow struct {
		ID             string         `db:"id"`
		Reference      string         `db:"reference"`
		Status         string         `db:"status"`
		Confirmed      bool           `db:"confirmed"`
		AwareAt        time.Time      `db:"aware_at"`
		DueAt          time.Time      `db:"due_at"`
		PeopleAffected int            `db:"people_affected"`
		Reported       bool           `db:"reported"`
		ReviewDue      *calendar.Date `db:"review_due"`
	}
	var found []summaryRow
	err := q.store.db.SelectContext(ctx, &found, `SELECT id, reference, status, confirmed, aware_at, due_at, people_affected,
		report IS NOT NULL AS reported, review_due FROM rights_breaches
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR reference > $2) ORDER BY reference LIMIT $3`, f.Status, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list breaches: %w", err)
	}
	out := make([]app.BreachSummary, len(found))
	for i, r := range found {
		out[i] = app.BreachSummary{ID: r.ID, Reference: r.Reference, Status: r.Status, Confirmed: r.Confirmed, AwareAt: r.AwareAt.UTC(),
			ReportDueAt: r.DueAt.UTC(), PeopleAffected: r.PeopleAffected, Reported: r.Reported, ReviewDue: r.ReviewDue}
	}
	return out, nil
}

// DueForOverdue lists open breaches whose 72 hours have passed unreported (a report at the
// 72nd hour itself is on time, domain.Breach.reportLate) while a report is owed
// (domain.Breach.ReportAwaited): one assessed as not reportable owes none, and a page of
// them at the head of the list would hold back every breach after it.
func (q *Breaches) DueForOverdue(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_breaches WHERE status = 'open' AND report IS NULL AND overdue_at IS NULL
		AND due_at < $1 AND (assessment IS NULL OR (assessment->>'reportable')::boolean)
		ORDER BY due_at LIMIT $2`, now, limit)
}

// DueForReview lists closed breaches whose retention has ended.
func (q *Breaches) DueForReview(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_breaches WHERE status = 'closed' AND erased_at IS NULL AND review_due <= $1
		ORDER BY review_due LIMIT $2`, calendar.DateOf(now), limit)
}
