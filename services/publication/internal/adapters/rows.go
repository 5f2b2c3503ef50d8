package adapters

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/services/publication/internal/domain"
)

// Row structs mirror the tables (their json members are the columns, see casestore); the
// domain never sees them. caseRow identifies no one; personalRow is the offender's
// personal data and the decision record about them, which erasure deletes.

type caseRow struct {
	ID                  string          `json:"id" db:"id"`
	Reference           string          `json:"reference" db:"reference"`
	Source              string          `json:"source" db:"source"`
	SourceRef           string          `json:"source_ref" db:"source_ref"`
	SourceTeam          string          `json:"source_team" db:"source_team"`
	SourceCaseReference string          `json:"source_case_reference" db:"source_case_reference"`
	ConvictionDate      calendar.Date   `json:"conviction_date" db:"conviction_date"`
	Status              string          `json:"status" db:"status"`
	Outcome             string          `json:"outcome" db:"outcome"`
	DraftedBy           string          `json:"drafted_by" db:"drafted_by"`
	DraftedAt           *time.Time      `json:"drafted_at" db:"drafted_at"`
	ApprovedBy          string          `json:"approved_by" db:"approved_by"`
	ApprovedAt          *time.Time      `json:"approved_at" db:"approved_at"`
	PublishedOn         *calendar.Date  `json:"published_on" db:"published_on"`
	RegisterDisclosure  *string         `json:"register_disclosure_id" db:"register_disclosure_id"`
	RegisterFields      pq.StringArray  `json:"register_fields" db:"register_fields"` // null until published to the register
	SentenceToAmend     bool            `json:"sentence_to_amend" db:"sentence_to_amend"`
	TakedownOn          *calendar.Date  `json:"takedown_on" db:"takedown_on"`
	Takedown            json.RawMessage `json:"takedown" db:"takedown"` // null, or a takedownRow
	TakenDownAt         *time.Time      `json:"taken_down_at" db:"taken_down_at"`
	TakenDownBy         string          `json:"taken_down_by" db:"taken_down_by"`
	TakenDownReason     string          `json:"taken_down_reason" db:"taken_down_reason"`
	PressReleaseID      *string         `json:"press_release_id" db:"press_release_id"`
	RetentionDue        *calendar.Date  `json:"retention_due" db:"retention_due"`
	ErasedAt            *time.Time      `json:"erased_at" db:"erased_at"`
	ReceivedAt          time.Time       `json:"received_at" db:"received_at"`
	Version             int             `json:"version" db:"version"`
}

// personalRow is the offender's row: one while the decision holds personal data.
type personalRow struct {
	DecisionID string          `json:"decision_id"`
	Name       string          `json:"name"`
	Town       string          `json:"town"`
	Offence    string          `json:"offence"`
	Court      string          `json:"court"`
	Sentence   string          `json:"sentence"`
	Draft      json.RawMessage `json:"draft"` // null, or a draftRow
	Notes      json.RawMessage `json:"notes"` // a notesRow
}

// loadedRow is a decision as read: its case row with its personal row (null once erased).
type loadedRow struct {
	caseRow
	Personal []byte `db:"personal"`
}

type factorRow struct {
	Rating string `json:"rating"`
	Reason string `json:"reason"`
}

type draftRow struct {
	Factors struct {
		Significance    factorRow `json:"significance"`
		CommunityEffect factorRow `json:"community_effect"`
		Frequency       factorRow `json:"frequency"`
		Publicity       factorRow `json:"publicity"`
	} `json:"factors"`
	Offender struct {
		AgeAtConviction  int    `json:"age_at_conviction"`
		FamilyOrChildren string `json:"family_or_children"`
		Vulnerability    string `json:"vulnerability"`
		RiskOfHarm       string `json:"risk_of_harm"`
		Other            string `json:"other"`
	} `json:"offender"`
	Sentence struct {
		Type   string        `json:"type"`
		Term   string        `json:"term"`
		EndsOn calendar.Date `json:"ends_on"`
	} `json:"sentence"`
	Proportionality struct {
		Proportionate bool   `json:"proportionate"`
		Conclusion    string `json:"conclusion"`
	} `json:"proportionality"`
	Outcome string `json:"outcome"`
	Reasons string `json:"reasons"`
}

type noteRow struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

type appealRow struct {
	DecidedOn  calendar.Date `json:"decided_on"`
	Court      string        `json:"court"`
	Notes      string        `json:"notes"`
	RecordedBy string        `json:"recorded_by"`
	RecordedAt time.Time     `json:"recorded_at"`
}

// notesRow holds officers' words that may name the offender.
type notesRow struct {
	SentBack       *noteRow   `json:"sent_back,omitempty"`
	TakedownReason string     `json:"takedown_reason,omitempty"`
	Appeal         *appealRow `json:"appeal,omitempty"`
}

type rehabilitationRow struct {
	NeverSpent  bool               `json:"never_spent"`
	SpentOn     calendar.Date      `json:"spent_on"`
	Rule        string             `json:"rule"`
	Computation *calendar.Deadline `json:"computation"`
}

type takedownRow struct {
	On                calendar.Date     `json:"on"`
	Reason            string            `json:"reason"`
	PublicationPeriod calendar.Deadline `json:"publication_period"`
	Rehabilitation    rehabilitationRow `json:"rehabilitation"`
}

func (l loadedRow) toDomain() (*domain.Decision, error) {
	r := l.caseRow
	d := &domain.Decision{
		ID: r.ID, Reference: r.Reference, Status: domain.Status(r.Status), ReceivedAt: r.ReceivedAt.UTC(),
		Source:     domain.Source{Kind: r.Source, Ref: r.SourceRef, Team: r.SourceTeam, CaseReference: r.SourceCaseReference},
		Conviction: domain.Conviction{Date: r.ConvictionDate},
		DraftedBy:  r.DraftedBy, DraftedAt: postgres.UTCPtr(r.DraftedAt), ApprovedBy: r.ApprovedBy, ApprovedAt: postgres.UTCPtr(r.ApprovedAt),
		TakedownReason: domain.TakedownReason(r.TakenDownReason), ErasedAt: postgres.UTCPtr(r.ErasedAt), Version: r.Version,
		SentenceToAmend: r.SentenceToAmend,
	}
	if r.RegisterDisclosure != nil {
		d.RegisterDisclosureID = *r.RegisterDisclosure
	}
	if r.RegisterFields != nil {
		d.RegisterFields = append([]string{}, r.RegisterFields...)
	}
	if r.PressReleaseID != nil {
		d.PressReleaseID = *r.PressReleaseID
	}
	if r.PublishedOn != nil {
		d.PublishedOn = *r.PublishedOn
	}
	if r.RetentionDue != nil {
		d.RetentionDue = *r.RetentionDue
	}
	if isJSON(r.Takedown) {
		var t takedownRow
		if err := json.Unmarshal(r.Takedown, &t); err != nil {
			return nil, fmt.Errorf("decision %s takedown: %w", r.ID, err)
		}
		d.Takedown = &domain.TakedownPlan{On: t.On, Reason: domain.TakedownReason(t.Reason), PublicationPeriod: t.PublicationPeriod,
			Rehabilitation: domain.Rehabilitation{NeverSpent: t.Rehabilitation.NeverSpent, SpentOn: t.Rehabilitation.SpentOn,
				Rule: t.Rehabilitation.Rule, Computation: t.Rehabilitation.Computation}}
	}
	var p personalRow
	if isJSON(l.Personal) {
		if err := json.Unmarshal(l.Personal, &p); err != nil {
			return nil, fmt.Errorf("decision %s personal data: %w", r.ID, err)
		}
	}
	d.Conviction.Name, d.Conviction.Town, d.Conviction.Offence, d.Conviction.Court, d.Conviction.Sentence = p.Name, p.Town, p.Offence, p.Court, p.Sentence
	if isJSON(p.Draft) {
		var dr draftRow
		if err := json.Unmarshal(p.Draft, &dr); err != nil {
			return nil, fmt.Errorf("decision %s draft: %w", r.ID, err)
		}
		d.Draft = draftOf(dr)
	}
	var n notesRow
	if isJSON(p.Notes) {
		if err := json.Unmarshal(p.Notes, &n); err != nil {
			return nil, fmt.Errorf("decision %s notes: %w", r.ID, err)
		}
	}
	if n.SentBack != nil {
		d.SentBack = &domain.Note{By: n.SentBack.By, At: n.SentBack.At.UTC(), Reason: n.SentBack.Reason}
	}
	if r.TakenDownAt != nil {
		d.TakenDown = &domain.Note{By: r.TakenDownBy, At: r.TakenDownAt.UTC(), Reason: n.TakedownReason}
	}
	if a := n.Appeal; a != nil {
		d.Appeal = &domain.Appeal{DecidedOn: a.DecidedOn, Court: a.Court, Notes: a.Notes, RecordedBy: a.RecordedBy, RecordedAt: a.RecordedAt.UTC()}
	}
	return d, nil
}

// isJSON reports whether a column read holds a value (not SQL or JSON null).
func isJSON(raw []byte) bool { return len(raw) > 0 && string(raw) != "null" }

func draftOf(r draftRow) *domain.Draft {
	f := func(x factorRow) domain.Factor {
		return domain.Factor{Rating: domain.Rating(x.Rating), Reason: x.Reason}
	}
	return &domain.Draft{
		Factors: domain.Factors{Significance: f(r.Factors.Significance), CommunityEffect: f(r.Factors.CommunityEffect),
			Frequency: f(r.Factors.Frequency), Publicity: f(r.Factors.Publicity)},
		Offender: domain.OffenderSide{AgeAtConviction: r.Offender.AgeAtConviction, FamilyOrChildren: r.Offender.FamilyOrChildren,
			Vulnerability: r.Offender.Vulnerability, RiskOfHarm: r.Offender.RiskOfHarm, Other: r.Offender.Other},
		Sentence:        domain.Sentence{Type: domain.SentenceType(r.Sentence.Type), Term: r.Sentence.Term, EndsOn: r.Sentence.EndsOn},
		Proportionality: domain.Proportionality{Proportionate: r.Proportionality.Proportionate, Conclusion: r.Proportionality.Conclusion},
		Outcome:         domain.Outcome(r.Outcome), Reasons: r.Reasons,
	}
}

func draftRowOf(d *domain.Draft) draftRow {
	var r draftRow
	f := func(x domain.Factor) factorRow { return factorRow{Rating: string(x.Rating), Reason: x.Reason} }
	r.Factors.Significance, r.Factors.CommunityEffect = f(d.Factors.Significance), f(d.Factors.CommunityEffect)
	r.Factors.Frequency, r.Factors.Publicity = f(d.Factors.Frequency), f(d.Factors.Publicity)
	o := d.Offender
	r.Offender.AgeAtConviction, r.Offender.FamilyOrChildren, r.Offender.Vulnerability = o.AgeAtConviction, o.FamilyOrChildren, o.Vulnerability
	r.Offender.RiskOfHarm, r.Offender.Other = o.RiskOfHarm, o.Other
	r.Sentence.Type, r.Sentence.Term, r.Sentence.EndsOn = string(d.Sentence.Type), d.Sentence.Term, d.Sentence.EndsOn
	r.Proportionality.Proportionate, r.Proportionality.Conclusion = d.Proportionality.Proportionate, d.Proportionality.Conclusion
	r.Outcome, r.Reasons = string(d.Outcome), d.Reasons
	return r
}

// rowsFromDomain is the decision as its rows: the case row, and its personal row unless
// erased.
func rowsFromDomain(d *domain.Decision) (caseRow, []personalRow, error) {
	r := caseRow{ID: d.ID, Reference: d.Reference, Source: d.Source.Kind, SourceRef: d.Source.Ref, SourceTeam: d.Source.Team,
		SourceCaseReference: d.Source.CaseReference, ConvictionDate: d.Conviction.Date, Status: string(d.Status),
		DraftedBy: d.DraftedBy, DraftedAt: d.DraftedAt, ApprovedBy: d.ApprovedBy, ApprovedAt: d.ApprovedAt,
		PublishedOn: dateOrNil(d.PublishedOn), RetentionDue: dateOrNil(d.RetentionDue), TakenDownReason: string(d.TakedownReason),
		ErasedAt: d.ErasedAt, ReceivedAt: d.ReceivedAt, Version: d.Version, Takedown: json.RawMessage("null"),
		SentenceToAmend: d.SentenceToAmend}
	if d.PressReleaseID != "" {
		r.PressReleaseID = &d.PressReleaseID
	}
	if d.RegisterDisclosureID != "" {
		r.RegisterDisclosure = &d.RegisterDisclosureID
	}
	if d.RegisterFields != nil {
		r.RegisterFields = append(pq.StringArray{}, d.RegisterFields...)
	}
	if t := d.Takedown; t != nil {
		r.TakedownOn = &t.On
		reh := t.Rehabilitation
		raw, err := json.Marshal(takedownRow{On: t.On, Reason: string(t.Reason), PublicationPeriod: t.PublicationPeriod,
			Rehabilitation: rehabilitationRow{NeverSpent: reh.NeverSpent, SpentOn: reh.SpentOn, Rule: reh.Rule, Computation: reh.Computation}})
		if err != nil {
			return r, nil, fmt.Errorf("decision %s takedown: %w", d.ID, err)
		}
		r.Takedown = raw
	}
	var n notesRow
	if d.TakenDown != nil {
		r.TakenDownAt, r.TakenDownBy, n.TakedownReason = &d.TakenDown.At, d.TakenDown.By, d.TakenDown.Reason
	}
	if d.Erased() {
		return r, nil, nil
	}
	c := d.Conviction
	p := personalRow{DecisionID: d.ID, Name: c.Name, Town: c.Town, Offence: c.Offence, Court: c.Court, Sentence: c.Sentence,
		Draft: json.RawMessage("null")}
	if d.Draft != nil {
		r.Outcome = string(d.Draft.Outcome)
		raw, err := json.Marshal(draftRowOf(d.Draft))
		if err != nil {
			return r, nil, fmt.Errorf("decision %s draft: %w", d.ID, err)
		}
		p.Draft = raw
	}
	if d.SentBack != nil {
		n.SentBack = &noteRow{By: d.SentBack.By, At: d.SentBack.At, Reason: d.SentBack.Reason}
	}
	if a := d.Appeal; a != nil {
		n.Appeal = &appealRow{DecidedOn: a.DecidedOn, Court: a.Court, Notes: a.Notes, RecordedBy: a.RecordedBy, RecordedAt: a.RecordedAt}
	}
	raw, err := json.Marshal(n)
	if err != nil {
		return r, nil, fmt.Errorf("decision %s notes: %w", d.ID, err)
	}
	p.Notes = raw
	return r, []personalRow{p}, nil
}

func dateOrNil(d calendar.Date) *calendar.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}
