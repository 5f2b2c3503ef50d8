package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/postgres"
)

// Common is the configuration every service reads, a case service or not, beside its NATS
// section (a case service's adds its streams' settings). Embedded, ardanlabs/conf flattens
// it, so the variables are <SERVICE>_HTTP_ADDR, <SERVICE>_DB_HOST and so on.
type Common struct {
	HTTP     HTTP
	DB       DB
	Auth     Auth
	Debug    Debug
	LogLevel string `conf:"default:info"`
	// GCPercent is the Go collector's pace (GOGC). A request's garbage dies with it, so the
	// heap that survives a collection is small, and at Go's default of 100 the collector ran
	// many times a second under load; at 400 it runs about a quarter as often, for a peak
	// resident set of about 140 MiB rather than 50 (docs/operations.md). Set at start, it
	// takes the place of the GOGC environment variable.
	GCPercent int `conf:"default:400,help:the Go collector's heap growth between collections (GOGC); negative turns it off"`
}

// Settings is the configuration every service that is not a case service reads (the
// delivery worker, the board): what RunService opens for it. The command embeds it beside
// its own sections.
type Settings struct {
	Common
	NATS NATS
}

// Defaults sets what has no tag default because it differs by service; call it before
// parsing.
func (s *Settings) Defaults(addr string, maxBodyBytes int64, database string) {
	s.HTTP.Addr, s.HTTP.MaxBodyBytes, s.DB.Name = addr, maxBodyBytes, database
}

// Options are the connection options that make a connection of the service's own (a
// watermill subscriber's) log in as the service, as ConnectNATS does.
func (n NATS) Options() []nats.Option {
	if n.User == "" {
		return nil
	}
	return []nats.Option{nats.UserInfo(n.User, n.Password)}
}

// ServiceCommand is what a command of a service that is not a case service gives
// RunService.
type ServiceCommand struct {
	Name string // "board"; its variables are BOARD_*
	// Config is the command's whole configuration (a pointer, printed masked at start) as
	// conf.Parse filled it, with Help and ParseErr what conf.Parse returned; Shared is the
	// Settings within it.
	Config   any
	Shared   *Settings
	Help     string
	ParseErr error

	Migrations []postgres.Migration
	// Build assembles the service from the opened shared parts.
	Build func(ctx context.Context, base ServiceConfig) (Runnable, error)

	// prepare runs once the logger is made, before anything is opened: RunCase loads the
	// notice there, so a malformed notice stops the service before it touches the database.
	prepare func(log *slog.Logger) error
}

// RunService runs a service until ctx ends: its configuration checked, the logger, tracing,
// its database created and migrated, its NATS connection, then Build's service served
// beside its background work.
func RunService(ctx context.Context, cmd ServiceCommand) error {
	shown, err := Parsed(os.Stdout, strings.ToUpper(cmd.Name), cmd.Config, cmd.Shared.Auth, cmd.Help, cmd.ParseErr)
	if err != nil {
		return err
	}
	cfg := *cmd.Shared
	log, err := Logger(os.Stdout, cfg.LogLevel, cmd.Name)
	if err != nil {
		return err
	}
	log.Info("starting", "config", shown)
	debug.SetGCPercent(cfg.GCPercent)
	if cfg.Debug.Addr == "" {
		// Heap profiles are read only through the debug listener; without one, sampling
		// allocations for them (a stack walk every 512 KiB) is work for no one.
		runtime.MemProfileRate = 0
	}
	stopTracing, err := Tracing(ctx, log, cmd.Name, os.Getenv)
	if err != nil {
		return err
	}
	defer stopTracing()
	if cmd.prepare != nil {
		if err := cmd.prepare(log); err != nil {
			return err
		}
	}
	db, err := OpenDatabase(ctx, cfg.DB, cmd.Migrations...)
	if err != nil {
		return err
	}
	defer db.Close()
	nc, err := ConnectNATS(cfg.NATS, cmd.Name)
	if err != nil {
		return err
	}
	defer nc.Drain() //nolint:errcheck // best effort at exit

	svc, err := cmd.Build(ctx, ServiceConfig{DB: db, NATS: nc, Auth: cfg.Auth.Config(), MaxBodyBytes: cfg.HTTP.MaxBodyBytes, Logger: log})
	if err != nil {
		return err
	}
	return Serve(ctx, log, cfg.HTTP, cfg.Debug, svc.HTTPHandler(), svc.RunBackground)
}

// ServiceConfig is what a service that is not a case service is assembled from, already
// opened. The service's own Config embeds it and adds what only it needs.
type ServiceConfig struct {
	DB           *sqlx.DB
	NATS         *nats.Conn
	Auth         httpserver.AuthConfig
	MaxBodyBytes int64 // the body the OpenAPI validator reads; httpserver's default when zero
	Logger       *slog.Logger
}

// Service is the machinery every service that is not a case service runs alike,
// assembled: JetStream, the guards of its API (bearer tokens, OpenAPI validation) from its
// contract, its operational routes and its background work. A service's own assembly
// embeds it, serves its HTTP surface (Serve) and adds its work (Background); it is then a
// Runnable.
type Service struct {
	Name       string
	Config     ServiceConfig // with defaults applied
	JetStream  jetstream.JetStream
	Guards     httpserver.Guards
	Spec       []byte
	handler    http.Handler
	background []func(ctx context.Context) error
}

// NewService builds the service's JetStream context and its guards from its OpenAPI
// contract.
func NewService(ctx context.Context, name string, openAPI Contract, cfg ServiceConfig) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	spec, err := openAPI(name)
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return &Service{Name: name, Config: cfg, JetStream: js, Guards: guards, Spec: spec}, nil
}

// Operational are the service's routes in the open: its contract, readiness (Ready, with
// checks beside the database and the broker) and metrics.
func (s *Service) Operational(checks ...func() error) httpserver.Operational {
	return httpserver.Operational{Spec: s.Spec, Ready: Ready(s.Config.DB, s.Config.NATS, checks...), Metrics: promhttp.Handler()}
}

// Serve makes h the service's HTTP surface.
func (s *Service) Serve(h http.Handler) { s.handler = h }

// OpenAPIDocument is the service's contract, as it serves it at /openapi.yaml; test
// environments hold every answer to it (testkit.StartService).
func (s *Service) OpenAPIDocument() []byte { return s.Spec }

// HTTPHandler is the service's HTTP surface, as Serve made it.
func (s *Service) HTTPHandler() http.Handler { return s.handler }

// Background adds long-running work, such as a consumer; it runs until ctx ends, and an
// error it returns stops the service.
func (s *Service) Background(run func(ctx context.Context) error) {
	s.background = append(s.background, run)
}

// RunBackground runs the background work until ctx ends or one of it fails.
func (s *Service) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, run := range s.background {
		g.Go(func() error { return run(ctx) })
	}
	return g.Wait()
}
