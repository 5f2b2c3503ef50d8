package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/services/rights/internal/domain"
)

// requestRow is a request as stored: rights_requests joined with its personal data row
// (absent once erased). Domain types carry no db or json tags; these do. The contract
// types of casework.dev/contracts/rights are stored as they travel.
type requestRow struct {
	ID               string         `db:"id"`
	Reference        string         `db:"reference"`
	Kind             string         `db:"kind"`
	Status           string         `db:"status"`
	Phase            string         `db:"phase"`
	Awaiting         string         `db:"awaiting"`
	IdentityVerified bool           `db:"identity_verified"`
	ReceivedAt       time.Time      `db:"received_at"`
	Deadline         []byte         `db:"deadline"`
	Extension        []byte         `db:"extension"`
	Lift             []byte         `db:"lift"`
	OverdueAt        *time.Time     `db:"overdue_at"`
	Search           []byte         `db:"search"`
	Action           []byte         `db:"action"`
	ConfirmedBy      string         `db:"confirmed_by"`
	ConfirmedAt      *time.Time     `db:"confirmed_at"`
	Notices          []byte         `db:"notices"`
	Closure          []byte         `db:"closure"`
	RetentionDue     *calendar.Date `db:"retention_due"`
	ErasedAt         *time.Time     `db:"erased_at"`
	Version          int            `db:"version"`

	Requester       []byte         `db:"requester"`
	Subject         []byte         `db:"subject"`
	Representative  []byte         `db:"representative"`
	Identity        []byte         `db:"identity"`
	Details         sql.NullString `db:"details"`
	Rectification   []byte         `db:"rectification"`
	ExtensionReason sql.NullString `db:"extension_reason"`
	Candidates      []byte         `db:"candidates"`
	Matches         []byte         `db:"matches"`
	Exports         []byte         `db:"exports"`
	Outcomes        []byte         `db:"outcomes"`
}

type personRow struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

type representativeRow struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	Authority    string `json:"authority,omitempty"`
}

type identityRow struct {
	Method     string     `json:"method,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	VerifiedBy string     `json:"verified_by,omitempty"`
}

type rectificationRow struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// liftRow is a restriction lifted: when and how the person was told, who lifted it.
type liftRow struct {
	ToldOn  calendar.Date `json:"told_on"`
	ToldHow string        `json:"told_how"`
	By      string        `json:"by"`
	At      time.Time     `json:"at"`
}

// extensionRow holds no reason: that may name people and lives with the personal data.
type extensionRow struct {
	Months  int           `json:"months"`
	ToldOn  calendar.Date `json:"told_on"`
	ToldHow string        `json:"told_how"`
	By      string        `json:"by"`
	At      time.Time     `json:"at"`
}

type stepRow struct {
	Service       string     `json:"service"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	LastTriedAt   *time.Time `json:"last_tried_at,omitempty"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	AnsweredAt    *time.Time `json:"answered_at,omitempty"`
}

type fanOutRow struct {
	Verb      string    `json:"verb"`
	StartedAt time.Time `json:"started_at"`
	Steps     []stepRow `json:"steps"`
}

type noticeRow struct {
	ID                   string     `json:"id"`
	Service              string     `json:"service"`
	OriginalDisclosureID string     `json:"original_disclosure_id"`
	OriginalDisclosedAt  time.Time  `json:"original_disclosed_at"`
	Recipient            string     `json:"recipient"`
	Action               string     `json:"action"`
	SentAt               time.Time  `json:"sent_at"`
	Refused              string     `json:"refused,omitempty"`
	AcknowledgedAt       *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy       string     `json:"acknowledged_by,omitempty"`
}

type closureRow struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Outcome string    `json:"outcome"`
	Ground  string    `json:"ground,omitempty"`
	Reasons string    `json:"reasons,omitempty"`
	OnTime  bool      `json:"on_time"`
}

type matchRow struct {
	Service  string `json:"service"`
	RecordID string `json:"record_id"`
}

type candidateRow struct {
	Service string `json:"service"`
	rights.Candidate
}

type exportRow struct {
	Service string          `json:"service"`
	Records []rights.Record `json:"records"`
}

type outcomeRow struct {
	Service string `json:"service"`
	Verb    string `json:"verb"`
	rights.Outcome
}

// unmarshalInto decodes a JSON column into dst when it holds anything.
func unmarshalInto(raw []byte, dst any, what string) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (row requestRow) toDomain() (*domain.Request, error) {
	r := &domain.Request{ID: row.ID, Reference: row.Reference, Kind: domain.Kind(row.Kind), Status: domain.Status(row.Status),
		Phase: domain.Phase(row.Phase), Awaiting: domain.Awaiting(row.Awaiting), ReceivedAt: row.ReceivedAt.UTC(),
		OverdueAt: postgres.UTCPtr(row.OverdueAt), ConfirmedBy: row.ConfirmedBy, ConfirmedAt: postgres.UTCPtr(row.ConfirmedAt), ErasedAt: postgres.UTCPtr(row.ErasedAt),
		Version: row.Version}
	r.Identity.Verified = row.IdentityVerified
	if row.RetentionDue != nil {
		r.RetentionDue = *row.RetentionDue
	}
	var (
		ext            *extensionRow
		lift           *liftRow
		search, action *fanOutRow
		notices        []noticeRow
		closure        *closureRow
		requester      personRow
		rep            *representativeRow
		identity       identityRow
		rect           *rectificationRow
		matches        []matchRow
		candidates     []candidateRow
		exports        []exportRow
		outcomes       []outcomeRow
		decodeErr      error
		decode         = func(raw []byte, dst any, what string) {
			if decodeErr == nil {
				decodeErr = unmarshalInto(raw, dst, what)
			}
		}
	)
	decode(row.Deadline, &r.Deadline, "deadline")
	decode(row.Extension, &ext, "extension")
	decode(row.Lift, &lift, "lift")
	decode(row.Search, &search, "search")
	decode(row.Action, &action, "action")
	decode(row.Notices, &notices, "notices")
	decode(row.Closure, &closure, "closure")
	decode(row.Requester, &requester, "requester")
	decode(row.Subject, &r.Subject, "subject")
	decode(row.Representative, &rep, "representative")
	decode(row.Identity, &identity, "identity")
	decode(row.Rectification, &rect, "rectification")
	decode(row.Candidates, &candidates, "candidates")
	decode(row.Matches, &matches, "matches")
	decode(row.Exports, &exports, "exports")
	decode(row.Outcomes, &outcomes, "outcomes")
	if decodeErr != nil {
		return nil, fmt.Errorf("request %s: %w", row.ID, decodeErr)
	}
	r.Requester = domain.Person{Name: requester.Name, Email: requester.Email, Phone: requester.Phone, Address: requester.Address}
	if rep != nil {
		r.Representative = &domain.Representative{Name: rep.Name, Organisation: rep.Organisation, Authority: rep.Authority}
	}
	r.Identity.Method, r.Identity.VerifiedAt, r.Identity.VerifiedBy = identity.Method, postgres.UTCPtr(identity.VerifiedAt), identity.VerifiedBy
	r.Details = row.Details.String
	if rect != nil {
		r.Rectification = &domain.Rectification{Field: rect.Field, Value: rect.Value}
	}
	if ext != nil {
		r.Extension = &domain.Extension{Months: ext.Months, Reason: row.ExtensionReason.String, ToldOn: ext.ToldOn, ToldHow: ext.ToldHow, By: ext.By, At: ext.At.UTC()}
	}
	if l := lift; l != nil {
		r.Lift = &domain.Lift{ToldOn: l.ToldOn, ToldHow: l.ToldHow, By: l.By, At: l.At.UTC()}
	}
	r.Search, r.Action = fanOutOf(search), fanOutOf(action)
	for _, n := range notices {
		r.Notices = append(r.Notices, domain.Article19Notice{ID: n.ID, Service: n.Service, OriginalDisclosureID: n.OriginalDisclosureID,
			OriginalDisclosedAt: n.OriginalDisclosedAt.UTC(), Recipient: n.Recipient, Action: n.Action, SentAt: n.SentAt.UTC(),
			Refused: n.Refused, AcknowledgedAt: postgres.UTCPtr(n.AcknowledgedAt), AcknowledgedBy: n.AcknowledgedBy})
	}
	if closure != nil {
		r.Closed = &domain.Closure{At: closure.At.UTC(), By: closure.By, Outcome: domain.Status(closure.Outcome), Ground: closure.Ground, Reasons: closure.Reasons, OnTime: closure.OnTime}
	}
	for _, m := range matches {
		r.Matches = append(r.Matches, domain.Match{Service: m.Service, RecordID: m.RecordID})
	}
	for _, c := range candidates {
		r.Candidates = append(r.Candidates, domain.ServiceCandidate{Service: c.Service, Candidate: c.Candidate})
	}
	for _, e := range exports {
		r.Exports = append(r.Exports, domain.ServiceRecords{Service: e.Service, Records: e.Records})
	}
	for _, o := range outcomes {
		r.Outcomes = append(r.Outcomes, domain.ServiceOutcome{Service: o.Service, Verb: o.Verb, Outcome: o.Outcome})
	}
	return r, nil
}

func fanOutOf(row *fanOutRow) *domain.FanOut {
	if row == nil {
		return nil
	}
	f := &domain.FanOut{Verb: row.Verb, StartedAt: row.StartedAt.UTC()}
	for _, s := range row.Steps {
		f.Steps = append(f.Steps, domain.Step{Service: s.Service, State: domain.StepState(s.State), Attempts: s.Attempts,
			LastError: s.LastError, LastTriedAt: postgres.UTCPtr(s.LastTriedAt), NextAttemptAt: s.NextAttemptAt.UTC(), AnsweredAt: postgres.UTCPtr(s.AnsweredAt)})
	}
	return f
}

func fanOutRowOf(f *domain.FanOut) *fanOutRow {
	if f == nil {
		return nil
	}
	row := &fanOutRow{Verb: f.Verb, StartedAt: f.StartedAt, Steps: []stepRow{}}
	for _, s := range f.Steps {
		row.Steps = append(row.Steps, stepRow{Service: s.Service, State: string(s.State), Attempts: s.Attempts, LastError: s.LastError,
			LastTriedAt: s.LastTriedAt, NextAttemptAt: s.NextAttemptAt, AnsweredAt: s.AnsweredAt})
	}
	return row
}

// storedRequest is a request as the statements write it: JSON for the JSONB columns.
type storedRequest struct {
	deadline, extension, lift, search, action, notices, closure []byte
	requester, subject, representative, identity, rectification []byte
	candidates, matches, exports, outcomes                      []byte
	extensionMonths                                             int
	extensionReason                                             string
	retryAt                                                     *time.Time
	retention                                                   *calendar.Date
}

func storedOf(r *domain.Request) (storedRequest, error) {
	var (
		s   storedRequest
		err error
	)
	enc := func(v any) []byte {
		if err != nil {
			return nil
		}
		var b []byte
		b, err = json.Marshal(v)
		return b
	}
	s.deadline = enc(r.Deadline)
	if e := r.Extension; e != nil {
		s.extension = enc(extensionRow{Months: e.Months, ToldOn: e.ToldOn, ToldHow: e.ToldHow, By: e.By, At: e.At})
		s.extensionMonths, s.extensionReason = e.Months, e.Reason
	}
	if l := r.Lift; l != nil {
		s.lift = enc(liftRow{ToldOn: l.ToldOn, ToldHow: l.ToldHow, By: l.By, At: l.At})
	}
	if f := fanOutRowOf(r.Search); f != nil {
		s.search = enc(f)
	}
	if f := fanOutRowOf(r.Action); f != nil {
		s.action = enc(f)
	}
	notices := []noticeRow{}
	for _, n := range r.Notices {
		notices = append(notices, noticeRow{ID: n.ID, Service: n.Service, OriginalDisclosureID: n.OriginalDisclosureID,
			OriginalDisclosedAt: n.OriginalDisclosedAt, Recipient: n.Recipient, Action: n.Action, SentAt: n.SentAt, Refused: n.Refused,
			AcknowledgedAt: n.AcknowledgedAt, AcknowledgedBy: n.AcknowledgedBy})
	}
	s.notices = enc(notices)
	if c := r.Closed; c != nil {
		s.closure = enc(closureRow{At: c.At, By: c.By, Outcome: string(c.Outcome), Ground: c.Ground, Reasons: c.Reasons, OnTime: c.OnTime})
	}
	p := r.Requester
	s.requester = enc(personRow{Name: p.Name, Email: p.Email, Phone: p.Phone, Address: p.Address})
	s.subject = enc(r.Subject)
	if rep := r.Representative; rep != nil {
		s.representative = enc(representativeRow{Name: rep.Name, Organisation: rep.Organisation, Authority: rep.Authority})
	}
	s.identity = enc(identityRow{Method: r.Identity.Method, VerifiedAt: r.Identity.VerifiedAt, VerifiedBy: r.Identity.VerifiedBy})
	if rc := r.Rectification; rc != nil {
		s.rectification = enc(rectificationRow{Field: rc.Field, Value: rc.Value})
	}
	candidates, matches, exports, outcomes := []candidateRow{}, []matchRow{}, []exportRow{}, []outcomeRow{}
	for _, c := range r.Candidates {
		candidates = append(candidates, candidateRow{Service: c.Service, Candidate: c.Candidate})
	}
	for _, m := range r.Matches {
		matches = append(matches, matchRow{Service: m.Service, RecordID: m.RecordID})
	}
	for _, e := range r.Exports {
		exports = append(exports, exportRow{Service: e.Service, Records: e.Records})
	}
	for _, o := range r.Outcomes {
		outcomes = append(outcomes, outcomeRow{Service: o.Service, Verb: o.Verb, Outcome: o.Outcome})
	}
	s.candidates, s.matches, s.exports, s.outcomes = enc(candidates), enc(matches), enc(exports), enc(outcomes)
	if next := r.NextAttemptAt(); !next.IsZero() {
		s.retryAt = &next
	}
	if !r.RetentionDue.IsZero() {
		s.retention = &r.RetentionDue
	}
	return s, err
}
