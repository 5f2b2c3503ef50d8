package app

import (
	"fmt"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/notice"
	"casework.dev/services/investigations/internal/domain"
)

// noTerm stands for a sentence with no term: shorter than any floor, so max(sentence, 7y)
// is the 7 years (the notice engine needs a sentence to compare).
var noTerm = notice.Period{Days: 1}

// applyRetention sets every item's clock from the notice: e-mails from receipt, CCTV and
// body-worn footage from capture (longer when used as evidence), and everything else -
// the case file, statements, documents, photos, special category items - from the end of
// the service, or for the length of the sentence if longer on a conviction. A clock whose
// trigger has not happened yet has no due date.
func (s *Service) applyRetention(c *domain.Investigation) error {
	caseFacts := notice.RetentionFacts{}
	if o := c.Outcome; o != nil && o.Kind == domain.OutcomeConviction {
		caseFacts.Facts = []string{"conviction"}
		caseFacts.Sentence = noTerm
		// An empty length was accepted before it was required; those keep the floor, as then.
		if o.SentenceLength != domain.NoSentenceTerm && o.SentenceLength != "" {
			p, err := notice.ParsePeriod(o.SentenceLength)
			if err != nil {
				return &casework.ValidationError{Field: "sentence_length", Detail: err.Error()}
			}
			caseFacts.Sentence = p
		}
	}
	caseClock, err := s.clock_(c, "case", caseFacts)
	if err != nil {
		return err
	}
	if caseFacts.Sentence == noTerm {
		caseClock.Computation = strings.Replace(caseClock.Computation, "sentence "+noTerm.String(), "sentence with no term", 1)
	}
	if !c.Erased() {
		c.Retention = caseClock
	}
	for i := range c.Evidence {
		e := &c.Evidence[i]
		if e.ErasedAt != nil {
			continue
		}
		cat := e.Kind.Category()
		if !s.hasOwnRule(cat) {
			e.Retention = caseClock
			continue
		}
		facts := notice.RetentionFacts{}
		if e.UsedAsEvidence {
			facts.Facts = []string{"used_as_evidence"}
		}
		if e.Retention, err = s.itemClock(c, cat, facts, e.CapturedAt); err != nil {
			return err
		}
	}
	for i := range c.Emails {
		m := &c.Emails[i]
		if m.ErasedAt != nil {
			continue
		}
		if m.Retention, err = s.itemClock(c, "email_correspondence", notice.RetentionFacts{}, m.ReceivedAt); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) hasOwnRule(category string) bool {
	for _, r := range s.notice.Retention {
		if r.AppliesTo == category {
			return true
		}
	}
	return false
}

// clock_ is the case file's clock, which runs from the end of the service (closure).
func (s *Service) clock_(c *domain.Investigation, appliesTo string, facts notice.RetentionFacts) (domain.Retention, error) {
	return s.itemClock(c, appliesTo, facts, time.Time{})
}

// itemClock works out one item's retention; at is the item's own trigger time (receipt
// or capture), and end of service is the case's closure.
func (s *Service) itemClock(c *domain.Investigation, appliesTo string, facts notice.RetentionFacts, at time.Time) (domain.Retention, error) {
	rp, err := s.notice.RetentionFor(appliesTo, facts)
	if err != nil {
		return domain.Retention{}, fmt.Errorf("retention for %s: %w", appliesTo, err)
	}
	var from time.Time
	switch rp.Trigger {
	case "receipt", "capture":
		from = at
	case "end_of_service", "closure":
		if c.ClosedAt == nil {
			return domain.Retention{Rule: rp.RuleID, Computation: rp.Computation + "; the service has not ended yet"}, nil
		}
		from = *c.ClosedAt
	default:
		return domain.Retention{}, fmt.Errorf("retention for %s: trigger %q is not one this service records", appliesTo, rp.Trigger)
	}
	start := calendar.DateOf(from)
	dueDate := calendar.DateOf(rp.Period.AddTo(start.StartOfDay().In(calendar.London()))) // calendar arithmetic on London dates
	return domain.Retention{Due: dueDate.String(), Rule: rp.RuleID,
		Computation: fmt.Sprintf("%s; from %s to %s", rp.Computation, start, dueDate)}, nil
}
