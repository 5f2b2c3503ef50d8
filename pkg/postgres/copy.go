package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// CopyRows writes n rows into table with COPY inside tx, row(i) giving row i's values in
// columns' order (nil for NULL, text in the column type's input form otherwise). A bulk
// import pays several times less than an INSERT over arrays: the server parses each value
// straight into its column, with no array to build, send, unnest and cast.
func CopyRows(ctx context.Context, tx *sqlx.Tx, table string, columns []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	defer stmt.Close()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil { // ends the COPY: constraints are checked here
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return stmt.Close()
}
