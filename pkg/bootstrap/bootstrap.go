// Package bootstrap holds what every Casework binary does the same way at start: the
// shared sections of its configuration (tagged for ardanlabs/conf, which each command
// parses itself), the logger, the database opened and migrated, the NATS connection, and
// serving HTTP beside background work until shutdown. It reads no environment.
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"golang.org/x/sync/errgroup"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/telemetry"
)

// HTTP is the API listener. Addr and MaxBodyBytes have no default here: each service sets
// its own before parsing (a tag default would overwrite it).
type HTTP struct {
	Addr            string
	ReadTimeout     time.Duration `conf:"default:10s"`
	WriteTimeout    time.Duration `conf:"default:15s"`
	ShutdownTimeout time.Duration `conf:"default:20s"`
	MaxBodyBytes    int64
}

// DB is the service's own database. Name has no default here: each service sets its own.
type DB struct {
	Host         string `conf:"default:127.0.0.1"`
	Port         int    `conf:"default:54329"`
	User         string `conf:"default:casework"`
	Password     string `conf:"default:casework,mask"`
	Name         string
	SSLMode      string `conf:"default:disable"`
	MaxOpenConns int    `conf:"default:32"`
}

// Postgres is the connection the service opens. Prepared statements get generic plans:
// the hot statements' plans do not depend on their values, and planning cost as much as
// executing them (docs/bench.md). JIT compilation is off: a service's statements run in
// milliseconds, and compiling one whose estimated cost crosses jit_above_cost (a scan of
// a large table, say) takes tens of milliseconds of CPU that other requests wait behind.
func (d DB) Postgres() postgres.Config {
	return postgres.Config{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Database: d.Name,
		SSLMode: d.SSLMode, MaxOpenConns: d.MaxOpenConns, MaxIdleConns: d.MaxOpenConns,
		RuntimeParams: map[string]string{"plan_cache_mode": "force_generic_plan", "jit": "off"}}
}

// NATS is the broker connection, as the service's user in the council account.
type NATS struct {
	URL      string `conf:"default:nats://127.0.0.1:4222"`
	User     string
	Password string `conf:"mask"`
}

// Auth is the bearer-token issuer: the local dev issuer or the council's OIDC provider.
type Auth struct {
	Issuer        string `conf:"default:casework-dev"`
	Audience      string `conf:"default:casework"`
	DevSigningKey string `conf:"mask,help:HS256 key of the local dev issuer (32+ bytes)"`
	OIDCIssuerURL string `conf:"help:the council's identity provider; replaces the dev issuer"`
}

// Check requires exactly one issuer; prefix names the service's variables in the message.
func (a Auth) Check(prefix string) error {
	if (a.DevSigningKey == "") == (a.OIDCIssuerURL == "") {
		return fmt.Errorf("config: set exactly one of %s_AUTH_DEV_SIGNING_KEY and %s_AUTH_OIDC_ISSUER_URL", prefix, prefix)
	}
	return nil
}

// Config is the httpserver authentication configuration. With OIDC the issuer is the
// provider's own URL, so the dev issuer's name is not passed on.
func (a Auth) Config() httpserver.AuthConfig {
	if a.OIDCIssuerURL != "" {
		return httpserver.AuthConfig{Audience: a.Audience, OIDCIssuerURL: a.OIDCIssuerURL}
	}
	return httpserver.AuthConfig{Issuer: a.Issuer, Audience: a.Audience, DevSigningKey: []byte(a.DevSigningKey)}
}

// Debug serves the profiler on its own listener, never on the API's.
type Debug struct {
	Addr string `conf:"help:serve net/http/pprof here (e.g. 127.0.0.1:6061); off when empty"`
}

// Logger writes JSON to out at the named level, every line tagged with the service.
// Durations are written as Go spells them ("1.5s"), not as a count of nanoseconds.
func Logger(out io.Writer, level, service string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("config: log level: %w", err)
	}
	return slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: l, ReplaceAttr: durationText})).With("service", service), nil
}

func durationText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

// OpenDatabase creates the database if it is missing, opens it and applies the migrations.
func OpenDatabase(ctx context.Context, cfg DB, sets ...postgres.Migration) (*sqlx.DB, error) {
	pg := cfg.Postgres()
	if err := postgres.EnsureDatabase(ctx, pg); err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, pg)
	if err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, db, sets...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ConnectNATS connects as the service, reconnecting for ever. Nothing is buffered while it
// reconnects (see messaging.ConnectOptions).
func ConnectNATS(cfg NATS, name string) (*nats.Conn, error) {
	nc, err := nats.Connect(cfg.URL, append(append([]nats.Option{nats.Name(name)}, messaging.ConnectOptions()...), cfg.Options()...)...)
	if err != nil {
		return nil, fmt.Errorf("connect nats %s: %w", cfg.URL, err)
	}
	return nc, nil
}

// Serve runs the API, the profiler when configured, and the service's background work,
// until ctx ends or one of them fails; then it shuts them all down gracefully.
func Serve(ctx context.Context, log *slog.Logger, api HTTP, debug Debug, handler http.Handler, background func(context.Context) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return background(ctx) })
	g.Go(func() error {
		return httpserver.Run(ctx, httpserver.Config{Addr: api.Addr, ReadTimeout: api.ReadTimeout,
			WriteTimeout: api.WriteTimeout, ShutdownTimeout: api.ShutdownTimeout, MaxBodyBytes: api.MaxBodyBytes}, handler, log)
	})
	if debug.Addr != "" {
		g.Go(func() error {
			return httpserver.Run(ctx, httpserver.Config{Addr: debug.Addr, ShutdownTimeout: api.ShutdownTimeout}, profiler(), log)
		})
	}
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	log.Info("stopped", "err", err)
	return err
}

// Every runs fn now and then at each interval until ctx ends; a zero interval disables it.
func Every(ctx context.Context, interval time.Duration, fn func()) error {
	if interval <= 0 {
		return nil
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func profiler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Ready is the service's readiness check (httpserver.Operational.Ready). The database is
// required: without it nothing can be read or written, so /readyz answers 503. The broker
// is not: writes still commit and the outbox holds their events until it is back, so
// without it the service is degraded (200, saying so). Each of checks (such as the outbox
// relay's) must be content too: an error one returns makes the service unready, unless it
// is an *httpserver.DependencyDown that says otherwise. /readyz shows fixed words only;
// every cause is logged.
func Ready(db *sqlx.DB, nc *nats.Conn, checks ...func() error) func() error {
	return func() error {
		var down []error
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			down = append(down, &httpserver.DependencyDown{Dependency: "database", Err: err})
		}
		if !nc.IsConnected() {
			down = append(down, &httpserver.DependencyDown{Dependency: "broker", Degraded: true,
				Err: fmt.Errorf("nats connection %s", nc.Status())})
		}
		for _, check := range checks {
			if err := check(); err != nil {
				down = append(down, err)
			}
		}
		return errors.Join(down...)
	}
}

// Tracing exports the service's spans when the standard OTEL_ variables, read through
// getenv, ask for it (telemetry.EnabledBy); stop flushes them at exit.
func Tracing(ctx context.Context, log *slog.Logger, service string, getenv func(string) string) (stop func(), err error) {
	enabled := telemetry.EnabledBy(getenv)
	shutdown, err := telemetry.Setup(ctx, telemetry.Config{Service: service, Enabled: enabled})
	if err != nil {
		return nil, err
	}
	log.Info("tracing", "exporting", enabled)
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Warn("tracing: flush at exit", "err", err)
		}
	}, nil
}
