package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// ObjectToMarketing answers an objection (UK GDPR Art 21): the debt notice offers it only
// for keeping in touch about the council's services, direct marketing (Art 21(2)), so the
// debtor's data is no longer used for that from now on (Art 21(3)) and nothing else is
// restricted. It ends the objecting debtor's consents only: a joint debtor's own consent is
// theirs to withdraw. A debtor with no such consent in force is done as they are.
func (r *Rights) ObjectToMarketing(ctx context.Context, requestID, id string) error {
	marketing := r.svc.notice.MarketingRecipients()
	return r.change(ctx, requestID, id, func(c *domain.Case, rec debtorRecord, a domain.Actor) (domain.Event, bool, error) {
		return c.ObjectToMarketing(rec.n, marketing, a)
	})
}
