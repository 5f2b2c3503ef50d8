package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/domain"
)

// Row structs mirror the tables; the domain never sees them.

type complaintRow struct {
	ID                 string         `db:"id"`
	Reference          string         `db:"reference"`
	Stage              int            `db:"stage"`
	Status             string         `db:"status"`
	Service            string         `db:"service"`
	Channel            string         `db:"channel"`
	ReceivedAt         time.Time      `db:"received_at"`
	AnonymityRequested bool           `db:"anonymity_requested"`
	Stage1Handler      string         `db:"stage1_handler"`
	Stage2Handler      sql.NullString `db:"stage2_handler"`
	Stage1Outcome      sql.NullString `db:"stage1_outcome"`
	Stage1RespondedAt  sql.NullTime   `db:"stage1_responded_at"`
	Stage1OnTime       sql.NullBool   `db:"stage1_on_time"`
	Stage1RespondedBy  sql.NullString `db:"stage1_responded_by"`
	Stage2Outcome      sql.NullString `db:"stage2_outcome"`
	Stage2RespondedAt  sql.NullTime   `db:"stage2_responded_at"`
	Stage2OnTime       sql.NullBool   `db:"stage2_on_time"`
	Stage2RespondedBy  sql.NullString `db:"stage2_responded_by"`
	ClosedAt           sql.NullTime   `db:"closed_at"`
	RetentionDue       sql.NullString `db:"retention_due"`
	LegalHoldReason    sql.NullString `db:"legal_hold_reason"`
	LegalHoldSetAt     sql.NullTime   `db:"legal_hold_set_at"`
	LegalHoldSetBy     sql.NullString `db:"legal_hold_set_by"`
	ErasedAt           sql.NullTime   `db:"erased_at"`
	Stage3             sql.NullString `db:"stage3"`
	Version            int            `db:"version"`
}

type personalRow struct {
	Name           string         `db:"name"`
	Address        string         `db:"address"`
	Phone          string         `db:"phone"`
	Email          string         `db:"email"`
	Details        string         `db:"details"`
	SpecialDetails string         `db:"special_details"`
	Stage2Details  string         `db:"stage2_details"`
	Stage1Summary  string         `db:"stage1_summary"`
	Stage1Remedies pq.StringArray `db:"stage1_remedies"`
	Stage2Summary  string         `db:"stage2_summary"`
	Stage2Remedies pq.StringArray `db:"stage2_remedies"`
	ClosureReason  string         `db:"closure_reason"`
	Stage3         sql.NullString `db:"stage3"`
}

type deadlineRow struct {
	Stage       int               `json:"stage"`
	Kind        string            `json:"kind"`
	DueAt       time.Time         `json:"due_at"`
	Computation calendar.Deadline `json:"computation"`
	MetAt       *time.Time        `json:"met_at"`
	MetBy       string            `json:"met_by"`
	ExtendedBy  string            `json:"extended_by"`
	OverdueAt   *time.Time        `json:"overdue_at"`
	EndedAt     *time.Time        `json:"ended_at"`
}

type consentRow struct {
	Recipient   string     `json:"recipient"`
	GivenAt     time.Time  `json:"given_at"`
	RecordedBy  string     `json:"recorded_by"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	Explicit    bool       `json:"explicit"`
}

// loadedRow is one complaint read in a single query.
type loadedRow struct {
	complaintRow
	UpdatedAt      time.Time      `db:"updated_at"`
	Name           sql.NullString `db:"name"`
	Address        sql.NullString `db:"address"`
	Phone          sql.NullString `db:"phone"`
	Email          sql.NullString `db:"email"`
	Details        sql.NullString `db:"details"`
	SpecialDetails sql.NullString `db:"special_details"`
	Stage2Details  sql.NullString `db:"stage2_details"`
	Stage1Summary  sql.NullString `db:"stage1_summary"`
	Stage1Remedies pq.StringArray `db:"stage1_remedies"`
	Stage2Summary  sql.NullString `db:"stage2_summary"`
	Stage2Remedies pq.StringArray `db:"stage2_remedies"`
	ClosureReason  sql.NullString `db:"closure_reason"`
	Stage3Texts    sql.NullString `db:"stage3_texts"`
	Deadlines      []byte         `db:"deadlines"`
	Consents       []byte         `db:"consents"`
}

func (r loadedRow) toDomain() (*domain.Complaint, error) {
	d, err := r.decode()
	if err != nil {
		return nil, err
	}
	return d.toDomain()
}

// decodedRow is a loaded row with its JSON columns decoded once, so a change's two copies
// of the case (as stored, and to edit) cost one decoding.
type decodedRow struct {
	loadedRow
	deadlines []deadlineRow
	consents  []consentRow
}

func (r loadedRow) decode() (decodedRow, error) {
	d := decodedRow{loadedRow: r}
	if err := json.Unmarshal(r.Deadlines, &d.deadlines); err != nil {
		return d, fmt.Errorf("deadlines of %s: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.Consents, &d.consents); err != nil {
		return d, fmt.Errorf("consents of %s: %w", r.ID, err)
	}
	return d, nil
}

// toDomain builds a complaint that shares nothing mutable with any other built from r.
func (r decodedRow) toDomain() (*domain.Complaint, error) {
	c := &domain.Complaint{
		ID: r.ID, Reference: r.Reference, Stage: r.Stage, Status: domain.Status(r.Status),
		Service: r.Service, Channel: r.Channel, ReceivedAt: r.ReceivedAt.UTC(),
		AnonymityRequested: r.AnonymityRequested, Stage1Handler: r.Stage1Handler, Stage2Handler: r.Stage2Handler.String,
		Complainant: domain.Complainant{Name: r.Name.String, Address: r.Address.String, Phone: r.Phone.String, Email: r.Email.String},
		Details:     r.Details.String, SpecialDetails: r.SpecialDetails.String, Stage2Details: r.Stage2Details.String, ClosureReason: r.ClosureReason.String,
		Responses: map[int]*domain.Response{}, Consents: map[string]domain.Consent{}, Version: r.Version,
		ChangedAt: r.UpdatedAt.UTC(),
	}
	if r.Stage1Outcome.Valid {
		c.Responses[1] = &domain.Response{Outcome: domain.Outcome(r.Stage1Outcome.String), Summary: r.Stage1Summary.String,
			Remedies: slices.Clone([]string(r.Stage1Remedies)), RespondedAt: r.Stage1RespondedAt.Time.UTC(), RespondedBy: r.Stage1RespondedBy.String, OnTime: r.Stage1OnTime.Bool}
	}
	if r.Stage2Outcome.Valid {
		c.Responses[2] = &domain.Response{Outcome: domain.Outcome(r.Stage2Outcome.String), Summary: r.Stage2Summary.String,
			Remedies: slices.Clone([]string(r.Stage2Remedies)), RespondedAt: r.Stage2RespondedAt.Time.UTC(), RespondedBy: r.Stage2RespondedBy.String, OnTime: r.Stage2OnTime.Bool}
	}
	c.ClosedAt = postgres.TimePtr(r.ClosedAt)
	c.ErasedAt = postgres.TimePtr(r.ErasedAt)
	if r.RetentionDue.Valid {
		d, err := calendar.ParseDate(r.RetentionDue.String[:10])
		if err != nil {
			return nil, fmt.Errorf("retention_due of %s: %w", r.ID, err)
		}
		c.RetentionDue = d
	}
	if r.LegalHoldReason.Valid {
		c.LegalHold = &domain.LegalHold{Reason: r.LegalHoldReason.String, SetAt: r.LegalHoldSetAt.Time.UTC(), SetBy: r.LegalHoldSetBy.String}
	}
	stage3, err := stage3Of(r.ID, r.Stage3, r.Stage3Texts)
	if err != nil {
		return nil, err
	}
	c.Stage3 = stage3
	for _, d := range r.deadlines {
		c.Deadlines = append(c.Deadlines, domain.Deadline{Stage: d.Stage, Kind: domain.DeadlineKind(d.Kind),
			Computed: cloneComputation(d.Computation), MetAt: postgres.UTCPtr(d.MetAt), MetBy: d.MetBy, ExtendedBy: d.ExtendedBy, OverdueAt: postgres.UTCPtr(d.OverdueAt),
			EndedAt: postgres.UTCPtr(d.EndedAt)})
	}
	for _, k := range r.consents {
		c.Consents[k.Recipient] = domain.Consent{Recipient: k.Recipient, GivenAt: k.GivenAt.UTC(), RecordedBy: k.RecordedBy,
			WithdrawnAt: postgres.UTCPtr(k.WithdrawnAt), Explicit: k.Explicit}
	}
	return c, nil
}

// cloneComputation copies d's lists, so two complaints built from one decoded row never
// share them.
func cloneComputation(d calendar.Deadline) calendar.Deadline {
	d.Skipped, d.Extensions, d.Stops = slices.Clone(d.Skipped), slices.Clone(d.Extensions), slices.Clone(d.Stops)
	for i, s := range d.Stops {
		if s.ResumedAt != nil {
			resumed := *s.ResumedAt
			d.Stops[i].ResumedAt = &resumed
		}
	}
	return d
}

func rowsFromDomain(c *domain.Complaint) (complaintRow, personalRow, []deadlineRow, []consentRow) {
	cr := complaintRow{
		ID: c.ID, Reference: c.Reference, Stage: c.Stage, Status: string(c.Status), Service: c.Service, Channel: c.Channel,
		ReceivedAt: c.ReceivedAt, AnonymityRequested: c.AnonymityRequested, Stage1Handler: c.Stage1Handler,
		Stage2Handler: nullString(c.Stage2Handler), ClosedAt: postgres.NullTime(c.ClosedAt), ErasedAt: postgres.NullTime(c.ErasedAt), Version: c.Version,
	}
	pr := personalRow{Name: c.Complainant.Name, Address: c.Complainant.Address, Phone: c.Complainant.Phone, Email: c.Complainant.Email,
		Details: c.Details, SpecialDetails: c.SpecialDetails, Stage2Details: c.Stage2Details, ClosureReason: c.ClosureReason,
		Stage1Remedies: pq.StringArray{}, Stage2Remedies: pq.StringArray{}}
	if r := c.Responses[1]; r != nil {
		cr.Stage1Outcome, cr.Stage1RespondedAt, cr.Stage1OnTime = nullString(string(r.Outcome)), postgres.NullTime(&r.RespondedAt), sql.NullBool{Bool: r.OnTime, Valid: true}
		cr.Stage1RespondedBy = nullString(r.RespondedBy)
		pr.Stage1Summary, pr.Stage1Remedies = r.Summary, append(pq.StringArray{}, r.Remedies...)
	}
	if r := c.Responses[2]; r != nil {
		cr.Stage2Outcome, cr.Stage2RespondedAt, cr.Stage2OnTime = nullString(string(r.Outcome)), postgres.NullTime(&r.RespondedAt), sql.NullBool{Bool: r.OnTime, Valid: true}
		cr.Stage2RespondedBy = nullString(r.RespondedBy)
		pr.Stage2Summary, pr.Stage2Remedies = r.Summary, append(pq.StringArray{}, r.Remedies...)
	}
	if !c.RetentionDue.IsZero() {
		cr.RetentionDue = nullString(c.RetentionDue.String())
	}
	cr.Stage3, pr.Stage3 = stage3Rows(c.Stage3)
	if h := c.LegalHold; h != nil {
		cr.LegalHoldReason, cr.LegalHoldSetAt, cr.LegalHoldSetBy = nullString(h.Reason), postgres.NullTime(&h.SetAt), nullString(h.SetBy)
	}
	deadlines := make([]deadlineRow, len(c.Deadlines))
	for i, d := range c.Deadlines {
		deadlines[i] = deadlineRow{Stage: d.Stage, Kind: string(d.Kind), DueAt: d.Computed.Due, Computation: d.Computed, MetAt: d.MetAt,
			MetBy: d.MetBy, ExtendedBy: d.ExtendedBy, OverdueAt: d.OverdueAt, EndedAt: d.EndedAt}
	}
	var consents []consentRow
	for _, k := range c.Consents {
		consents = append(consents, consentRow{Recipient: k.Recipient, GivenAt: k.GivenAt, RecordedBy: k.RecordedBy, WithdrawnAt: k.WithdrawnAt, Explicit: k.Explicit})
	}
	return cr, pr, deadlines, consents
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
