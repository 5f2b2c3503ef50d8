// Package service assembles the investigations service from its parts, so the binary and
// the integration tests start exactly the same thing.
package service

import (
	"context"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/investigations/internal/adapters"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/ports"
)

// Name is the service's name: its streams, contracts, variables and database.
const Name = "investigations"

// MaxBodyBytes bounds a request body (the binary's default, INVESTIGATIONS_HTTP_MAX_BODY_BYTES,
// and the tests' alike). It must admit every body the contract allows written as a client
// may write it, every character of every string escaped: \uXXXX is 6 bytes, a character
// beyond the Basic Multilingual Plane a surrogate pair of 12, so 12 bytes for each
// character a maxLength allows (JSON Schema counts characters, not bytes). Reckoned so, the
// largest is opening an investigation with everything the contract lets it carry (50
// people, the matter, 20 evidence items, 10 special category items, 5 e-mails of up to
// 100,000 characters each, 20 officers): 15,879,945 bytes; the next, one e-mail (POST
// /investigations/{id}/emails), 1,216,213. 16 MiB admits them with room to spare and still
// bounds what one request may hold in memory. TestJSONBodyLimitAdmitsEveryBodyTheContractAllows
// writes each operation's largest body from the contract and sends it.
const MaxBodyBytes = 16 << 20

// Migrations are the investigations database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Investigations())
}

// Config is everything the service needs, already opened: what every case service takes,
// and the anti-social behaviour case review threshold.
type Config struct {
	bootstrap.CaseConfig
	ASBReview app.ASBReviewConfig
}

// Service is the assembled investigations service.
type Service struct {
	*bootstrap.Case
	App    *app.Service
	Rights *app.Rights // answers the rights service on rights.investigations.*
}

// New provisions the streams and wires the use cases, the relay, the HTTP port, the
// retention sweep and the answers to the rights service.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.CaseConfig.PartnersFile = contracts.Partners()
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	repo := adapters.NewRepository(cfg.DB, base.Relay)
	svc := app.NewService(repo, base.Config.Clock, cfg.Notice, messaging.NewID, cfg.ASBReview)
	base.Serve(ports.NewAPI(svc, cfg.MaxBodyBytes, base.Config.Logger), ports.Roles, "/investigations")
	base.RetentionSweep(svc.SweepRetention)
	rightsHolder := app.NewRights(svc)
	base.Background(func(ctx context.Context) error {
		return rightsreply.Run(ctx, cfg.NATS, rightsreply.Config{Subject: rights.Subjects(Name), Queue: rights.QueueGroup(Name),
			Verbs: rights.Verbs, Logger: base.Config.Logger}, rights.Dispatcher{Responder: rights.Respond(rightsHolder)})
	})
	return &Service{Case: base, App: svc, Rights: rightsHolder}, nil
}
