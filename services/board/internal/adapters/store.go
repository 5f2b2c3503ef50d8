package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
)

// ChangesChannel is the PostgreSQL notification channel on which a committed change names
// the service whose figures moved.
const ChangesChannel = "board_changed"

// caseRow is a board_cases row.
type caseRow struct {
	Service      string         `db:"service"`
	Reference    string         `db:"reference"`
	Stage        string         `db:"stage"`
	Status       string         `db:"status"`
	Team         string         `db:"team"`
	Closed       bool           `db:"closed"`
	NextDueAt    *time.Time     `db:"next_due_at"`
	RespondDueAt *time.Time     `db:"respond_due_at"`
	Overdue      pq.StringArray `db:"overdue"`
	NextDue      string         `db:"next_due"`
	ReviewDueOn  sql.NullString `db:"review_due_on"`
	LastChange   string         `db:"last_change"`
	LastAt       time.Time      `db:"last_at"`
	LastEventID  string         `db:"last_event_id"`
}

func (r caseRow) domain() domain.Case {
	return domain.Case{Service: r.Service, Reference: r.Reference, Stage: r.Stage, Status: r.Status, Team: r.Team,
		Closed: r.Closed, NextDueAt: r.NextDueAt, RespondDueAt: r.RespondDueAt, Overdue: []string(r.Overdue),
		NextDue: r.NextDue, ReviewDueOn: r.ReviewDueOn.String, LastChange: r.LastChange, LastAt: r.LastAt, LastEventID: r.LastEventID}
}

// TxStore is the read model inside one consumer transaction.
type TxStore struct{ tx *sqlx.Tx }

// NewTxStore binds the store to tx.
func NewTxStore(tx *sqlx.Tx) TxStore { return TxStore{tx: tx} }

var _ app.CaseStore = TxStore{}

// caseColumns are board_cases' columns as caseRow reads them: a date as YYYY-MM-DD.
const caseColumns = `service, reference, stage, status, team, closed, next_due_at, respond_due_at, overdue, next_due,
	review_due_on::text AS review_due_on, last_change, last_at, last_event_id`

// Held reads the case and locks it, so two events of one case apply one after the other,
// whichever board instance consumes each. The lock is taken on the case's key, not its row:
// a row lock holds nothing while the case is new, and two instances would each find no case
// and the later commit would win, an older event rolling back a newer one.
func (s TxStore) Held(ctx context.Context, service, reference string) (*domain.Case, error) {
	if _, err := s.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('board_cases'), hashtext($1 || '/' || $2))`,
		service, reference); err != nil {
		return nil, err
	}
	var r caseRow
	err := s.tx.GetContext(ctx, &r, `SELECT `+caseColumns+` FROM board_cases WHERE service = $1 AND reference = $2 FOR UPDATE`,
		service, reference)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c := r.domain()
	return &c, nil
}

// Save writes the case as it now stands.
func (s TxStore) Save(ctx context.Context, c domain.Case) error {
	_, err := s.tx.ExecContext(ctx, `INSERT INTO board_cases
		(service, reference, stage, status, team, closed, next_due_at, respond_due_at, overdue, next_due, review_due_on,
			last_change, last_at, last_event_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULLIF($11, '')::date, $12, $13, $14)
		ON CONFLICT (service, reference) DO UPDATE SET stage = EXCLUDED.stage, status = EXCLUDED.status, team = EXCLUDED.team,
			closed = EXCLUDED.closed, next_due_at = EXCLUDED.next_due_at, respond_due_at = EXCLUDED.respond_due_at,
			overdue = EXCLUDED.overdue, next_due = EXCLUDED.next_due, review_due_on = EXCLUDED.review_due_on,
			last_change = EXCLUDED.last_change, last_at = EXCLUDED.last_at, last_event_id = EXCLUDED.last_event_id`,
		c.Service, c.Reference, c.Stage, c.Status, c.Team, c.Closed, c.NextDueAt, c.RespondDueAt, pq.StringArray(c.Overdue),
		c.NextDue, c.ReviewDueOn, c.LastChange, c.LastAt, c.LastEventID)
	return err
}

// SaveAnswer records a stage's response once.
func (s TxStore) SaveAnswer(ctx context.Context, a domain.Answer) error {
	_, err := s.tx.ExecContext(ctx, `INSERT INTO board_answers (service, reference, stage, answered_at, due_at, on_time)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, a.Service, a.Reference, a.Stage, a.AnsweredAt, a.DueAt, a.OnTime)
	return err
}

// Announce notifies every listening board instance when the transaction commits; never if
// it rolls back.
func (s TxStore) Announce(ctx context.Context, service string) error {
	_, err := s.tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, ChangesChannel, service)
	return err
}

// Reader answers the board's queries.
type Reader struct{ db *sqlx.DB }

// NewReader reads from db.
func NewReader(db *sqlx.DB) Reader { return Reader{db: db} }

var _ app.BoardReader = Reader{}

// The two deadline rules, shared by the figures and their drill-downs (domain.Case.IsOverdue
// and domain.FigureDueThisWeek); now and weekEnds name the query's parameters.
func overdueSQL(now string) string { return `(cardinality(overdue) > 0 OR next_due_at <= ` + now + `)` }

// A deadline at the instant the week ends (a whole day's deadline due on Sunday, which
// ends at that midnight) is still this week's.
func dueThisWeekSQL(now, weekEnds string) string {
	return `(cardinality(overdue) = 0 AND next_due_at > ` + now + ` AND next_due_at <= ` + weekEnds + `)`
}

// OpenByStage counts open cases by service and stage.
func (r Reader) OpenByStage(ctx context.Context, services []string) ([]app.StageCount, error) {
	out := []app.StageCount{}
	err := r.db.SelectContext(ctx, &out, `SELECT service, stage, count(*) AS open FROM board_cases
		WHERE NOT closed AND service = ANY($1) GROUP BY service, stage ORDER BY service, stage`, pq.StringArray(services))
	return out, err
}

// Deadlines counts, by service, open cases due before weekEnds and open cases overdue at now.
func (r Reader) Deadlines(ctx context.Context, services []string, now, weekEnds time.Time) ([]app.DeadlineCount, error) {
	out := []app.DeadlineCount{}
	err := r.db.SelectContext(ctx, &out, `SELECT service,
			count(*) FILTER (WHERE `+dueThisWeekSQL("$2", "$3")+`) AS due_this_week,
			count(*) FILTER (WHERE `+overdueSQL("$2")+`) AS overdue
		FROM board_cases WHERE NOT closed AND service = ANY($1) GROUP BY service`, pq.StringArray(services), now, weekEnds)
	return out, err
}

// Answers counts, by service, the stage responses given in month and those on time.
func (r Reader) Answers(ctx context.Context, services []string, month domain.Period) ([]app.AnswerCount, error) {
	out := []app.AnswerCount{}
	err := r.db.SelectContext(ctx, &out, `SELECT service, count(*) AS answered, count(*) FILTER (WHERE on_time) AS on_time
		FROM board_answers WHERE service = ANY($1) AND answered_at >= $2 AND answered_at < $3 GROUP BY service`,
		pq.StringArray(services), month.From, month.To)
	return out, err
}

// NextDeadline is the earliest deadline of an open case of services after after.
func (r Reader) NextDeadline(ctx context.Context, services []string, after time.Time) (*time.Time, error) {
	var next *time.Time
	err := r.db.GetContext(ctx, &next, `SELECT min(next_due_at) FROM board_cases
		WHERE NOT closed AND service = ANY($1) AND next_due_at > $2`, pq.StringArray(services), after)
	return next, err
}

type drillRow struct {
	Reference  string         `db:"reference"`
	Stage      string         `db:"stage"`
	Status     string         `db:"status"`
	Team       string         `db:"team"`
	NextDueAt  *time.Time     `db:"next_due_at"`
	Overdue    pq.StringArray `db:"overdue"`
	NextDue    string         `db:"next_due"`
	ReviewOn   sql.NullString `db:"review_due_on"`
	Closed     bool           `db:"closed"`
	AnsweredAt *time.Time     `db:"answered_at"`
	OnTime     *bool          `db:"on_time"`
}

// Cases lists the cases behind one figure.
func (r Reader) Cases(ctx context.Context, q app.CaseQuery, now time.Time, week, month domain.Period) ([]app.CaseRow, error) {
	// $1 service, $2 stage ('' for every stage), $3 limit; $4 and $5 as each figure needs.
	const cases = `SELECT reference, stage, status, team, next_due_at, overdue, next_due, review_due_on::text AS review_due_on, closed,
			NULL::timestamptz AS answered_at, NULL::boolean AS on_time
		FROM board_cases WHERE service = $1 AND NOT closed AND ($2 = '' OR stage = $2) AND %s
		ORDER BY next_due_at NULLS LAST, reference LIMIT $3`
	const answers = `SELECT a.reference, a.stage, COALESCE(c.status, '') AS status, COALESCE(c.team, '') AS team,
			c.next_due_at, COALESCE(c.overdue, '{}') AS overdue, COALESCE(c.next_due, '') AS next_due,
			c.review_due_on::text AS review_due_on, COALESCE(c.closed, true) AS closed, a.answered_at, a.on_time
		FROM board_answers a LEFT JOIN board_cases c USING (service, reference)
		WHERE a.service = $1 AND ($2 = '' OR a.stage = $2) AND a.answered_at >= $4 AND a.answered_at < $5 AND %s
		ORDER BY a.answered_at DESC, a.reference LIMIT $3`
	args := []any{q.Service, q.Stage, q.Limit}
	var query string
	switch q.Figure {
	case domain.FigureOpen:
		query = fmt.Sprintf(cases, "TRUE")
	case domain.FigureDueThisWeek:
		query, args = fmt.Sprintf(cases, dueThisWeekSQL("$4", "$5")), append(args, now, week.To)
	case domain.FigureOverdue:
		query, args = fmt.Sprintf(cases, overdueSQL("$4")), append(args, now)
	case domain.FigureAnswered:
		query, args = fmt.Sprintf(answers, "TRUE"), append(args, month.From, month.To)
	case domain.FigureAnsweredOnTime:
		query, args = fmt.Sprintf(answers, "a.on_time"), append(args, month.From, month.To)
	default:
		return nil, fmt.Errorf("unknown figure %q", q.Figure)
	}
	var rows []drillRow
	if err := r.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, err
	}
	out := make([]app.CaseRow, len(rows))
	for i, row := range rows {
		held := domain.Case{Closed: row.Closed, NextDueAt: row.NextDueAt, Overdue: []string(row.Overdue), NextDue: row.NextDue}
		out[i] = app.CaseRow{Reference: row.Reference, Stage: row.Stage, Status: row.Status, Team: row.Team,
			NextDueAt: row.NextDueAt, NextDue: row.NextDue, Overdue: held.Passed(now), ReviewDueOn: row.ReviewOn.String,
			AnsweredAt: row.AnsweredAt, OnTime: row.OnTime}
	}
	return out, nil
}
