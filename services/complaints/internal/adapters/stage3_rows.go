package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/domain"
)

// Stage 3 is stored in two JSONB documents: the anonymous facts on the case row (they stay
// after retention erasure, like the other dates and outcomes) and the free text with the
// personal data (erasure deletes it). Lists are aligned by position.

// referralFacts are a referral's facts, the current one's and each earlier one's alike
// (embedded, so its members sit at the top level of either document).
type referralFacts struct {
	LGOReference     string           `json:"lgo_reference"`
	FirstKnewOn      calendar.Date    `json:"first_knew_on"`
	ProcessCompleted bool             `json:"process_completed"`
	FromStatus       string           `json:"from_status"`
	FromStage        int              `json:"from_stage"`
	ReferredAt       time.Time        `json:"referred_at"`
	ReferredBy       string           `json:"referred_by"`
	Warnings         []domain.Warning `json:"warnings"`
}

type stage3Facts struct {
	referralFacts
	Enquiries []enquiryFacts `json:"enquiries"`
	Decision  *decisionFacts `json:"decision,omitempty"`
	Remedies  []remedyFacts  `json:"remedies"`
	Necessity *actedFacts    `json:"necessity,omitempty"`
	Earlier   []earlierFacts `json:"earlier,omitempty"` // referrals sent back as premature
}

// earlierFacts is a referral the Ombudsman decided on before the current one.
type earlierFacts struct {
	referralFacts
	Decision *decisionFacts `json:"decision,omitempty"`
}

func referralFactsOf(r domain.Referral) referralFacts {
	return referralFacts{LGOReference: r.LGOReference, FirstKnewOn: r.FirstKnewOn, ProcessCompleted: r.ProcessCompleted,
		FromStatus: string(r.FromStatus), FromStage: r.FromStage, ReferredAt: r.ReferredAt.UTC(), ReferredBy: r.ReferredBy,
		Warnings: append([]domain.Warning{}, r.Warnings...)}
}

// referral joins the facts with the details (empty once erased).
func (f referralFacts) referral(details string) domain.Referral {
	return domain.Referral{LGOReference: f.LGOReference, FirstKnewOn: f.FirstKnewOn, ProcessCompleted: f.ProcessCompleted,
		Details: details, FromStatus: domain.Status(f.FromStatus), FromStage: f.FromStage, ReferredAt: f.ReferredAt.UTC(),
		ReferredBy: f.ReferredBy, Warnings: f.Warnings}
}

func decisionFactsOf(d *domain.LGODecision) *decisionFacts {
	if d == nil {
		return nil
	}
	return &decisionFacts{Outcome: string(d.Outcome), DecidedOn: d.DecidedOn, RecordedAt: d.RecordedAt.UTC(), RecordedBy: d.RecordedBy}
}

// decision joins the facts (nil for none) with the summary (empty once erased).
func (d *decisionFacts) decision(summary string) *domain.LGODecision {
	if d == nil {
		return nil
	}
	return &domain.LGODecision{Outcome: domain.LGOOutcome(d.Outcome), DecidedOn: d.DecidedOn, Summary: summary,
		RecordedAt: d.RecordedAt.UTC(), RecordedBy: d.RecordedBy}
}

type earlierTexts struct {
	Details         string `json:"details"`
	DecisionSummary string `json:"decision_summary"`
}

type enquiryFacts struct {
	N            int        `json:"n"`
	ReceivedAt   time.Time  `json:"received_at"`
	RecordedBy   string     `json:"recorded_by"`
	RespondedAt  *time.Time `json:"responded_at,omitempty"`
	RespondedBy  string     `json:"responded_by,omitempty"`
	DisclosureID string     `json:"disclosure_id,omitempty"`
}

type decisionFacts struct {
	Outcome    string        `json:"outcome"`
	DecidedOn  calendar.Date `json:"decided_on"`
	RecordedAt time.Time     `json:"recorded_at"`
	RecordedBy string        `json:"recorded_by"`
}

type remedyFacts struct {
	N          int        `json:"n"`
	CompliedAt *time.Time `json:"complied_at,omitempty"`
	CompliedBy string     `json:"complied_by,omitempty"`
}

type actedFacts struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
}

type stage3Texts struct {
	Details         string         `json:"details"`
	Questions       []string       `json:"questions"`
	Documents       [][]string     `json:"documents"`
	Remedies        []string       `json:"remedies"`
	ComplianceNotes []string       `json:"compliance_notes"`
	DecisionSummary string         `json:"decision_summary"`
	NecessityReason string         `json:"necessity_reason"`
	Earlier         []earlierTexts `json:"earlier,omitempty"`
}

// stage3Rows splits the domain's stage 3 into the two stored documents (NULL when none).
func stage3Rows(s *domain.Stage3) (facts, texts sql.NullString) {
	if s == nil {
		return sql.NullString{}, sql.NullString{}
	}
	f := stage3Facts{referralFacts: referralFactsOf(s.Referral), Enquiries: []enquiryFacts{}, Remedies: []remedyFacts{},
		Decision: decisionFactsOf(s.Decision)}
	x := stage3Texts{Details: s.Referral.Details, Questions: []string{}, Documents: [][]string{}, Remedies: []string{}, ComplianceNotes: []string{}}
	for _, e := range s.Enquiries {
		f.Enquiries = append(f.Enquiries, enquiryFacts{N: e.N, ReceivedAt: e.ReceivedAt.UTC(), RecordedBy: e.RecordedBy,
			RespondedAt: postgres.UTCPtr(e.RespondedAt), RespondedBy: e.RespondedBy, DisclosureID: e.DisclosureID})
		x.Questions = append(x.Questions, e.Questions)
		x.Documents = append(x.Documents, append([]string{}, e.Documents...))
	}
	if d := s.Decision; d != nil {
		x.DecisionSummary = d.Summary
	}
	for _, m := range s.Remedies {
		f.Remedies = append(f.Remedies, remedyFacts{N: m.N, CompliedAt: postgres.UTCPtr(m.CompliedAt), CompliedBy: m.CompliedBy})
		x.Remedies = append(x.Remedies, m.Description)
		x.ComplianceNotes = append(x.ComplianceNotes, m.ComplianceNote)
	}
	if n := s.Necessity; n != nil {
		f.Necessity = &actedFacts{At: n.RecordedAt.UTC(), By: n.RecordedBy}
		x.NecessityReason = n.Reason
	}
	for _, e := range s.Earlier {
		et := earlierTexts{Details: e.Referral.Details}
		if d := e.Decision; d != nil {
			et.DecisionSummary = d.Summary
		}
		f.Earlier = append(f.Earlier, earlierFacts{referralFacts: referralFactsOf(e.Referral), Decision: decisionFactsOf(e.Decision)})
		x.Earlier = append(x.Earlier, et)
	}
	return sql.NullString{String: string(jsonOf(f)), Valid: true}, sql.NullString{String: string(jsonOf(x)), Valid: true}
}

// stage3Of joins the two documents again; texts is NULL once erased.
func stage3Of(id string, facts, texts sql.NullString) (*domain.Stage3, error) {
	if !facts.Valid {
		return nil, nil
	}
	var f stage3Facts
	if err := json.Unmarshal([]byte(facts.String), &f); err != nil {
		return nil, fmt.Errorf("stage 3 of %s: %w", id, err)
	}
	var x stage3Texts
	if texts.Valid {
		if err := json.Unmarshal([]byte(texts.String), &x); err != nil {
			return nil, fmt.Errorf("stage 3 text of %s: %w", id, err)
		}
	}
	s := &domain.Stage3{Referral: f.referral(x.Details), Decision: f.Decision.decision(x.DecisionSummary)}
	for i, e := range f.Enquiries {
		s.Enquiries = append(s.Enquiries, domain.Enquiry{N: e.N, Questions: at(x.Questions, i), ReceivedAt: e.ReceivedAt.UTC(),
			RecordedBy: e.RecordedBy, RespondedAt: postgres.UTCPtr(e.RespondedAt), RespondedBy: e.RespondedBy,
			Documents: at(x.Documents, i), DisclosureID: e.DisclosureID})
	}
	for i, m := range f.Remedies {
		s.Remedies = append(s.Remedies, domain.Remedy{N: m.N, Description: at(x.Remedies, i), CompliedAt: postgres.UTCPtr(m.CompliedAt),
			CompliedBy: m.CompliedBy, ComplianceNote: at(x.ComplianceNotes, i)})
	}
	if n := f.Necessity; n != nil {
		s.Necessity = &domain.Necessity{Reason: x.NecessityReason, RecordedAt: n.At.UTC(), RecordedBy: n.By}
	}
	for i, e := range f.Earlier {
		t := at(x.Earlier, i)
		s.Earlier = append(s.Earlier, domain.EarlierReferral{Referral: e.referral(t.Details), Decision: e.Decision.decision(t.DecisionSummary)})
	}
	return s, nil
}

// at is list[i], or the zero value when the text was erased.
func at[T any](list []T, i int) T {
	var zero T
	if i < len(list) {
		return list[i]
	}
	return zero
}
