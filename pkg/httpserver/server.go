package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Config configures Run. Zero durations take the defaults below.
type Config struct {
	Addr              string
	ReadTimeout       time.Duration // default 15s
	ReadHeaderTimeout time.Duration // default 5s: slow-header clients are cut off
	WriteTimeout      time.Duration // default 30s; at least ReadTimeout + 5s
	IdleTimeout       time.Duration // default 120s
	ShutdownTimeout   time.Duration // default 10s: in-flight requests get this long to finish
	// RequestTimeout ends each request's context, so a request held up by a slow dependency
	// answers 503 while the connection can still carry it; default WriteTimeout less a
	// second (half of WriteTimeout when that is shorter).
	RequestTimeout time.Duration
	// MaxBodyBytes caps every request body (http.MaxBytesReader); 0 means DefaultMaxBodyBytes.
	// DecodeJSON then answers 413 when it is exceeded.
	MaxBodyBytes int64
	// MaxHeaderBytes caps the request line and header fields; 0 means
	// http.DefaultMaxHeaderBytes (1 MiB). Past it the answer is a 431 problem.
	MaxHeaderBytes int
}

// answerMargin is how long past the read deadline the server may still write an answer.
const answerMargin = 5 * time.Second

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ReadTimeout, 15*time.Second)
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.WriteTimeout, 30*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.ShutdownTimeout, 10*time.Second)
	def(&c.RequestTimeout, max(c.WriteTimeout-time.Second, c.WriteTimeout/2))
	// A body still arriving at ReadTimeout is answered 408 on the connection after that: a
	// write deadline no later than the read deadline would drop the answer, and the client
	// would wait on a silent connection. RequestTimeout stays below the WriteTimeout set.
	c.WriteTimeout = max(c.WriteTimeout, c.ReadTimeout+answerMargin)
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = http.DefaultMaxHeaderBytes
	}
	return c
}

// Run listens on cfg.Addr and serves h until ctx is cancelled, then shuts
// down gracefully. It returns nil after a clean shutdown.
func Run(ctx context.Context, cfg Config, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("httpserver: listen %s: %w", cfg.Addr, err)
	}
	return Serve(ctx, ln, cfg, h, log)
}

// Serve is Run on a listener the caller opened (tests use "127.0.0.1:0").
// It closes ln.
//
// Every error the server itself produces is a problem: a panic anywhere in h is a 500
// (Recover, outermost), a request past RequestTimeout a 503 (through Adapt), a body slower
// than ReadTimeout a 408 (DecodeJSON), and net/http's own plain-text refusals before any
// handler (431, 400, 501, 505, 417) are rewritten on the connection (wire.go).
func Serve(ctx context.Context, ln net.Listener, cfg Config, h http.Handler, log *slog.Logger) error {
	defer ln.Close() // already closed by Shutdown unless Serve never ran
	if log == nil {
		log = slog.Default()
	}
	cfg = cfg.withDefaults()
	srv := &http.Server{
		Handler:           Chain(h, Recover(log), requestDeadline(cfg.RequestTimeout), limitBody(cfg.MaxBodyBytes)),
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ReadTimeout:       cfg.ReadTimeout,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests keep ctx's values but not its cancellation: shutting down
		// must let in-flight requests finish, not cancel them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() {
		served <- srv.Serve(&problemListener{Listener: ln, maxHeaderBytes: cfg.MaxHeaderBytes, log: log})
	}()
	log.Info("http server listening", slog.String("addr", ln.Addr().String()))

	select {
	case err := <-served:
		return fmt.Errorf("httpserver: serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serveErr := <-served; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("httpserver: serve: %w", serveErr)
	}
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("httpserver: shutdown: %w", err)
	}
	log.Info("http server stopped", slog.String("addr", ln.Addr().String()))
	return nil
}

// limitBody caps every body so no handler can be made to read without bound.
func limitBody(limit int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// requestDeadline ends the request's context after d.
func requestDeadline(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
