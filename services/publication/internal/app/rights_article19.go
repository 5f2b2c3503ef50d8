package app

import (
	"context"
	"slices"

	"casework.dev/services/publication/internal/domain"
)

// Article19Notice is the rights service's notice (UK GDPR Art 19) that the data of a
// disclosure this service received was rectified, erased or restricted, or its
// restriction lifted: the actions its rights holder takes itself (rights_*.go).
type Article19Notice struct {
	NoticeID             string // the notice's own disclosure id
	RequestReference     string // the rights request it follows
	Service              string // whose disclosure it follows
	OriginalDisclosureID string
	Action               string // rectified, erased, restricted, restriction lifted
	Field                string // a rectification's, when the disclosure held it
	CorrectedValue       string
}

// What a notice says was done (casework.dev/services/rights: domain.ActionDone).
const (
	NoticeRectified  = "rectified"
	NoticeErased     = "erased"
	NoticeRestricted = "restricted"
	NoticeLifted     = "restriction lifted"
)

// Article19Outcome is what a notice did, without personal data: the decision it applied
// to (empty when it names no disclosure this service opened a decision from), whether it
// changed anything it could, and a lawful refusal's ground.
type Article19Outcome struct {
	DecisionID string
	Refused    string
	Ignored    string // why nothing was applied, e.g. a field the decision does not hold
}

// rectifiable are the conviction's details a decision holds (domain.Decision.Rectify).
var rectifiable = []string{"name", "town", "offence", "court", "date", "sentence"}

// ApplyArticle19 applies a notice to the decision opened from the investigations
// disclosure it names, as the offender's own request through the rights service would:
// a rectification rectifies, an erasure erases or is lawfully refused, a restriction
// restricts and a lift lifts. A notice naming no such decision changes nothing. Written
// in the caller's transaction when ctx carries one; the same notice again changes nothing.
func (r *Rights) ApplyArticle19(ctx context.Context, n Article19Notice) (Article19Outcome, error) {
	var out Article19Outcome
	if n.Service != domain.SourceInvestigations {
		out.Ignored = "not a disclosure of the investigations service"
		return out, nil
	}
	id, err := r.svc.repo.DecisionFromDisclosure(ctx, n.OriginalDisclosureID)
	if err != nil || id == "" {
		out.Ignored = "no decision was opened from that disclosure"
		return out, err
	}
	out.DecisionID = id
	requestID := n.RequestReference
	if requestID == "" {
		requestID = n.NoticeID
	}
	switch n.Action {
	case NoticeRectified:
		if n.Field == "" || !slices.Contains(rectifiable, n.Field) {
			out.Ignored = "no detail the decision holds was corrected"
			return out, nil
		}
		err = r.Rectify(ctx, requestID, id, n.Field, n.CorrectedValue)
	case NoticeErased:
		err = r.Erase(ctx, requestID, id)
	case NoticeRestricted:
		err = r.Restrict(ctx, requestID, id)
	case NoticeLifted:
		err = r.Lift(ctx, requestID, id)
	default:
		out.Ignored = "an action the notice does not name"
		return out, nil
	}
	if err == nil {
		return out, nil
	}
	if refusal := r.Refusal(err); refusal != nil {
		out.Refused = refusal.Ground // answered to nobody: the caller records it
		return out, nil
	}
	return out, err
}
