// Package postgres opens PostgreSQL through sqlx over lib/pq, applies goose migrations and
// runs units of work in transactions.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Config describes one database. SSLMode is explicit because lib/pq's default ("require")
// fails against a local server and silently wrong TLS is worse than a clear setting.
type Config struct {
	Host            string
	Port            int
	User            string
	Password        string `mask:"true"`
	Database        string
	SSLMode         string
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	// RuntimeParams are server settings for every session, e.g. plan_cache_mode.
	RuntimeParams map[string]string
}

// DSN renders the config as a lib/pq URL.
func (c Config) DSN() string {
	u := url.URL{
		Scheme: "postgres",
		User:   url.UserPassword(c.User, c.Password),
		Host:   fmt.Sprintf("%s:%d", c.Host, c.Port),
		Path:   "/" + c.Database,
	}
	q := url.Values{"sslmode": {c.SSLMode}}
	for k, v := range c.RuntimeParams {
		q.Set(k, v) // lib/pq sends parameters it does not know to the server as settings
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// WithDatabase returns a copy of the config pointing at another database on the same server.
func (c Config) WithDatabase(name string) Config {
	c.Database = name
	return c
}

// Open connects and pings.
func Open(ctx context.Context, cfg Config) (*sqlx.DB, error) {
	if cfg.SSLMode == "" {
		return nil, errors.New("postgres: sslmode must be set explicitly (disable, require, verify-full)")
	}
	db, err := sqlx.Open("postgres", cfg.DSN())
	if err != nil {
		return nil, fmt.Errorf("open postgres %s/%s: %w", cfg.Host, cfg.Database, err)
	}
	if cfg.MaxOpenConns > 0 {
		db.SetMaxOpenConns(cfg.MaxOpenConns)
	}
	if cfg.MaxIdleConns > 0 {
		db.SetMaxIdleConns(cfg.MaxIdleConns)
	}
	if cfg.ConnMaxLifetime > 0 {
		db.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping postgres %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	return db, nil
}

// EnsureDatabase creates the database named in cfg if it does not exist, connecting to the
// maintenance database "postgres" on the same server.
func EnsureDatabase(ctx context.Context, cfg Config) error {
	admin, err := Open(ctx, cfg.WithDatabase("postgres"))
	if err != nil {
		return err
	}
	defer admin.Close()
	var exists bool
	if err := admin.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, cfg.Database); err != nil {
		return fmt.Errorf("look up database %s: %w", cfg.Database, err)
	}
	if exists {
		return nil
	}
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(cfg.Database))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // created concurrently
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", cfg.Database, err)
	}
	return nil
}

// Migration is one set of goose SQL migrations with its own version table, so platform
// tables and a service's tables migrate independently in the same database.
type Migration struct {
	FS           fs.FS
	VersionTable string
}

// Migrate applies every migration set in order.
func Migrate(ctx context.Context, db *sqlx.DB, sets ...Migration) error {
	for _, set := range sets {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		provider, err := goose.NewProvider(goose.DialectPostgres, db.DB, set.FS,
			goose.WithDisableGlobalRegistry(true), goose.WithTableName(set.VersionTable), goose.WithSessionLocker(locker))
		if err != nil {
			return fmt.Errorf("migrations %s: %w", set.VersionTable, err)
		}
		if _, err := provider.Up(ctx); err != nil {
			return fmt.Errorf("apply migrations %s: %w", set.VersionTable, err)
		}
	}
	return nil
}

// InTx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
func InTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique constraint violation, optionally of a
// named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "23505" {
		return false
	}
	return constraint == "" || pqErr.Constraint == constraint
}
