package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// RespondFOI records the response part by part; publish lists it in the disclosure log.
func (s *Service) RespondFOI(ctx context.Context, officer, id string, parts []domain.Part, publish bool) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.Respond(parts, publish, s.foiYears, a))
	})
}
