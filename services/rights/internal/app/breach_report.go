package app

import (
	"context"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/services/rights/internal/domain"
)

// The ICO as the rights notice names it, and the purpose of a breach report.
const (
	ICORecipient  = "ico"
	ReportPurpose = "breach_report"
)

// RefusalError is a disclosure the notice does not allow; Reason is in a DPO's words. It is
// the platform's, so the problem says so (403, naming the recipient, the purpose and the
// notice's version) like every refused disclosure, not an internal error.
type RefusalError = casework.RefusalError

// ReportBreach reports the breach to the ICO as a disclosure the notice allows: the facts
// Article 33(3) asks for, minimised to the categories the notice lets the ICO receive, and
// logged. What was released and the affected people's contact details never go.
func (s *Service) ReportBreach(ctx context.Context, dpo, id string, in domain.BreachReport) (*domain.Breach, error) {
	return s.changeBreach(ctx, dpo, id, func(b *domain.Breach, a domain.Actor) (Change, error) {
		dec := s.notice.Decide(notice.Request{Recipient: ICORecipient, Purpose: ReportPurpose, CaseType: "data_breach"})
		if !dec.Allowed {
			return Change{}, &RefusalError{Decision: dec}
		}
		in.DisclosureID = messaging.NewID()
		e, err := b.ReportToICO(in, a)
		if err != nil {
			return Change{}, err
		}
		dpoContact := s.notice.Controller.DPO
		fields := map[string]any{"reference": b.Reference, "discovered_at": b.DiscoveredAt.Format(time.RFC3339),
			"aware_at": b.AwareAt.Format(time.RFC3339), "confirmed": b.Confirmed, "nature": b.Nature,
			"categories_affected": b.CategoriesAffected, "people_affected": b.PeopleAffected, "records_affected": b.RecordsAffected,
			"consequences": in.Consequences, "measures": in.Measures, "reportable_reason": b.Assessment.Reason,
			"high_risk": b.Assessment.HighRisk, "tell_people": b.Assessment.TellPeople, "late_reason": in.LateReason,
			"dpo_contact": dpoContact.Name + ", " + dpoContact.Email + ", " + dpoContact.Phone,
			// Never allowed to the ICO by the notice: minimisation drops them.
			"released": b.Released, "released_to": b.ReleasedTo, "affected_contacts": b.AffectedContacts}
		d := Disclosure{ID: in.DisclosureID, Recipient: dec.Recipient, Purpose: dec.Purpose, Condition: dec.Condition,
			Categories: dec.Categories, NoticeVersion: dec.NoticeVersion, DataSubject: "breach:" + b.ID,
			Subject: events.ShareSubject(dec.Recipient, "rights", dec.Purpose), Data: s.notice.MinimiseFields(dec, fields)}
		return Change{Events: []domain.Event{e}, Disclosures: []Disclosure{d}}, nil
	})
}
