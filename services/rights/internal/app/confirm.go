package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// Confirm records which candidates are the person's and asks the services holding them to
// act on the request.
func (s *Service) Confirm(ctx context.Context, dpo, id string, matches []domain.Match) (*domain.Request, error) {
	r, err := s.change(ctx, dpo, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		evs, err := r.Confirm(matches, s.offers, a)
		if err != nil {
			return Change{}, err
		}
		return Change{Events: evs}, nil
	})
	if err == nil {
		s.wake()
	}
	return r, err
}

// offers says whether service's privacy notice offers right: a portability or objection
// request is carried out only by the services whose notice does (each notice loads only if
// its purposes' lawful bases allow the rights it lists, casework.dev/pkg/notice).
func (s *Service) offers(service, right string) bool {
	n := s.cfg.ServiceNotices[service]
	return n != nil && n.Offers(right)
}
