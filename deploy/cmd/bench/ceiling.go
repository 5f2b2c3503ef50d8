package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"casework.dev/pkg/postgres"
)

// measureCeiling counts one-row insert commits per second at the given concurrency on the
// same database: the most any transactional write path could reach here.
func measureCeiling(ctx context.Context, cfg postgres.Config, clients int, length time.Duration) (float64, error) {
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("ceiling table: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, length)
	defer cancel()
	var commits atomic.Int64
	var firstErr atomic.Value
	started := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := db.ExecContext(ctx, `INSERT INTO bench_ceiling (payload) VALUES ($1)`, "ceiling")
				if err != nil {
					if ctx.Err() == nil {
						firstErr.CompareAndSwap(nil, err)
					}
					return
				}
				commits.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return 0, fmt.Errorf("ceiling insert: %w", err)
	}
	return float64(commits.Load()) / time.Since(started).Seconds(), nil
}
