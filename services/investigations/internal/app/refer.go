package app

import (
	"context"
	"errors"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Recipient and purpose the notice names for the publication of conviction outcomes, and the
// notice occasion a recorded conviction is: the notice decides what goes on it.
const (
	PublicationRecipient = "publication-service"
	PublicationPurpose   = "publication_decision"
	OccasionConviction   = "conviction"
	// PublicationRestricted is the conviction event's "publication" detail when a
	// restriction withheld the disclosure: lifted, the disclosure goes (ReleasePublication).
	PublicationRestricted = "refused: restricted (UK GDPR Art 18)"
)

// SubjectRecipient is the notice's recipient that is the person investigated: one person, so
// a referral to it names which (ReferralRequest.PersonID).
const SubjectRecipient = "subject-of-investigation"

// ReferralRequest asks to send a case's data to one recipient for one purpose.
type ReferralRequest struct {
	Recipient  string
	Purpose    string
	Categories []string // empty: everything the notice allows
	// PersonID is, for SubjectRecipient, the person in the subject role it goes to; empty
	// for the case's only subject. No other recipient takes one.
	PersonID string
}

// ReferralResult is what was sent and what was held back, and why.
type ReferralResult struct {
	ID            string         `json:"id"`
	Recipient     string         `json:"recipient"`
	Purpose       string         `json:"purpose"`
	Condition     string         `json:"condition"`
	Categories    []string       `json:"categories"`
	Withheld      []string       `json:"withheld"`
	Reason        string         `json:"reason"`
	NoticeVersion string         `json:"notice_version"`
	Subject       string         `json:"subject"`
	Data          map[string]any `json:"data"`
	PersonID      string         `json:"person_id,omitempty"` // the person investigated it went to
}

// RefusalError is a referral the notice does not allow; Reason is in a DPO's words.
type RefusalError = casework.RefusalError

// Refer sends what the notice allows, minimised, and logs it, in one statement with the
// case's audit row: of what the case still holds (HeldOn), and to the person investigated
// only about themselves. A refusal changes nothing and names the rule.
func (s *Service) Refer(ctx context.Context, who domain.Caller, id string, req ReferralRequest) (ReferralResult, error) {
	var result ReferralResult
	_, err := s.change(ctx, who, id, "refer", func(stored *domain.Investigation, now time.Time) (Change, error) {
		// What goes is what the case still holds: nothing whose retention has ended, though
		// the sweep may not have erased it yet.
		c := stored.HeldOn(now, rightsdata.Email)
		if c.Erased() {
			return Change{}, domain.ErrErased
		}
		if err := s.repo.CheckDisclosure(ctx, c.ID); err != nil {
			return Change{}, err // someone in the case restricted its processing (UK GDPR Art 18)
		}
		d := s.notice.Decide(s.request(c, req.Recipient, req.Purpose, req.Categories, ""))
		if d.Rule != "" { // the notice sends this data only on an occasion, never on request
			return Change{}, &casework.RuleError{Rule: d.Rule, Detail: d.Reason}
		}
		if !d.Allowed {
			return Change{}, &RefusalError{Decision: d}
		}
		k := consentOf(c, d)
		switch {
		case req.Recipient == SubjectRecipient:
			var err error
			if k.subject, err = c.ReferralSubject(req.PersonID); err != nil {
				return Change{}, err
			}
		case req.PersonID != "":
			return Change{}, &casework.ValidationError{Field: "person_id", Detail: "is only for a referral to " + SubjectRecipient +
				", the person investigated, to name the one it goes to; a referral to " + d.Recipient + " goes to the recipient"}
		}
		data := caseData(c, d, k)
		disclosure := s.disclosure(c, d, data)
		result = ReferralResult{ID: disclosure.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			Categories: d.Categories, Withheld: nonNil(d.Withheld), Reason: d.Reason, NoticeVersion: d.NoticeVersion,
			Subject: disclosure.Subject, Data: disclosure.Data, PersonID: k.subject}
		e := stored.Disclosed(d.Recipient, d.Purpose, d.Categories)
		if k.subject != "" {
			e.Detail["person_id"] = k.subject // to whom, by id: the audit row's
		}
		return Change{Events: []domain.Event{e}, Disclosures: []Disclosure{disclosure},
			Carried: map[string][]string{disclosure.ID: peopleIn(c, k, data)}}, nil
	})
	return result, err
}

func (s *Service) request(c *domain.Investigation, recipient, purpose string, categories []string, occasion string) notice.Request {
	return notice.Request{Recipient: recipient, Purpose: purpose, CaseType: c.Area, Scope: c.Scope,
		Recorded: c.ConditionsFor(recipient), Occasion: occasion, Categories: categories}
}

func (s *Service) disclosure(c *domain.Investigation, d notice.Decision, data map[string]any) Disclosure {
	return Disclosure{ID: messaging.NewID(), Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
		Categories: d.Categories, NoticeVersion: d.NoticeVersion,
		Subject: events.ShareSubject(d.Recipient, "investigations", d.Purpose), Data: data}
}

// RecordOutcome ends the enforcement. On a conviction the outcome a publication decision
// needs goes, as the notice allows, to the publication service in the same statement.
func (s *Service) RecordOutcome(ctx context.Context, who domain.Caller, id string, o domain.Outcome) (*domain.Investigation, error) {
	return s.change(ctx, who, id, "record_outcome", func(c *domain.Investigation, now time.Time) (Change, error) {
		o.RecordedAt, o.RecordedBy = now, who.Officer
		if o.SentenceLength != "" && o.SentenceLength != domain.NoSentenceTerm {
			if _, err := notice.ParsePeriod(o.SentenceLength); err != nil {
				return Change{}, &casework.ValidationError{Field: "sentence_length", Detail: err.Error()}
			}
		}
		e, err := c.RecordOutcome(o)
		if err != nil {
			return Change{}, err
		}
		ch := Change{Events: []domain.Event{e}}
		if o.Kind != domain.OutcomeConviction {
			return ch, nil
		}
		// The conviction itself is what the public task of considering publication rests on.
		if !c.HasCondition(PublicationRecipient, "public_task") {
			c.Conditions = append(c.Conditions, domain.RecordedCondition{Recipient: PublicationRecipient, Condition: "public_task",
				Reason: "conviction recorded", At: now, By: who.Officer})
		}
		var restricted *casework.RestrictedError
		switch err := s.repo.CheckDisclosure(ctx, c.ID); {
		case errors.As(err, &restricted):
			e.Detail["publication"] = PublicationRestricted
			return ch, nil
		case err != nil:
			return Change{}, err
		}
		d := s.notice.Decide(s.request(c, PublicationRecipient, PublicationPurpose, nil, OccasionConviction))
		if !d.Allowed {
			e.Detail["publication"] = "refused: " + d.Reason
			return ch, nil
		}
		s.publish(c, d, &ch, e)
		return ch, nil
	})
}

// publish adds to ch the conviction's disclosure to the publication service the notice
// decided (d), naming it in e's detail.
func (s *Service) publish(c *domain.Investigation, d notice.Decision, ch *Change, e domain.Event) {
	disclosure := s.disclosure(c, d, publicationData(c, d.Categories))
	e.Detail["publication_disclosure"] = disclosure.ID
	ch.Disclosures = []Disclosure{disclosure}
	// It carries the person convicted alone: no witness or victim is told their data
	// went to the publication service, nor sent a correction to it.
	ch.Carried = map[string][]string{disclosure.ID: {c.Outcome.PersonID}}
}

// ReleasePublication discloses to the publication service, as RecordOutcome would have when
// it was recorded, the case's conviction whose disclosure a restriction withheld, once no
// restriction of the case remains (Art 18: lifted, processing may resume). It runs after
// the lift, in its own unit of work, and does nothing when nothing is withheld: a case
// whose publication disclosure went already (a second lift, a redelivered one), whose
// case file or convicted person was erased, or still restricted by someone else (their
// lift releases it), is left as it is.
func (s *Service) ReleasePublication(ctx context.Context, who domain.Caller, id string) error {
	_, err := s.change(ctx, who, id, "release_publication", func(stored *domain.Investigation, now time.Time) (Change, error) {
		c := stored.HeldOn(now, rightsdata.Email) // what the case still holds
		o := c.Outcome
		if c.Erased() || o == nil || o.Kind != domain.OutcomeConviction {
			return Change{}, errNothingToDo
		}
		if p := c.Person(o.PersonID); p == nil || *p == (domain.Person{ID: p.ID, Role: p.Role}) {
			return Change{}, errNothingToDo // the person convicted was erased
		}
		// Read in the unit of work guarded by the case's version: a disclosure committed
		// meanwhile steps it, so this reads again and finds it logged.
		switch withheld, err := s.repo.PublicationWithheld(ctx, c.ID); {
		case err != nil:
			return Change{}, err
		case !withheld:
			return Change{}, errNothingToDo
		}
		var restricted *casework.RestrictedError
		switch err := s.repo.CheckDisclosure(ctx, c.ID); {
		case errors.As(err, &restricted):
			return Change{}, errNothingToDo
		case err != nil:
			return Change{}, err
		}
		d := s.notice.Decide(s.request(c, PublicationRecipient, PublicationPurpose, nil, OccasionConviction))
		if !d.Allowed {
			return Change{}, errNothingToDo
		}
		e := stored.Disclosed(d.Recipient, d.Purpose, d.Categories)
		e.Detail["occasion"], e.Detail["withheld_until"] = OccasionConviction, "restriction lifted (UK GDPR Art 18)"
		ch := Change{Events: []domain.Event{e}}
		s.publish(c, d, &ch, e)
		return ch, nil
	})
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
