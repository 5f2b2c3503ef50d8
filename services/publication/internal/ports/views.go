package ports

import (
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// decisionView is a decision as the API shows it to officers and managers.
type decisionView struct {
	ID             string         `json:"id"`
	Reference      string         `json:"reference"`
	Status         string         `json:"status"`
	AllowedActions []string       `json:"allowed_actions"`
	Source         sourceView     `json:"source"`
	Conviction     *registerEntry `json:"conviction"` // null once erased
	ReceivedAt     time.Time      `json:"received_at"`
	Draft          *draftBody     `json:"draft"`
	DraftedBy      string         `json:"drafted_by,omitempty"`
	DraftedAt      *time.Time     `json:"drafted_at,omitempty"`
	SentBack       *noteView      `json:"sent_back,omitempty"`
	ApprovedBy     string         `json:"approved_by,omitempty"`
	ApprovedAt     *time.Time     `json:"approved_at,omitempty"`
	PublishedOn    *calendar.Date `json:"published_on,omitempty"`
	// RegisterDisclosureID is the entry's logged disclosure to the public register.
	RegisterDisclosureID string `json:"register_disclosure_id,omitempty"`
	// SentenceToAmend: the conviction's sentence or date was corrected since its sentence was
	// drafted; a published entry is off the register until an officer amends it.
	SentenceToAmend bool               `json:"sentence_to_amend,omitempty"`
	Takedown        *takedownView      `json:"takedown,omitempty"`
	TakenDown       *noteView          `json:"taken_down,omitempty"`
	Appeal          *appealBody        `json:"appeal,omitempty"`
	PressReleaseID  string             `json:"press_release_id,omitempty"`
	RetentionDue    *calendar.Date     `json:"retention_due,omitempty"`
	Erased          bool               `json:"erased"`
	History         []app.HistoryEntry `json:"history,omitempty"`
}

type sourceView struct {
	Kind          string `json:"kind"`
	Team          string `json:"team"`
	CaseReference string `json:"case_reference"`
}

type noteView struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	Kind   string    `json:"kind,omitempty"`
}

type takedownView struct {
	On                calendar.Date      `json:"on"`
	Reason            string             `json:"reason"`
	PublicationPeriod calendar.Deadline  `json:"publication_period"`
	Rehabilitation    rehabilitationView `json:"rehabilitation"`
}

type rehabilitationView struct {
	NeverSpent  bool               `json:"never_spent"`
	SpentOn     *calendar.Date     `json:"spent_on"`
	Rule        string             `json:"rule"`
	Computation *calendar.Deadline `json:"computation"`
}

func viewOf(d *domain.Decision, history []app.HistoryEntry) decisionView {
	allowed := []string{}
	for _, a := range d.AllowedActions() {
		allowed = append(allowed, string(a))
	}
	v := decisionView{ID: d.ID, Reference: d.Reference, Status: string(d.Status), AllowedActions: allowed,
		Source:     sourceView{Kind: d.Source.Kind, Team: d.Source.Team, CaseReference: d.Source.CaseReference},
		ReceivedAt: d.ReceivedAt, DraftedBy: d.DraftedBy, DraftedAt: d.DraftedAt, ApprovedBy: d.ApprovedBy, ApprovedAt: d.ApprovedAt,
		PressReleaseID: d.PressReleaseID, RegisterDisclosureID: d.RegisterDisclosureID, SentenceToAmend: d.SentenceToAmend,
		Erased: d.Erased(), History: history,
		PublishedOn: dateOrNil(d.PublishedOn), RetentionDue: dateOrNil(d.RetentionDue)}
	if !d.Erased() {
		e := entryOf(d.Conviction)
		v.Conviction = &e
	}
	if d.Draft != nil {
		b := draftBodyOf(*d.Draft)
		v.Draft = &b
	}
	if n := d.SentBack; n != nil {
		v.SentBack = &noteView{By: n.By, At: n.At, Reason: n.Reason}
	}
	if n := d.TakenDown; n != nil {
		v.TakenDown = &noteView{By: n.By, At: n.At, Reason: n.Reason, Kind: string(d.TakedownReason)}
	}
	if t := d.Takedown; t != nil {
		r := t.Rehabilitation
		v.Takedown = &takedownView{On: t.On, Reason: string(t.Reason), PublicationPeriod: t.PublicationPeriod,
			Rehabilitation: rehabilitationView{NeverSpent: r.NeverSpent, SpentOn: dateOrNil(r.SpentOn), Rule: r.Rule, Computation: r.Computation}}
	}
	if a := d.Appeal; a != nil {
		v.Appeal = &appealBody{DecidedOn: a.DecidedOn, Court: a.Court, Notes: a.Notes}
	}
	return v
}

func draftBodyOf(d domain.Draft) draftBody {
	var b draftBody
	f := func(x domain.Factor) factorBody { return factorBody{Rating: string(x.Rating), Reason: x.Reason} }
	b.Factors.Significance, b.Factors.CommunityEffect = f(d.Factors.Significance), f(d.Factors.CommunityEffect)
	b.Factors.Frequency, b.Factors.Publicity = f(d.Factors.Frequency), f(d.Factors.Publicity)
	o := d.Offender
	b.Offender.AgeAtConviction, b.Offender.FamilyOrChildren, b.Offender.Vulnerability = o.AgeAtConviction, o.FamilyOrChildren, o.Vulnerability
	b.Offender.RiskOfHarm, b.Offender.Other = o.RiskOfHarm, o.Other
	b.Sentence = sentenceBody{Type: string(d.Sentence.Type), Term: d.Sentence.Term, EndsOn: d.Sentence.EndsOn}
	b.Proportionality.Proportionate, b.Proportionality.Conclusion = d.Proportionality.Proportionate, d.Proportionality.Conclusion
	b.Outcome, b.Reasons = string(d.Outcome), d.Reasons
	return b
}

func dateOrNil(d calendar.Date) *calendar.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}
