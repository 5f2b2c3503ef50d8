package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"casework.dev/migrations"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/postgres"
)

// Contract reads one of a service's contract documents by service name, as
// contracts.OpenAPI and contracts.Notice do.
type Contract func(service string) ([]byte, error)

// CaseMigrations are a case service's migration sets: the platform's first (outbox, audit,
// disclosure log, idempotency keys, rights restrictions), then the service's own.
func CaseMigrations(service string, own fs.FS) []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: own, VersionTable: "goose_" + service},
	}
}

// LoadNotice reads the notice a service enforces: the file when one is named, else its
// contract. A malformed notice stops the service here, with the problems listed.
func LoadNotice(service, file string, builtIn Contract) (*notice.Notice, []byte, error) {
	if file != "" {
		n, err := notice.LoadFile(file) // names the file in its problems
		if err != nil {
			return nil, nil, err
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", file, err)
		}
		return n, raw, nil
	}
	raw, err := builtIn(service)
	if err != nil {
		return nil, nil, fmt.Errorf("built-in %s notice: %w", service, err)
	}
	n, err := notice.Load(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("built-in %s notice: %w", service, err)
	}
	return n, raw, nil
}

// LoadCalendar builds the calendar, with the bank-holiday table in file replacing the
// built-in one when a file is named.
func LoadCalendar(file string) (*calendar.Calendar, error) {
	var cfg calendar.Config
	if file != "" {
		var err error
		if cfg.Holidays, err = os.ReadFile(file); err != nil {
			return nil, fmt.Errorf("bank holidays: %w", err)
		}
	}
	cal, err := calendar.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("bank holidays: %w", err)
	}
	holidayTableEnd(prometheus.DefaultRegisterer, cal)
	return cal, nil
}

// CaseConfig is what every case service is assembled from, already opened. A service's
// own Config embeds it and adds what only it needs.
type CaseConfig struct {
	DB                *sqlx.DB
	NATS              *nats.Conn
	Clock             calendar.Clock
	Notice            *notice.Notice
	NoticeYAML        []byte
	Auth              httpserver.AuthConfig
	MaxBodyBytes      int64
	Relay             messaging.RelayConfig
	StreamReplicas    int
	ShareMaxAge       time.Duration
	RetentionInterval time.Duration
	SweepBatch        int // cases one sweep run takes; 200 when zero
	Logger            *slog.Logger
	// PartnersFile is the partners directory (contracts/partners.yaml): beside its share
	// stream the service provisions the council's reader of every internal and webhook
	// recipient its notice names, so no disclosure is dropped before that reader first
	// starts (partners.ProvisionReaders). Nil provisions none.
	PartnersFile []byte
}

// Case is the machinery every case service runs alike, assembled: its streams
// provisioned, the outbox relay, the guards of its API (bearer tokens, OpenAPI
// validation), its operational routes and its sweeps. A service's own assembly embeds it
// and adds its API (Serve) and its sweeps (Sweep); it is then a Runnable.
type Case struct {
	Name       string
	Config     CaseConfig // with defaults applied
	Relay      *messaging.Relay
	Guards     httpserver.Guards
	Spec       []byte
	handler    http.Handler
	streamed   []Streamed
	sweeps     []Sweep
	background []func(ctx context.Context) error
	ownErrors  httpserver.ErrorMapper
	public     []Route
}

// NewCase provisions the service's streams (messaging.ServiceStreams) and builds its relay
// and guards from its OpenAPI contract.
func NewCase(ctx context.Context, name string, openAPI Contract, cfg CaseConfig) (*Case, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SweepBatch <= 0 {
		cfg.SweepBatch = 200
	}
	js, err := jetstream.New(cfg.NATS)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := messaging.EnsureStreams(ctx, js, messaging.ServiceStreams(name, cfg.StreamReplicas, cfg.ShareMaxAge)...); err != nil {
		return nil, err
	}
	if cfg.PartnersFile != nil && cfg.Notice != nil {
		if err := partners.ProvisionReaders(ctx, js, name, cfg.PartnersFile, cfg.Notice.RecipientIDs()); err != nil {
			return nil, err
		}
	}
	cfg.Relay.Logger = cfg.Logger
	spec, err := openAPI(name)
	if err != nil {
		return nil, fmt.Errorf("openapi contract: %w", err)
	}
	guards, err := httpserver.NewGuards(ctx, spec, cfg.Auth, cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return &Case{Name: name, Config: cfg, Relay: messaging.NewRelay(cfg.DB, js, cfg.Relay), Guards: guards, Spec: spec}, nil
}

// Serve makes api, the service's own routes under prefixes (e.g. "/complaints"), its HTTP
// surface: to callers holding one of roles, behind the guards, refusals mapped by
// httpserver.CaseErrors; and in the open the operational routes: contract, privacy notice
// (rendered and as YAML), health, readiness, metrics.
func (c *Case) Serve(api http.Handler, roles []string, prefixes ...string) {
	c.handler = Handler(HandlerConfig{API: api, MapError: httpserver.CaseErrors(c.ownErrors), Guards: c.Guards, Roles: roles,
		Prefixes: prefixes, Public: c.public, Streamed: c.streamed, Logger: c.Config.Logger, Operational: httpserver.Operational{
			Spec: c.Spec, Ready: Ready(c.Config.DB, c.Config.NATS, c.Relay.Check), Metrics: promhttp.Handler(),
			Documents: []httpserver.Document{
				{Path: "/notice", ContentType: "text/markdown; charset=utf-8", Body: []byte(c.Config.Notice.Render())},
				{Path: "/notice.yaml", ContentType: "application/yaml", Body: c.Config.NoticeYAML},
			},
		}})
}

// Stream adds routes whose request bodies the handler reads as a stream (a bulk upload
// larger than MaxBodyBytes), served beside Serve's API behind the same identity and role
// checks but not the OpenAPI validator, which reads a body whole: the handler checks what it
// reads. Call it before Serve.
func (c *Case) Stream(api http.Handler, prefixes ...string) {
	c.streamed = append(c.streamed, Streamed{API: api, Prefixes: prefixes})
}

// MapOwnErrors gives the service's own refusals their problems, tried before the shared
// case errors (httpserver.CaseErrors); call it before Serve.
func (c *Case) MapOwnErrors(own httpserver.ErrorMapper) { c.ownErrors = own }

// Public serves h at pattern (e.g. "GET /public/prosecutions") to anyone, with no token
// and no OpenAPI request validation, its refusals mapped as the API's are: what a service
// publishes to residents. Call it before Serve.
func (c *Case) Public(pattern string, h httpserver.HandlerFunc) {
	c.public = append(c.public, Route{Pattern: pattern, Handler: h})
}

// Background adds long-running work to run beside the relay and the sweeps, such as a
// consumer; it runs until ctx ends, and an error it returns stops the service.
func (c *Case) Background(run func(ctx context.Context) error) {
	c.background = append(c.background, run)
}

// OpenAPIDocument is the service's contract, as it serves it at /openapi.yaml; test
// environments hold every answer to it (testkit.StartService).
func (c *Case) OpenAPIDocument() []byte { return c.Spec }

// HTTPHandler is the service's HTTP surface, as Serve made it.
func (c *Case) HTTPHandler() http.Handler { return c.handler }

// Sweep adds background work to run beside the relay.
func (c *Case) Sweep(s Sweep) { c.sweeps = append(c.sweeps, s) }

// RetentionSweep adds the sweep every case service runs: erasure under its notice's
// retention schedule, every RetentionInterval.
func (c *Case) RetentionSweep(run func(ctx context.Context, batch int) (int, error)) {
	c.Sweep(Sweep{Interval: c.Config.RetentionInterval, Steps: []Step{{Name: "retention sweep", Run: run}}})
}

// HandlerConfig is one service's HTTP surface.
type HandlerConfig struct {
	API         http.Handler // the service's routes, served under Prefixes
	MapError    httpserver.ErrorMapper
	Guards      httpserver.Guards
	Roles       []string // a caller needs one of them before anything else is looked at
	Prefixes    []string
	Public      []Route    // served in the open beside the operational routes
	Streamed    []Streamed // behind identity and role, without OpenAPI validation
	Operational httpserver.Operational
	Logger      *slog.Logger
}

// Route is one route of a service's HTTP surface.
type Route struct {
	Pattern string // e.g. "GET /public/prosecutions"
	Handler httpserver.HandlerFunc
}

// Handler assembles a service's HTTP surface: identity and role first (the service's, then
// the route's), so a caller without the role learns nothing more, then OpenAPI validation,
// then the API;
// the operational and public routes in the open; the base middleware (request id, logging, recovery)
// around all of it.
func Handler(cfg HandlerConfig) http.Handler {
	protected := httpserver.Chain(cfg.API, cfg.Guards.Auth.Middleware, httpserver.RequireRole(cfg.Roles...),
		httpserver.AdmitFirst(cfg.API), cfg.Guards.Validator.Middleware)
	root := httpserver.NewMux(cfg.MapError, cfg.Logger)
	root.HandleOperational(cfg.Operational)
	for _, p := range cfg.Public {
		root.Handle(p.Pattern, p.Handler)
	}
	for _, p := range cfg.Prefixes {
		root.HandleHTTP(p, protected)
		root.HandleHTTP(p+"/", protected)
	}
	for _, s := range cfg.Streamed {
		streamed := httpserver.Chain(s.API, cfg.Guards.Auth.Middleware, httpserver.RequireRole(cfg.Roles...))
		for _, p := range s.Prefixes {
			root.HandleHTTP(p, streamed)
		}
	}
	return httpserver.Chain(root, httpserver.Base(cfg.Logger))
}

// Streamed is API routes whose bodies are read as a stream, at Prefixes (exact paths).
type Streamed struct {
	API      http.Handler
	Prefixes []string
}

// Sweep is background work run every Interval: its steps in order, each logged under its
// name with how many cases it changed. A zero Interval disables it.
type Sweep struct {
	Interval time.Duration
	Steps    []Step
}

// Step is one part of a sweep; Run takes at most batch cases.
type Step struct {
	Name string // e.g. "retention sweep"
	Run  func(ctx context.Context, batch int) (changed int, err error)
}

// RunBackground relays the outbox and runs the sweeps until ctx ends. A failing step is
// logged and tried again at the next interval.
func (c *Case) RunBackground(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.Relay.Run(ctx) })
	for _, run := range c.background {
		g.Go(func() error { return run(ctx) })
	}
	for _, s := range c.sweeps {
		g.Go(func() error {
			return Every(ctx, s.Interval, func() {
				for _, step := range s.Steps {
					n, err := step.Run(ctx, c.Config.SweepBatch)
					switch {
					case err != nil && !errors.Is(err, context.Canceled):
						c.Config.Logger.Error(step.Name, "err", err)
					case n > 0:
						c.Config.Logger.Info(step.Name, "changed", n)
					}
				}
			})
		})
	}
	return g.Wait()
}
