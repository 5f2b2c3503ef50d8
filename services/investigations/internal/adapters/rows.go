package adapters

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/postgres"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// Row structs mirror the tables (their json members are the columns, see casestore); the
// domain never sees them. Facts that identify no one are in caseRow and the fact tables;
// personal data is in caseFileRow, personDataRow and contentRow, which erasure deletes.

type caseRow struct {
	ID                    string     `json:"id" db:"id"`
	Reference             string     `json:"reference" db:"reference"`
	Area                  string     `json:"area" db:"area"`
	Scope                 string     `json:"scope" db:"scope"`
	HateCrime             bool       `json:"hate_crime" db:"hate_crime"`
	Status                string     `json:"status" db:"status"`
	Channel               string     `json:"channel" db:"channel"`
	ReceivedAt            time.Time  `json:"received_at" db:"received_at"`
	CreatedBy             string     `json:"created_by" db:"created_by"`
	Assigned              []string   `json:"assigned" db:"-"`
	NeedToKnow            bool       `json:"need_to_know" db:"need_to_know"`
	ClosedAt              *time.Time `json:"closed_at" db:"closed_at"`
	RetentionDue          *string    `json:"retention_due" db:"retention_due"`
	RetentionRule         string     `json:"retention_rule" db:"retention_rule"`
	RetentionComputation  string     `json:"retention_computation" db:"retention_computation"`
	NextErasureDue        *string    `json:"next_erasure_due" db:"next_erasure_due"`
	LegalHold             bool       `json:"legal_hold" db:"legal_hold"`
	LegalHoldReason       *string    `json:"legal_hold_reason" db:"legal_hold_reason"`
	LegalHoldSetAt        *time.Time `json:"legal_hold_set_at" db:"legal_hold_set_at"`
	LegalHoldSetBy        *string    `json:"legal_hold_set_by" db:"legal_hold_set_by"`
	OutcomeKind           *string    `json:"outcome_kind" db:"outcome_kind"`
	OutcomeSentenceLength *string    `json:"outcome_sentence_length" db:"outcome_sentence_length"`
	OutcomeRecordedAt     *time.Time `json:"outcome_recorded_at" db:"outcome_recorded_at"`
	OutcomeRecordedBy     *string    `json:"outcome_recorded_by" db:"outcome_recorded_by"`
	ASBReviewTriggeredAt  *time.Time `json:"asb_review_triggered_at" db:"asb_review_triggered_at"`
	ASBReviewCount        *int       `json:"asb_review_count" db:"asb_review_count"`
	ASBReviewThreshold    *int       `json:"asb_review_threshold" db:"asb_review_threshold"`
	ASBReviewWithin       *string    `json:"asb_review_within" db:"asb_review_within"`
	ASBReviewMatchedOn    *string    `json:"asb_review_matched_on" db:"asb_review_matched_on"`
	ASBLocationKey        *string    `json:"asb_location_key" db:"asb_location_key"`
	ASBSubjectKey         *string    `json:"asb_subject_key" db:"asb_subject_key"`
	ErasedAt              *time.Time `json:"erased_at" db:"erased_at"`
	Version               int        `json:"version" db:"version"`
}

// caseFileRow is the case file's personal data: one row while the case file is held.
type caseFileRow struct {
	InvestigationID  string   `json:"investigation_id"`
	MatterSummary    string   `json:"matter_summary"`
	MatterLocations  []string `json:"matter_locations"`
	MatterDates      []string `json:"matter_dates"`
	MatterTimes      []string `json:"matter_times"`
	ClosedReason     string   `json:"closed_reason"`
	ActionNotes      []string `json:"action_notes"`      // by the action's position
	ConditionReasons []string `json:"condition_reasons"` // by the condition's position
	OutcomePersonID  string   `json:"outcome_person_id"`
	OutcomeOffence   string   `json:"outcome_offence"`
	OutcomeCourt     string   `json:"outcome_court"`
	OutcomeDate      string   `json:"outcome_date"`
	OutcomeSentence  string   `json:"outcome_sentence"`
}

type personRow struct {
	InvestigationID string `json:"investigation_id"`
	Position        int    `json:"position"`
	ID              string `json:"id"`
	Role            string `json:"role"`
}

type personDataRow struct {
	InvestigationID     string `json:"investigation_id"`
	Position            int    `json:"position"`
	Name                string `json:"name"`
	Address             string `json:"address"`
	Town                string `json:"town"`
	Phone               string `json:"phone"`
	Email               string `json:"email"`
	ProofOfIdentity     string `json:"proof_of_identity"`
	VehicleRegistration string `json:"vehicle_registration"`
	DateOfBirth         string `json:"date_of_birth"`
}

// Item classes in investigation_items.
const (
	classEvidence = "evidence"
	classSpecial  = "special"
	classEmail    = "email"
)

type itemRow struct {
	InvestigationID      string     `json:"investigation_id"`
	ID                   string     `json:"id"`
	Class                string     `json:"class"`
	Position             int        `json:"position"`
	Kind                 string     `json:"kind"`
	PersonID             string     `json:"person_id"`
	OccurredAt           time.Time  `json:"occurred_at"`
	AddedAt              *time.Time `json:"added_at"`
	UsedAsEvidence       bool       `json:"used_as_evidence"`
	RetentionDue         *string    `json:"retention_due"`
	RetentionRule        string     `json:"retention_rule"`
	RetentionComputation string     `json:"retention_computation"`
	ErasedAt             *time.Time `json:"erased_at"`
}

// contentRow is an item's personal content, held until the item is erased.
type contentRow struct {
	InvestigationID string `json:"investigation_id"`
	ID              string `json:"id"`
	Description     string `json:"description"`
	StorageRef      string `json:"storage_ref"`
	Details         string `json:"details"`
	Sender          string `json:"sender"`
	Subject         string `json:"subject"`
	Body            string `json:"body"`
}

// actionRow's person_id and comply_by are NULL for no one and no date, as on the rows
// written before actions named them (migration 00007).
type actionRow struct {
	InvestigationID string    `json:"investigation_id"`
	Position        int       `json:"position"`
	Kind            string    `json:"kind"`
	At              time.Time `json:"at"`
	ByOfficer       string    `json:"by_officer"`
	PersonID        *string   `json:"person_id"`
	ComplyBy        *string   `json:"comply_by"`
}

// conditionRow's withdrawn_at and withdrawn_by are NULL while the condition stands, as on
// the rows written before consents could be withdrawn (migration 00010).
type conditionRow struct {
	InvestigationID string     `json:"investigation_id"`
	Position        int        `json:"position"`
	Recipient       string     `json:"recipient"`
	Condition       string     `json:"condition"`
	At              time.Time  `json:"at"`
	ByOfficer       string     `json:"by_officer"`
	PersonID        string     `json:"person_id"`
	WithdrawnAt     *time.Time `json:"withdrawn_at"`
	WithdrawnBy     *string    `json:"withdrawn_by"`
}

// rowSet is one investigation as rows.
type rowSet struct {
	c          caseRow
	caseFile   []caseFileRow // none once the case file is erased
	people     []personRow
	personData []personDataRow
	items      []itemRow
	contents   []contentRow
	actions    []actionRow
	conditions []conditionRow
}

// loadedRow is the case row with its other rows aggregated as JSON by loadSQL.
type loadedRow struct {
	caseRow
	AssignedArray pq.StringArray `db:"assigned"`
	CaseFile      []byte         `db:"case_file"`
	People        []byte         `db:"people"`
	Items         []byte         `db:"items"`
	Actions       []byte         `db:"actions"`
	Conditions    []byte         `db:"conditions"`
}

func (r loadedRow) rows() (rowSet, error) {
	s := rowSet{c: r.caseRow}
	s.c.Assigned = append([]string{}, r.AssignedArray...)
	var people []struct {
		personRow
		Data *personDataRow `json:"data"`
	}
	var items []struct {
		itemRow
		Content *contentRow `json:"content"`
	}
	var caseFile *caseFileRow
	for _, part := range []struct {
		raw []byte
		dst any
	}{{r.CaseFile, &caseFile}, {r.People, &people}, {r.Items, &items}, {r.Actions, &s.actions}, {r.Conditions, &s.conditions}} {
		if part.raw == nil { // no case file row: erased
			continue
		}
		if err := json.Unmarshal(part.raw, part.dst); err != nil {
			return s, fmt.Errorf("investigation %s rows: %w", r.ID, err)
		}
	}
	if caseFile != nil {
		s.caseFile = []caseFileRow{*caseFile}
	}
	for _, p := range people {
		s.people = append(s.people, p.personRow)
		if p.Data != nil {
			s.personData = append(s.personData, *p.Data)
		}
	}
	for _, it := range items {
		s.items = append(s.items, it.itemRow)
		if it.Content != nil {
			s.contents = append(s.contents, *it.Content)
		}
	}
	return s, nil
}

// toDomain rebuilds the investigation; instants come back in UTC, as they were written.
func (s rowSet) toDomain() *domain.Investigation {
	r := s.c
	c := &domain.Investigation{ID: r.ID, Reference: r.Reference, Area: r.Area, Scope: r.Scope, HateCrime: r.HateCrime,
		Status: domain.Status(r.Status), Channel: r.Channel, ReceivedAt: r.ReceivedAt.UTC(), CreatedBy: r.CreatedBy,
		Assigned: slices.Clone(r.Assigned), People: []domain.Person{}, Evidence: []domain.EvidenceItem{}, Special: []domain.SpecialItem{},
		Emails: []domain.Email{}, Actions: []domain.EnforcementAction{}, Conditions: []domain.RecordedCondition{},
		ClosedAt: postgres.UTCPtr(r.ClosedAt), ErasedAt: postgres.UTCPtr(r.ErasedAt), Version: r.Version,
		Retention: domain.Retention{Due: deref(r.RetentionDue), Rule: r.RetentionRule, Computation: r.RetentionComputation}}
	var file caseFileRow
	if len(s.caseFile) == 1 {
		file = s.caseFile[0]
		c.Matter = domain.Matter{Summary: file.MatterSummary, Locations: slices.Clone(file.MatterLocations),
			Dates: slices.Clone(file.MatterDates), Times: slices.Clone(file.MatterTimes)}
		c.ClosedReason = file.ClosedReason
	}
	data := map[int]personDataRow{}
	for _, d := range s.personData {
		data[d.Position] = d
	}
	for _, p := range s.people {
		d := data[p.Position]
		c.People = append(c.People, domain.Person{ID: p.ID, Role: domain.Role(p.Role), Name: d.Name, Address: d.Address, Town: d.Town,
			Phone: d.Phone, Email: d.Email, ProofOfIdentity: d.ProofOfIdentity, VehicleRegistration: d.VehicleRegistration, DateOfBirth: d.DateOfBirth})
	}
	content := map[string]contentRow{}
	for _, k := range s.contents {
		content[k.ID] = k
	}
	for _, it := range s.items {
		k := content[it.ID]
		retention := domain.Retention{Due: deref(it.RetentionDue), Rule: it.RetentionRule, Computation: it.RetentionComputation}
		switch it.Class {
		case classEvidence:
			c.Evidence = append(c.Evidence, domain.EvidenceItem{ID: it.ID, Kind: domain.EvidenceKind(it.Kind), Description: k.Description,
				StorageRef: k.StorageRef, PersonID: it.PersonID, CapturedAt: it.OccurredAt.UTC(), UsedAsEvidence: it.UsedAsEvidence,
				AddedAt: utcValue(it.AddedAt), Retention: retention, ErasedAt: postgres.UTCPtr(it.ErasedAt)})
		case classSpecial:
			c.Special = append(c.Special, domain.SpecialItem{ID: it.ID, Category: it.Kind, PersonID: it.PersonID, Details: k.Details,
				RecordedAt: it.OccurredAt.UTC(), ErasedAt: postgres.UTCPtr(it.ErasedAt)})
		case classEmail:
			c.Emails = append(c.Emails, domain.Email{ID: it.ID, From: k.Sender, Subject: k.Subject, Body: k.Body,
				ReceivedAt: it.OccurredAt.UTC(), Retention: retention, ErasedAt: postgres.UTCPtr(it.ErasedAt), PersonID: it.PersonID})
		}
	}
	for _, a := range s.actions {
		c.Actions = append(c.Actions, domain.EnforcementAction{Kind: a.Kind, Notes: at(file.ActionNotes, a.Position), At: a.At.UTC(), By: a.ByOfficer,
			PersonID: deref(a.PersonID), ComplyBy: deref(a.ComplyBy)})
	}
	for _, k := range s.conditions {
		c.Conditions = append(c.Conditions, domain.RecordedCondition{Recipient: k.Recipient, Condition: k.Condition,
			Reason: at(file.ConditionReasons, k.Position), At: k.At.UTC(), By: k.ByOfficer, PersonID: k.PersonID,
			WithdrawnAt: postgres.UTCPtr(k.WithdrawnAt), WithdrawnBy: deref(k.WithdrawnBy)})
	}
	if r.OutcomeKind != nil {
		c.Outcome = &domain.Outcome{Kind: domain.OutcomeKind(*r.OutcomeKind), PersonID: file.OutcomePersonID, Offence: file.OutcomeOffence,
			Court: file.OutcomeCourt, Date: file.OutcomeDate, Sentence: file.OutcomeSentence, SentenceLength: deref(r.OutcomeSentenceLength),
			RecordedAt: utcValue(r.OutcomeRecordedAt), RecordedBy: deref(r.OutcomeRecordedBy)}
	}
	if r.ASBReviewTriggeredAt != nil {
		c.ASBReview = &domain.ASBReview{TriggeredAt: r.ASBReviewTriggeredAt.UTC(), Count: derefInt(r.ASBReviewCount),
			Threshold: derefInt(r.ASBReviewThreshold), Within: deref(r.ASBReviewWithin), MatchedOn: deref(r.ASBReviewMatchedOn)}
	}
	if r.LegalHoldReason != nil {
		c.LegalHold = &domain.LegalHold{Reason: *r.LegalHoldReason, SetAt: utcValue(r.LegalHoldSetAt), SetBy: deref(r.LegalHoldSetBy)}
	}
	return c
}

// rowsFromDomain splits the investigation into its rows; what erasure removed has none.
func rowsFromDomain(c *domain.Investigation) rowSet {
	id := c.ID
	s := rowSet{c: caseRow{ID: id, Reference: c.Reference, Area: c.Area, Scope: c.Scope, HateCrime: c.HateCrime, Status: string(c.Status),
		Channel: c.Channel, ReceivedAt: c.ReceivedAt, CreatedBy: c.CreatedBy, Assigned: nonNil(c.Assigned), NeedToKnow: c.NeedToKnow(),
		ClosedAt: c.ClosedAt, RetentionDue: ptr(c.Retention.Due), RetentionRule: c.Retention.Rule, RetentionComputation: c.Retention.Computation,
		NextErasureDue: ptr(c.NextErasureDue()), LegalHold: c.LegalHold != nil, ErasedAt: c.ErasedAt, Version: c.Version}}
	if h := c.LegalHold; h != nil {
		s.c.LegalHoldReason, s.c.LegalHoldSetAt, s.c.LegalHoldSetBy = &h.Reason, &h.SetAt, &h.SetBy
	}
	if o := c.Outcome; o != nil {
		kind := string(o.Kind)
		s.c.OutcomeKind, s.c.OutcomeSentenceLength, s.c.OutcomeRecordedAt, s.c.OutcomeRecordedBy = &kind, ptr(o.SentenceLength), &o.RecordedAt, &o.RecordedBy
	}
	if r := c.ASBReview; r != nil {
		s.c.ASBReviewTriggeredAt, s.c.ASBReviewCount, s.c.ASBReviewThreshold = &r.TriggeredAt, &r.Count, &r.Threshold
		s.c.ASBReviewWithin, s.c.ASBReviewMatchedOn = &r.Within, &r.MatchedOn
	}
	if !c.Erased() {
		loc, subj := app.ASBKeys(c)
		s.c.ASBLocationKey, s.c.ASBSubjectKey = ptr(loc), ptr(subj)
		file := caseFileRow{InvestigationID: id, MatterSummary: c.Matter.Summary, MatterLocations: nonNil(c.Matter.Locations),
			MatterDates: nonNil(c.Matter.Dates), MatterTimes: nonNil(c.Matter.Times), ClosedReason: c.ClosedReason,
			ActionNotes: []string{}, ConditionReasons: []string{}}
		for _, a := range c.Actions {
			file.ActionNotes = append(file.ActionNotes, a.Notes)
		}
		for _, k := range c.Conditions {
			file.ConditionReasons = append(file.ConditionReasons, k.Reason)
		}
		if o := c.Outcome; o != nil {
			file.OutcomePersonID, file.OutcomeOffence, file.OutcomeCourt, file.OutcomeDate, file.OutcomeSentence = o.PersonID, o.Offence, o.Court, o.Date, o.Sentence
		}
		s.caseFile = []caseFileRow{file}
	}
	for i, p := range c.People {
		s.people = append(s.people, personRow{InvestigationID: id, Position: i, ID: p.ID, Role: string(p.Role)})
		if !c.Erased() {
			s.personData = append(s.personData, personDataRow{InvestigationID: id, Position: i, Name: p.Name, Address: p.Address,
				Town: p.Town, Phone: p.Phone, Email: p.Email, ProofOfIdentity: p.ProofOfIdentity,
				VehicleRegistration: p.VehicleRegistration, DateOfBirth: p.DateOfBirth})
		}
	}
	item := func(r itemRow, retention domain.Retention, erasedAt *time.Time, content contentRow) {
		r.InvestigationID, r.ErasedAt = id, erasedAt
		r.RetentionDue, r.RetentionRule, r.RetentionComputation = ptr(retention.Due), retention.Rule, retention.Computation
		s.items = append(s.items, r)
		if erasedAt == nil {
			content.InvestigationID, content.ID = id, r.ID
			s.contents = append(s.contents, content)
		}
	}
	for i, e := range c.Evidence {
		added := e.AddedAt
		item(itemRow{ID: e.ID, Class: classEvidence, Position: i, Kind: string(e.Kind), PersonID: e.PersonID, OccurredAt: e.CapturedAt,
			AddedAt: &added, UsedAsEvidence: e.UsedAsEvidence}, e.Retention, e.ErasedAt,
			contentRow{Description: e.Description, StorageRef: e.StorageRef})
	}
	for i, sp := range c.Special {
		item(itemRow{ID: sp.ID, Class: classSpecial, Position: i, Kind: sp.Category, PersonID: sp.PersonID, OccurredAt: sp.RecordedAt},
			domain.Retention{}, sp.ErasedAt, contentRow{Details: sp.Details})
	}
	for i, m := range c.Emails {
		item(itemRow{ID: m.ID, Class: classEmail, Position: i, PersonID: m.PersonID, OccurredAt: m.ReceivedAt}, m.Retention, m.ErasedAt,
			contentRow{Sender: m.From, Subject: m.Subject, Body: m.Body})
	}
	for i, a := range c.Actions {
		s.actions = append(s.actions, actionRow{InvestigationID: id, Position: i, Kind: a.Kind, At: a.At, ByOfficer: a.By,
			PersonID: ptr(a.PersonID), ComplyBy: ptr(a.ComplyBy)})
	}
	for i, k := range c.Conditions {
		s.conditions = append(s.conditions, conditionRow{InvestigationID: id, Position: i, Recipient: k.Recipient,
			Condition: k.Condition, At: k.At, ByOfficer: k.By, PersonID: k.PersonID, WithdrawnAt: k.WithdrawnAt, WithdrawnBy: ptr(k.WithdrawnBy)})
	}
	return s
}

func ptr[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

func utcValue(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
