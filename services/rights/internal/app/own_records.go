package app

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/domain"
)

// OwnRecordsHolder answers the council's rights requests about the records this service
// keeps itself (casework.dev/contracts/rights), as every service answers for its own: the
// earlier rights requests a person made or was the subject of, and the FOI/EIR requests they
// made. One use case a file (own_*.go). A record is one person in one request:
// "request/<id>/requester", "request/<id>/subject" (when someone else asked for them) or
// "foi/<id>/requester". The request being answered is never among its own candidates.
type OwnRecordsHolder struct{ svc *Service }

// NewOwnRecordsHolder answers for svc's own records.
func NewOwnRecordsHolder(svc *Service) *OwnRecordsHolder { return &OwnRecordsHolder{svc: svc} }

var _ rights.Holder = (*OwnRecordsHolder)(nil)

// Record id prefixes, and the people a record may be about.
const (
	OwnRequestPrefix = "request/"
	OwnFOIPrefix     = "foi/"
	roleRequester    = "requester"
	roleSubject      = "subject"
)

// Kinds of own record, as the rights service names them to itself.
const (
	ownRequestKind = "rights_request"
	ownFOIKind     = "foi_request"
)

// ownRecord is one person in one of the service's requests.
type ownRecord struct {
	id, caseID, role string
	foi              bool
}

func ownRequestRecord(id, role string) string { return OwnRequestPrefix + id + "/" + role }

// parseOwn reads a record id; one this service never gave is not found.
func parseOwn(id string) (ownRecord, error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || uuid.Validate(parts[1]) != nil || len(parts[1]) != 36 {
		return ownRecord{}, domain.ErrNotFound
	}
	rec := ownRecord{id: id, caseID: parts[1], role: parts[2], foi: parts[0]+"/" == OwnFOIPrefix}
	switch {
	case parts[0]+"/" == OwnRequestPrefix && (rec.role == roleRequester || rec.role == roleSubject):
	case rec.foi && rec.role == roleRequester:
	default:
		return ownRecord{}, domain.ErrNotFound
	}
	return rec, nil
}

// dataSubject is how the disclosure log names the person a request's Article 19 notices
// carried data of: its subject.
func ownDataSubject(caseID string) string { return "subject:" + caseID }

// Disclosures lists what the service disclosed of the person from the record: the Article
// 19 notices an earlier request sent, which carried its subject's data. An FOI/EIR request
// is never shared (its requester's consent aside), and a representative's details never
// went with a notice.
func (o *OwnRecordsHolder) Disclosures(ctx context.Context, id string) ([]rights.Disclosure, error) {
	rec, err := parseOwn(id)
	if err != nil || rec.foi {
		return []rights.Disclosure{}, nil
	}
	r, err := o.svc.requests.Load(ctx, rec.caseID)
	if err != nil {
		return nil, err
	}
	if rec.role == roleRequester && r.Representative != nil {
		return []rights.Disclosure{}, nil
	}
	logged, err := o.svc.own.LoggedDisclosures(ctx, ownDataSubject(rec.caseID))
	out := make([]rights.Disclosure, len(logged))
	for i, d := range logged {
		out[i] = rights.Disclosure(d)
	}
	return out, err
}

// Refusal words a refusal of one record as the rights protocol carries it.
func (o *OwnRecordsHolder) Refusal(err error) *rights.Refusal {
	return (*rights.Refusal)(rightsdata.Refuse(o.svc.notice, err))
}

func londonDay(r *domain.Request) string { return calendar.DateOf(r.ReceivedAt).String() }
