package app

import (
	"context"
	"errors"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/domain"
)

// Export gives the person one of the service's own records as it concerns them: what they
// gave (their details as given, what they asked, in their words) and what the council holds
// of the request (its kind, course and outcome), when retention erases it, and, once erased,
// the day it was. What the request found in other services is not repeated: each service
// answers for its own. Who else is in the record is left out and said to be. The read is
// audited on the request's trail.
func (o *OwnRecordsHolder) Export(ctx context.Context, requestID, id string) (rights.Record, bool, error) {
	rec, err := parseOwn(id)
	if err != nil {
		return rights.Record{}, false, nil // not a record of this service: nothing held
	}
	reader := rightsdata.Actor(requestID)
	switch rec.prefix {
	case OwnFOIPrefix:
		f, err := o.svc.foi.Read(ctx, rec.caseID, reader, o.svc.now())
		if errors.Is(err, domain.ErrFOINotFound) {
			return rights.Record{}, false, nil
		}
		if err != nil {
			return rights.Record{}, false, err
		}
		return exportFOI(rec, f), true, nil
	case OwnBreachPrefix:
		b, err := o.svc.breaches.Read(ctx, rec.caseID, reader, o.svc.now())
		if errors.Is(err, domain.ErrBreachNotFound) {
			return rights.Record{}, false, nil
		}
		if err != nil {
			return rights.Record{}, false, err
		}
		if rec.role == roleAffected && rec.affected >= len(b.AffectedContacts) && b.ErasedAt == nil {
			return rights.Record{}, false, nil
		}
		return exportBreach(rec, b), true, nil
	}
	r, err := o.svc.requests.Read(ctx, rec.caseID, reader, o.svc.now())
	if errors.Is(err, domain.ErrNotFound) {
		return rights.Record{}, false, nil
	}
	if err != nil {
		return rights.Record{}, false, err
	}
	return exportRequest(rec, r), true, nil
}

func ownRecordOf(rec ownRecord, kind, reference string, keptUntil calendar.Date) rights.Record {
	out := rights.Record{RecordID: rec.id, Kind: kind, Reference: reference, Role: rec.role, Provided: map[string]any{},
		Held: map[string]any{}, Redactions: []string{}}
	if !keptUntil.IsZero() {
		out.KeptUntil = keptUntil.String()
	}
	return out
}

func exportRequest(rec ownRecord, r *domain.Request) rights.Record {
	out := ownRecordOf(rec, ownRequestKind, r.Reference, r.RetentionDue)
	if r.Erased() {
		out.Held["erased_on"] = calendar.DateOf(*r.ErasedAt).String()
		return out
	}
	out.Held["kind"], out.Held["status"], out.Held["received_on"] = string(r.Kind), string(r.Status), londonDay(r)
	out.Held["due_date"] = r.Deadline.DueDate.String()
	if c := r.Closed; c != nil {
		out.Held["closed_on"], out.Held["outcome"] = calendar.DateOf(c.At).String(), string(c.Outcome)
		if c.Ground != "" {
			out.Held["refusal_ground"], out.Held["refusal_reasons"] = c.Ground, c.Reasons
		}
	}
	self := r.Representative == nil
	if rec.role == roleRequester {
		putPerson(out.Provided, r.Requester)
		if r.Details != "" {
			out.Provided["details"] = r.Details
		}
		if r.Identity.Method != "" {
			out.Held["identity_checked_with"] = r.Identity.Method
		}
		if r.Representative != nil && r.Representative.Organisation != "" {
			out.Provided["organisation"] = r.Representative.Organisation
		}
	}
	if rec.role == roleSubject || self {
		out.Held["identified_by"] = identifiersOf(r.Subject)
		if r.Rectification != nil {
			out.Held["rectification"] = map[string]any{"field": r.Rectification.Field, "value": r.Rectification.Value}
		}
	}
	switch {
	case rec.role == roleSubject:
		out.Redactions = append(out.Redactions, "who made the request on your behalf and what they wrote: other people's personal data")
	case !self:
		out.Redactions = append(out.Redactions, "the person the request was made for: other people's personal data")
	}
	return out
}

func exportFOI(rec ownRecord, f *domain.FOIRequest) rights.Record {
	out := ownRecordOf(rec, ownFOIKind, f.Reference, f.RetentionDue)
	if f.ErasedAt != nil {
		out.Held["erased_on"] = calendar.DateOf(*f.ErasedAt).String()
		return out
	}
	putPerson(out.Provided, f.Requester)
	out.Provided["details"] = f.Details
	out.Held["regime"], out.Held["status"] = string(f.Regime), string(f.Status)
	out.Held["received_on"], out.Held["due_date"] = calendar.DateOf(f.ReceivedAt).String(), f.Deadline.DueDate.String()
	if f.RespondedAt != nil {
		out.Held["responded_on"] = calendar.DateOf(*f.RespondedAt).String()
	}
	if rv := f.Review; rv != nil {
		review := map[string]any{"requested_on": calendar.DateOf(rv.RequestedAt).String()}
		if rv.DecidedAt != nil {
			review["decided_on"], review["outcome"] = calendar.DateOf(*rv.DecidedAt).String(), rv.Outcome
		}
		out.Held["internal_review"] = review
	}
	return out
}

// exportBreach gives a breach as it concerns the person: their details as recorded (given,
// when they reported it), what kinds of data it affected, whether it was confirmed and
// reported, and when the people affected were told. The breach's own account, what was
// released and to whom, may name others: it is left out, and said to be, as are the other
// people in it. Its records are kept until a data protection officer's review, which may keep
// them longer: no erasure date is known.
func exportBreach(rec ownRecord, b *domain.Breach) rights.Record {
	out := ownRecordOf(rec, ownBreachKind, b.Reference, calendar.Date{}) // reviewed, not erased, when its period ends
	if !b.ReviewDue.IsZero() {
		out.Held["review_due"] = b.ReviewDue.String()
	}
	if b.ErasedAt != nil {
		out.Held["erased_on"] = calendar.DateOf(*b.ErasedAt).String()
		return out
	}
	out.Held["status"], out.Held["confirmed"] = string(b.Status), b.Confirmed
	out.Held["discovered_on"], out.Held["categories_affected"] = calendar.DateOf(b.DiscoveredAt).String(), b.CategoriesAffected
	if b.Report != nil {
		out.Held["reported_to_ico"] = true
	}
	others := len(b.AffectedContacts)
	if rec.role == roleReporter {
		putPerson(out.Provided, b.ReportedBy)
	} else {
		contact := map[string]any{}
		putPerson(contact, b.AffectedContacts[rec.affected])
		out.Held["your_details"] = contact
		if t := b.PeopleTold; t != nil {
			out.Held["told_on"], out.Held["told_how"] = t.On.String(), t.Method
		}
		others--
	}
	out.Redactions = append(out.Redactions, "what happened, what was released and to whom, in the officers' words: it may name other people")
	if others > 0 || rec.role == roleAffected {
		out.Redactions = append(out.Redactions, "who reported the breach and the other people it affected: other people's personal data")
	}
	return out
}

// putPerson adds the details a person gave, those they gave only.
func putPerson(into map[string]any, p domain.Person) {
	for field, value := range map[string]string{"name": p.Name, "email": p.Email, "phone": p.Phone, "address": p.Address} {
		if value != "" {
			into[field] = value
		}
	}
}

// identifiersOf are the identifiers a request gave of its subject, those given only.
func identifiersOf(ids rights.Identifiers) map[string]any {
	out := map[string]any{}
	for field, value := range map[string]string{"name": ids.Name, "email": ids.Email, "phone": ids.Phone, "address": ids.Address,
		"postcode": ids.Postcode, "date_of_birth": ids.DateOfBirth} {
		if value != "" {
			out[field] = value
		}
	}
	if len(ids.References) > 0 {
		out["references"] = ids.References
	}
	return out
}
