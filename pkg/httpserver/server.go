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
	WriteTimeout      time.Duration // default 30s
	IdleTimeout       time.Duration // default 120s
	ShutdownTimeout   time.Duration // default 10s: in-flight requests get this long to finish
	// MaxBodyBytes caps every request body (http.MaxBytesReader); 0 means DefaultMaxBodyBytes.
	// DecodeJSON then answers 413 when it is exceeded.
	MaxBodyBytes int64
}

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
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
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
func Serve(ctx context.Context, ln net.Listener, cfg Config, h http.Handler, log *slog.Logger) error {
	defer ln.Close() // already closed by Shutdown unless Serve never ran
	if log == nil {
		log = slog.Default()
	}
	cfg = cfg.withDefaults()
	srv := &http.Server{
		Handler:           limitBody(h, cfg.MaxBodyBytes),
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
	go func() { served <- srv.Serve(ln) }()
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
func limitBody(h http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		h.ServeHTTP(w, r)
	})
}
