package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/domain"
)

// Find lists the service's own records the identifiers may be about: rights requests whose
// requester or subject matches (one candidate for someone who asked for themselves), and
// FOI/EIR requests whose requester matches, and breaches whose reporter or one of the people
// affected matches, by their details or a reference they quote.
// Each read is audited on the request's trail.
func (o *OwnRecordsHolder) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	w, reader := rightsdata.Wanted(ids), rightsdata.Actor(requestID) // the same fields, by design
	as := func(c rightsdata.Candidate) rights.Candidate { return rights.Candidate(c) }
	requests, err := rightsdata.Find(ctx, w, rightsdata.Finder[*domain.Request, rights.Candidate]{
		Search: func(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
			return o.svc.own.FindRequests(ctx, w, requestID, limit)
		},
		Read: func(ctx context.Context, id string) (*domain.Request, error) {
			return o.svc.requests.Read(ctx, id, reader, o.svc.now())
		},
		Match: matchRequest, Restrictions: o.svc.own.Restrictions, As: as,
	})
	if err != nil {
		return nil, err
	}
	fois, err := rightsdata.Find(ctx, w, rightsdata.Finder[*domain.FOIRequest, rights.Candidate]{
		Search: o.svc.own.FindFOI,
		Read: func(ctx context.Context, id string) (*domain.FOIRequest, error) {
			return o.svc.foi.Read(ctx, id, reader, o.svc.now())
		},
		Match: matchFOI, Restrictions: o.svc.own.Restrictions, As: as,
	})
	if err != nil {
		return nil, err
	}
	breaches, err := rightsdata.Find(ctx, w, rightsdata.Finder[*domain.Breach, rights.Candidate]{
		Search: o.svc.own.FindBreaches,
		Read: func(ctx context.Context, id string) (*domain.Breach, error) {
			return o.svc.breaches.Read(ctx, id, reader, o.svc.now())
		},
		Match: matchBreach, Restrictions: o.svc.own.Restrictions, As: as,
	})
	return slices.Concat(requests, fois, breaches), err
}

// matchRequest is the request's requester, and its subject when someone else asked for
// them, each as a candidate when w matches them.
func matchRequest(w rightsdata.Wanted, r *domain.Request) []rightsdata.Candidate {
	summary := fmt.Sprintf("%s request received %s, %s", r.Kind, londonDay(r), r.Status)
	requester := rightsdata.Person{Names: []string{r.Requester.Name}, Email: r.Requester.Email, Phone: r.Requester.Phone,
		Address: r.Requester.Address, References: []string{r.Reference}}
	subject := rightsdata.Person{Names: []string{r.Subject.Name}, Email: r.Subject.Email, Phone: r.Subject.Phone,
		Address: r.Subject.Address + " " + r.Subject.Postcode, DateOfBirth: r.Subject.DateOfBirth, References: []string{r.Reference}}
	var out []rightsdata.Candidate
	add := func(role string, matched []string) {
		if rightsdata.IsCandidate(matched) {
			out = append(out, rightsdata.Candidate{RecordID: ownRecordID(OwnRequestPrefix, r.ID, role), Kind: ownRequestKind, Reference: r.Reference,
				Role: role, Matched: matched, Summary: summary})
		}
	}
	if r.Representative == nil { // the requester asked for themselves: one person
		add(roleRequester, union(w.Matched(requester), w.Matched(subject)))
		return out
	}
	add(roleRequester, w.Matched(requester))
	add(roleSubject, w.Matched(subject))
	return out
}

// matchFOI is the FOI/EIR request's requester as a candidate when w matches them.
func matchFOI(w rightsdata.Wanted, f *domain.FOIRequest) []rightsdata.Candidate {
	matched := w.Matched(rightsdata.Person{Names: []string{f.Requester.Name}, Email: f.Requester.Email, Phone: f.Requester.Phone,
		Address: f.Requester.Address, References: []string{f.Reference}})
	if !rightsdata.IsCandidate(matched) {
		return nil
	}
	return []rightsdata.Candidate{{RecordID: ownRecordID(OwnFOIPrefix, f.ID, roleRequester), Kind: ownFOIKind, Reference: f.Reference,
		Role: roleRequester, Matched: matched,
		Summary: fmt.Sprintf("%s request received %s, %s", f.Regime, calendar.DateOf(f.ReceivedAt), f.Status)}}
}

// matchBreach is the breach's reporter, and each person it affected, as a candidate when w
// matches them.
func matchBreach(w rightsdata.Wanted, b *domain.Breach) []rightsdata.Candidate {
	summary := fmt.Sprintf("data breach discovered %s, %s", calendar.DateOf(b.DiscoveredAt), b.Status)
	var out []rightsdata.Candidate
	add := func(role, recordRole string, p domain.Person) {
		matched := w.Matched(rightsdata.Person{Names: []string{p.Name}, Email: p.Email, Phone: p.Phone, Address: p.Address,
			References: []string{b.Reference}})
		if rightsdata.IsCandidate(matched) {
			out = append(out, rightsdata.Candidate{RecordID: ownRecordID(OwnBreachPrefix, b.ID, recordRole), Kind: ownBreachKind,
				Reference: b.Reference, Role: role, Matched: matched, Summary: summary})
		}
	}
	add(roleReporter, roleReporter, b.ReportedBy)
	for i, p := range b.AffectedContacts {
		add(roleAffected, roleAffected+"-"+strconv.Itoa(i+1), p)
	}
	return out
}

// union is the identifiers matched in either list, in the protocol's order (Matched's).
func union(a, b []string) []string {
	var out []string
	for _, m := range []string{"name", "email", "phone", "address", "postcode", "date_of_birth", "reference"} {
		if slices.Contains(a, m) || slices.Contains(b, m) {
			out = append(out, m)
		}
	}
	if out == nil {
		return []string{}
	}
	return out
}
