package app

import (
	"context"
	"fmt"

	"casework.dev/services/board/internal/domain"
)

// RecordStatus folds one status event into the read model held by store.
func RecordStatus(ctx context.Context, store CaseStore, s domain.Status) error {
	if err := s.Check(); err != nil {
		return err
	}
	held, err := store.Held(ctx, s.Service, s.Reference)
	if err != nil {
		return fmt.Errorf("read case %s/%s: %w", s.Service, s.Reference, err)
	}
	c, changed, answer := domain.Apply(held, s)
	if changed {
		if err := store.Save(ctx, c); err != nil {
			return fmt.Errorf("save case %s/%s: %w", s.Service, s.Reference, err)
		}
	}
	if answer != nil {
		if err := store.SaveAnswer(ctx, *answer); err != nil {
			return fmt.Errorf("save answer %s/%s: %w", s.Service, s.Reference, err)
		}
	}
	if changed || answer != nil {
		return store.Announce(ctx, s.Service)
	}
	return nil
}
