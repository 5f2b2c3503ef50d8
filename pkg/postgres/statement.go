package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Statement composes one SQL statement out of data-modifying common table expressions, so
// a whole unit of work (state, outbox, audit) commits atomically in a single round trip.
// PostgreSQL runs a statement as its own transaction; every CTE sees the same snapshot
// and they all commit or none does.
type Statement struct {
	ctes  []string
	args  []any
	names map[string]int
}

// Arg binds v and returns its placeholder.
func (s *Statement) Arg(v any) string {
	s.args = append(s.args, v)
	return "$" + strconv.Itoa(len(s.args))
}

// ContextArg binds a value computed from the context the statement runs in (Get's), such
// as the trace context of the request, and returns its placeholder.
func (s *Statement) ContextArg(value func(ctx context.Context) any) string {
	return s.Arg(contextArg(value))
}

// contextArg is resolved by Get; a caller that runs SQL() itself gets its value for an
// empty context.
type contextArg func(ctx context.Context) any

func (c contextArg) Value() (driver.Value, error) { return c(context.Background()), nil }

// Name returns a CTE name unique within the statement, starting with prefix.
func (s *Statement) Name(prefix string) string {
	if s.names == nil {
		s.names = map[string]int{}
	}
	s.names[prefix]++
	return prefix + "_" + strconv.Itoa(s.names[prefix])
}

// With adds a CTE; later ones and the final query may refer to it by name.
func (s *Statement) With(name, query string) {
	s.ctes = append(s.ctes, name+" AS ("+query+")")
}

// SQL returns the statement ending in final, and its arguments.
func (s *Statement) SQL(final string) (string, []any) {
	if len(s.ctes) == 0 {
		return final, s.args
	}
	return "WITH " + strings.Join(s.ctes, ",\n") + "\n" + final, s.args
}

// Get runs the statement and scans its single-row result into dest.
func (s *Statement) Get(ctx context.Context, q sqlx.QueryerContext, dest any, final string) error {
	query, args := s.SQL(final)
	for i, a := range args {
		if f, ok := a.(contextArg); ok {
			args = append(args[:i:i], args[i:]...) // a copy: the statement may run again
			args[i] = f(ctx)
		}
	}
	if err := sqlx.GetContext(ctx, q, dest, query, args...); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	return nil
}
