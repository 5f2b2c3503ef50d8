package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/domain"
)

// decisionRow is a decision as stored: publication_decisions joined with its personal data
// row (absent once erased). Domain types carry no db or json tags; these do.
type decisionRow struct {
	ID                  string         `db:"id"`
	Reference           string         `db:"reference"`
	Source              string         `db:"source"`
	SourceRef           string         `db:"source_ref"`
	SourceTeam          string         `db:"source_team"`
	SourceCaseReference string         `db:"source_case_reference"`
	ConvictionDate      calendar.Date  `db:"conviction_date"`
	Status              string         `db:"status"`
	Outcome             string         `db:"outcome"`
	DraftedBy           string         `db:"drafted_by"`
	DraftedAt           *time.Time     `db:"drafted_at"`
	ApprovedBy          string         `db:"approved_by"`
	ApprovedAt          *time.Time     `db:"approved_at"`
	PublishedOn         *calendar.Date `db:"published_on"`
	TakedownOn          *calendar.Date `db:"takedown_on"`
	Takedown            []byte         `db:"takedown"`
	TakenDownAt         *time.Time     `db:"taken_down_at"`
	TakenDownBy         string         `db:"taken_down_by"`
	TakenDownReason     string         `db:"taken_down_reason"`
	PressReleaseID      sql.NullString `db:"press_release_id"`
	RetentionDue        *calendar.Date `db:"retention_due"`
	ErasedAt            *time.Time     `db:"erased_at"`
	ReceivedAt          time.Time      `db:"received_at"`
	Version             int            `db:"version"`

	Name     sql.NullString `db:"name"`
	Town     sql.NullString `db:"town"`
	Offence  sql.NullString `db:"offence"`
	Court    sql.NullString `db:"court"`
	Sentence sql.NullString `db:"sentence"`
	Draft    []byte         `db:"draft"`
	Notes    []byte         `db:"notes"`
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

func (r decisionRow) toDomain() (*domain.Decision, error) {
	d := &domain.Decision{
		ID: r.ID, Reference: r.Reference, Status: domain.Status(r.Status), ReceivedAt: r.ReceivedAt.UTC(),
		Source: domain.Source{Kind: r.Source, Ref: r.SourceRef, Team: r.SourceTeam, CaseReference: r.SourceCaseReference},
		Conviction: domain.Conviction{Name: r.Name.String, Town: r.Town.String, Offence: r.Offence.String, Court: r.Court.String,
			Date: r.ConvictionDate, Sentence: r.Sentence.String},
		DraftedBy: r.DraftedBy, DraftedAt: utc(r.DraftedAt), ApprovedBy: r.ApprovedBy, ApprovedAt: utc(r.ApprovedAt),
		TakedownReason: domain.TakedownReason(r.TakenDownReason), PressReleaseID: r.PressReleaseID.String,
		ErasedAt: utc(r.ErasedAt), Version: r.Version,
	}
	if r.PublishedOn != nil {
		d.PublishedOn = *r.PublishedOn
	}
	if r.RetentionDue != nil {
		d.RetentionDue = *r.RetentionDue
	}
	if len(r.Takedown) > 0 {
		var t takedownRow
		if err := json.Unmarshal(r.Takedown, &t); err != nil {
			return nil, fmt.Errorf("decision %s takedown: %w", r.ID, err)
		}
		d.Takedown = &domain.TakedownPlan{On: t.On, Reason: domain.TakedownReason(t.Reason), PublicationPeriod: t.PublicationPeriod,
			Rehabilitation: domain.Rehabilitation{NeverSpent: t.Rehabilitation.NeverSpent, SpentOn: t.Rehabilitation.SpentOn,
				Rule: t.Rehabilitation.Rule, Computation: t.Rehabilitation.Computation}}
	}
	if len(r.Draft) > 0 {
		var dr draftRow
		if err := json.Unmarshal(r.Draft, &dr); err != nil {
			return nil, fmt.Errorf("decision %s draft: %w", r.ID, err)
		}
		d.Draft = draftOf(dr)
	}
	var n notesRow
	if len(r.Notes) > 0 {
		if err := json.Unmarshal(r.Notes, &n); err != nil {
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

// stored is a decision as the statements write it.
type stored struct {
	outcome     string
	publishedOn *calendar.Date
	takedownOn  *calendar.Date
	takedown    []byte // JSON or nil
	takenDownAt *time.Time
	takenDownBy string
	retention   *calendar.Date
	pressID     sql.NullString
	draft       []byte // JSON or nil
	notes       []byte
}

func storedOf(d *domain.Decision) (stored, error) {
	s := stored{publishedOn: dateOrNil(d.PublishedOn), retention: dateOrNil(d.RetentionDue),
		pressID: sql.NullString{String: d.PressReleaseID, Valid: d.PressReleaseID != ""}}
	var err error
	if d.Draft != nil {
		s.outcome = string(d.Draft.Outcome)
		if s.draft, err = json.Marshal(draftRowOf(d.Draft)); err != nil {
			return s, err
		}
	}
	if t := d.Takedown; t != nil {
		s.takedownOn = &t.On
		r := t.Rehabilitation
		if s.takedown, err = json.Marshal(takedownRow{On: t.On, Reason: string(t.Reason), PublicationPeriod: t.PublicationPeriod,
			Rehabilitation: rehabilitationRow{NeverSpent: r.NeverSpent, SpentOn: r.SpentOn, Rule: r.Rule, Computation: r.Computation}}); err != nil {
			return s, err
		}
	}
	var n notesRow
	if d.SentBack != nil {
		n.SentBack = &noteRow{By: d.SentBack.By, At: d.SentBack.At, Reason: d.SentBack.Reason}
	}
	if d.TakenDown != nil {
		s.takenDownAt, s.takenDownBy, n.TakedownReason = &d.TakenDown.At, d.TakenDown.By, d.TakenDown.Reason
	}
	if a := d.Appeal; a != nil {
		n.Appeal = &appealRow{DecidedOn: a.DecidedOn, Court: a.Court, Notes: a.Notes, RecordedBy: a.RecordedBy, RecordedAt: a.RecordedAt}
	}
	s.notes, err = json.Marshal(n)
	return s, err
}

func dateOrNil(d calendar.Date) *calendar.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
