package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/domain"
)

// OwnRecordsHolder answers the council's rights requests about the records this service
// keeps itself (casework.dev/contracts/rights), as every service answers for its own: the
// earlier rights requests a person made or was the subject of, the FOI/EIR requests they
// made, and the breaches they reported or were affected by. One use case a file (own_*.go).
// A record is one person in one case: "request/<id>/requester", "request/<id>/subject" (when
// someone else asked for them), "foi/<id>/requester", "breach/<id>/reporter" or
// "breach/<id>/affected-N" (N from 1). The request being answered is never among its own
// candidates.
type OwnRecordsHolder struct{ svc *Service }

// NewOwnRecordsHolder answers for svc's own records.
func NewOwnRecordsHolder(svc *Service) *OwnRecordsHolder { return &OwnRecordsHolder{svc: svc} }

var _ rights.Holder = (*OwnRecordsHolder)(nil)

// Record id prefixes, and the people a record may be about.
const (
	OwnRequestPrefix = "request/"
	OwnFOIPrefix     = "foi/"
	OwnBreachPrefix  = "breach/"
	roleRequester    = "requester"
	roleSubject      = "subject"
	roleReporter     = "reporter"
	roleAffected     = "affected" // "affected-N" in the record id
)

// Kinds of own record, as the notice's case types name them.
const (
	ownRequestKind = "rights_request"
	ownFOIKind     = "foi_request"
	ownBreachKind  = "data_breach"
)

// ownRecord is one person in one of the service's cases; affected is the position (from 0)
// of an affected person among a breach's.
type ownRecord struct {
	id, prefix, caseID, role string
	affected                 int
}

func ownRecordID(prefix, caseID, role string) string { return prefix + caseID + "/" + role }

// parseOwn reads a record id; one this service never gave is not found.
func parseOwn(id string) (ownRecord, error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || len(parts[1]) != 36 || uuid.Validate(parts[1]) != nil {
		return ownRecord{}, domain.ErrNotFound
	}
	rec := ownRecord{id: id, prefix: parts[0] + "/", caseID: parts[1], role: parts[2]}
	switch rec.prefix {
	case OwnRequestPrefix:
		if rec.role == roleRequester || rec.role == roleSubject {
			return rec, nil
		}
	case OwnFOIPrefix:
		if rec.role == roleRequester {
			return rec, nil
		}
	case OwnBreachPrefix:
		if rec.role == roleReporter {
			return rec, nil
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(rec.role, roleAffected+"-")); err == nil && n >= 1 && rec.role == roleAffected+"-"+strconv.Itoa(n) {
			rec.role, rec.affected = roleAffected, n-1
			return rec, nil
		}
	}
	return ownRecord{}, domain.ErrNotFound
}

// Disclosures lists what the service disclosed of the person from the record: the Article
// 19 notices an earlier request sent, which carried its subject's data (a representative's
// details never went with one), and a breach's report to the ICO. An FOI/EIR request is
// never shared (its requester's consent aside).
func (o *OwnRecordsHolder) Disclosures(ctx context.Context, id string) ([]rights.Disclosure, error) {
	rec, err := parseOwn(id)
	if err != nil {
		return []rights.Disclosure{}, nil
	}
	var dataSubject string
	switch rec.prefix {
	case OwnFOIPrefix:
		return []rights.Disclosure{}, nil
	case OwnBreachPrefix:
		dataSubject = "breach:" + rec.caseID
	default:
		r, err := o.svc.requests.Load(ctx, rec.caseID)
		if err != nil {
			return nil, err
		}
		if rec.role == roleRequester && r.Representative != nil {
			return []rights.Disclosure{}, nil
		}
		dataSubject = "subject:" + rec.caseID
	}
	logged, err := o.svc.own.LoggedDisclosures(ctx, dataSubject)
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
