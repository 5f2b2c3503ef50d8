// Package service assembles the board from its parts, so the binary and the integration
// tests start exactly the same thing.
package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"casework.dev/contracts"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/board/internal/adapters"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
	"casework.dev/services/board/internal/ports"
)

// Migrations are the board database's migration sets: the platform's (processed events) and
// its read model.
func Migrations() []postgres.Migration {
	return []postgres.Migration{
		{FS: migrations.Platform(), VersionTable: "goose_platform"},
		{FS: migrations.Board(), VersionTable: "goose_board"},
	}
}

// Config is everything the board needs, already opened.
type Config struct {
	bootstrap.ServiceConfig
	// Postgres is DB's connection, for the listener that wakes live pages on every instance.
	Postgres postgres.Config
	NATSURL  string
	NATSOpts []nats.Option
	// Services are the services whose status streams the board follows, in the order it
	// shows them, with who manages each and the statuses that finish its cases (Follow
	// reads them from contracts/services.yaml).
	Services       []domain.Followed
	StreamReplicas int
	InsecureCookie bool
	Now            func() time.Time
}

// Service is the assembled board.
type Service struct {
	*bootstrap.Service
	App *app.Service
}

// New provisions the board's dead-letter stream and wires the read model, the live
// listener, one consumer per followed service's status stream and the HTTP port.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Services) == 0 {
		return nil, errors.New("board: no services to follow")
	}
	for _, f := range cfg.Services {
		if len(f.Managers) == 0 || len(f.Finished) == 0 {
			return nil, fmt.Errorf("board: %s needs its manager roles and its finished statuses", f.Service)
		}
	}
	base, err := bootstrap.NewService(ctx, "board", contracts.OpenAPI, cfg.ServiceConfig)
	if err != nil {
		return nil, err
	}
	log := base.Config.Logger
	if err := messaging.EnsureStreams(ctx, base.JetStream, adapters.DeadLetterStream(cfg.StreamReplicas)); err != nil {
		return nil, err
	}
	changes, err := adapters.ListenForChanges(cfg.Postgres.DSN(), log)
	if err != nil {
		return nil, err
	}
	svc := app.NewService(adapters.NewReader(cfg.DB), cfg.Now, 0)
	handler, err := ports.NewHTTPHandler(ports.HTTPConfig{
		Service: svc, Changes: changes, Services: cfg.Services, Auth: base.Guards.Auth, Validator: base.Guards.Validator,
		Operational: base.Operational(), Logger: log, InsecureCookie: cfg.InsecureCookie,
	})
	if err != nil {
		changes.Close()
		return nil, err
	}
	base.Serve(handler)
	base.Background(changes.Run)
	for _, followed := range cfg.Services {
		base.Background(func(ctx context.Context) error {
			return adapters.Follow(ctx, base.JetStream, cfg.DB, adapters.FollowConfig{Followed: followed, NATSURL: cfg.NATSURL,
				NATSOptions: cfg.NATSOpts, Logger: log})
		})
	}
	return &Service{Service: base, App: svc}, nil
}

// Follow is how the board shows each of names (in that order), from the services list: a
// service it names must publish status.
func Follow(list contracts.ServiceList, names []string) ([]domain.Followed, error) {
	var out []domain.Followed
	var problems []error
	for _, name := range names {
		s, ok := list.Get(name)
		if !ok {
			problems = append(problems, fmt.Errorf("%q is not a service (%s)", name, strings.Join(list.Names(), ", ")))
			continue
		}
		b, ok := s.OnBoard()
		if !ok {
			problems = append(problems, fmt.Errorf("%s publishes no status events", name))
			continue
		}
		if slices.ContainsFunc(out, func(f domain.Followed) bool { return f.Service == name }) {
			problems = append(problems, fmt.Errorf("%s is named twice", name))
			continue
		}
		out = append(out, domain.Followed{Service: name, Managers: b.Managers, Finished: b.Finished})
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("board services: %w", err)
	}
	return out, nil
}
