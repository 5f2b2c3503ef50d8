package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"
)

// Prepared runs queries as prepared statements, preparing each distinct query text once
// and reusing it, so PostgreSQL parses and plans a hot query once per connection rather
// than on every execution (make bench measured planning at about as much as execution
// for the write path's statements). Beyond Max distinct texts it runs queries unprepared.
// It is a sqlx.QueryerContext, so sqlx.GetContext and sqlx.SelectContext accept it.
type Prepared struct {
	db    *sqlx.DB
	max   int
	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt
}

// NewPrepared wraps db; max bounds how many statements are kept (default 256).
func NewPrepared(db *sqlx.DB, max int) *Prepared {
	if max <= 0 {
		max = 256
	}
	return &Prepared{db: db, max: max, stmts: map[string]*sqlx.Stmt{}}
}

var _ sqlx.QueryerContext = (*Prepared)(nil)

func (p *Prepared) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	p.mu.Lock()
	s, ok := p.stmts[query]
	full := len(p.stmts) >= p.max
	p.mu.Unlock()
	if ok {
		return s, nil
	}
	if full {
		return nil, nil
	}
	// Prepared outside the lock: a slow round trip must not stall queries already cached.
	s, err := p.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if existing, ok := p.stmts[query]; ok { // another caller prepared it meanwhile
		_ = s.Close()
		return existing, nil
	}
	p.stmts[query] = s
	return s, nil
}

// QueryContext runs query prepared.
func (p *Prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := p.stmt(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return p.db.QueryContext(ctx, query, args...)
	}
	return s.QueryContext(ctx, args...)
}

// QueryxContext runs query prepared.
func (p *Prepared) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	s, err := p.stmt(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return p.db.QueryxContext(ctx, query, args...)
	}
	return s.QueryxContext(ctx, args...)
}

// QueryRowxContext runs query prepared. A failure to prepare surfaces from the unprepared
// run of the same query, since sqlx.Row cannot carry an error of its own.
func (p *Prepared) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	if s, err := p.stmt(ctx, query); err == nil && s != nil {
		return s.QueryRowxContext(ctx, args...)
	}
	return p.db.QueryRowxContext(ctx, query, args...)
}

// Close releases every prepared statement.
func (p *Prepared) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var first error
	for q, s := range p.stmts {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
		delete(p.stmts, q)
	}
	return first
}
