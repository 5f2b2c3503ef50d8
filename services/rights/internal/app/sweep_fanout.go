package app

import (
	"context"
	"errors"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"casework.dev/contracts/events"
	"casework.dev/contracts/rights"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/services/rights/internal/domain"
)

// FanOutWorker is the actor recorded for what the services answered.
const FanOutWorker = "system:fan-out"

// SweepFanOut asks every service a request waits for (at once after a search or a
// confirmation, again after a wait when one did not answer) and records each answer in its
// own commit. It returns how many answers, refusals and failed attempts it recorded.
// Services are asked outside any transaction; they answer the same question twice without
// harm (casework.dev/contracts/rights), so two sweeps racing cost only a repeated question.
func (s *Service) SweepFanOut(ctx context.Context, batch int) (int, error) {
	ids, err := s.requests.DueForRetry(ctx, s.now(), batch)
	if err != nil {
		return 0, err
	}
	// Requests are asked about side by side, so one service that times out does not hold up
	// the others' requests for a whole batch of timeouts.
	var (
		mu       sync.Mutex
		recorded int
		failures []error
		g        errgroup.Group
	)
	g.SetLimit(fanOutParallel)
	for _, id := range ids {
		g.Go(func() error {
			n, err := s.askPending(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			recorded += n
			if err != nil {
				failures = append(failures, err)
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines report through failures
	return recorded, errors.Join(failures...)
}

// fanOutParallel is how many requests the sweep asks about at once.
const fanOutParallel = 8

type reply struct {
	service string
	answer  domain.Answer
	err     error
}

func (s *Service) askPending(ctx context.Context, id string) (int, error) {
	r, err := s.requests.Load(ctx, id)
	if err != nil {
		return 0, err
	}
	f := r.Asking()
	if f == nil {
		return 0, nil
	}
	due := f.Due(s.now())
	replies := make([]reply, len(due))
	var wg sync.WaitGroup
	for i, service := range due {
		wg.Go(func() {
			ans, err := s.responders.Ask(ctx, service, f.Verb, question(r, f.Verb, service))
			replies[i] = reply{service: service, answer: ans, err: err}
		})
	}
	wg.Wait()
	recorded := 0
	var failures []error
	for _, rep := range replies {
		_, err := s.change(ctx, FanOutWorker, id, func(r *domain.Request, a domain.Actor) (Change, error) {
			return s.record(r, f.Verb, rep, a)
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			failures = append(failures, err)
		default:
			recorded++
		}
	}
	return recorded, errors.Join(failures...)
}

// question is what service is asked for verb about r.
func question(r *domain.Request, verb, service string) any {
	switch verb {
	case rights.Find:
		return rights.FindRequest{RequestID: r.ID, Identifiers: r.Subject}
	case rights.Rectify:
		return rights.RectifyRequest{RequestID: r.ID, RecordIDs: r.MatchesFor(service), Field: r.Rectification.Field, Value: r.Rectification.Value}
	}
	return rights.RecordsRequest{RequestID: r.ID, RecordIDs: r.MatchesFor(service)}
}

// record applies one service's reply to the request; an answer to an erasure, rectification
// or restriction sends the Article 19 notices it calls for in the same commit.
func (s *Service) record(r *domain.Request, verb string, rep reply, a domain.Actor) (Change, error) {
	var refusal *ServiceRefusal
	switch {
	case errors.As(rep.err, &refusal):
		e, ok, err := r.RecordRefusal(verb, rep.service, refusal.Reason, a)
		return recorded(e, ok, err)
	case rep.err != nil:
		ok, err := r.RecordNoAnswer(verb, rep.service, rep.err.Error(), s.cfg.Retry, a)
		if err != nil || !ok {
			return recorded(domain.Event{}, ok, err)
		}
		return Change{}, nil // the attempt is on the request; nothing to announce
	}
	e, ok, err := r.RecordAnswer(verb, rep.service, rep.answer, a)
	if err != nil || !ok {
		return recorded(e, ok, err)
	}
	ch := Change{Events: []domain.Event{e}}
	for _, n := range r.Owed(rep.service, verb) {
		if d, refused := s.article19(r, n); d != nil {
			n.ID, n.SentAt = d.ID, a.Now
			ch.Disclosures = append(ch.Disclosures, *d)
		} else {
			n.ID, n.Refused = messaging.NewID(), refused
		}
		ch.Events = append(ch.Events, r.RecordNotice(n))
	}
	return ch, nil
}

func recorded(e domain.Event, ok bool, err error) (Change, error) {
	switch {
	case err != nil:
		return Change{}, err
	case !ok:
		return Change{}, errNothingToDo
	}
	return Change{Events: []domain.Event{e}}, nil
}

// article19 is the notice to one recipient as the rights notice allows it, minimised: the
// disclosure it concerns, what was done, and for a rectification the corrected value. When
// the notice does not allow it, nil and the notice's reason. The notice is asked once, so
// a refusal is counted once in casework_disclosures_refused_total.
// carried says whether the disclosure a notice follows held the rectified detail. Only then
// does its recipient hear the corrected value: one that never had the address is not sent
// the new one (say, the person complained about, from whom the complainant is withheld).
func carried(r *domain.Request, n domain.Article19Notice, field string) bool {
	for _, o := range r.Outcomes {
		for _, d := range o.Disclosures {
			if o.Service == n.Service && d.DisclosureID == n.OriginalDisclosureID &&
				slices.ContainsFunc(d.Categories, func(c string) bool { return rights.CategoryCarries(c, field) }) {
				return true
			}
		}
	}
	return false
}

func (s *Service) article19(r *domain.Request, n domain.Article19Notice) (*Disclosure, string) {
	dec := s.notice.Decide(notice.Request{Recipient: n.Recipient, Purpose: events.RightsArticle19Purpose, CaseType: "rights_request"})
	if !dec.Allowed {
		return nil, dec.Reason
	}
	fields := map[string]any{"service": n.Service, "original_disclosure_id": n.OriginalDisclosureID,
		"disclosed_at": n.OriginalDisclosedAt, "action": n.Action}
	if r.Rectification != nil && n.Action == domain.ActionDone(rights.Rectify) && carried(r, n, r.Rectification.Field) {
		fields["field"], fields["corrected_value"] = r.Rectification.Field, r.Rectification.Value
	}
	return &Disclosure{ID: messaging.NewID(), Recipient: dec.Recipient, Purpose: dec.Purpose, Condition: dec.Condition,
		Categories: dec.Categories, NoticeVersion: dec.NoticeVersion, DataSubject: "subject:" + r.ID,
		Subject: events.ShareSubject(dec.Recipient, "rights", events.RightsArticle19Suffix), Data: s.notice.MinimiseFields(dec, fields)}, ""
}
