package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// AmendSentence is an officer drafting a published entry's sentence again for the
// rehabilitation rules, after the court's words were corrected or to put a mistake right:
// its takedown is planned again (an earlier spent date wins; one already passed takes the
// entry down at once), and an entry held off the register for it shows again.
func (s *Service) AmendSentence(ctx context.Context, officer, id string, sentence domain.Sentence) (*domain.Decision, error) {
	return s.change(ctx, officer, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		e, err := d.AmendSentence(sentence, s.retentionDue(a), a)
		return Change{Event: e}, err
	})
}
