// Package service assembles the publication decisions service from its parts, so the
// binary and the integration tests start exactly the same thing.
package service

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/publication/internal/adapters"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/ports"
)

// Name is the service's name: its streams, contracts, variables and database.
const Name = "publication"

// MaxBodyBytes bounds a request body (the binary's default, and the tests'): it admits every
// body the contract (contracts/openapi/publication.yaml) allows, each string at its
// maxLength written as JSON with every character escaped (an astral character, one to
// maxLength, is 12 bytes as "\ud83d\ude00"). The largest is a draft, its factors, offender
// notes, proportionality and reasons at their lengths: 602 KB (an appeal 66 KB, a new
// decision 59 KB). 1 MiB admits them all with room over; anything larger is refused 413.
const MaxBodyBytes int64 = 1 << 20

// Migrations are the publication database's migration sets, platform first.
func Migrations() []postgres.Migration {
	return bootstrap.CaseMigrations(Name, migrations.Publication())
}

// Recipient is the publication service's recipient id in the notices and the partners file
// (delivery internal): it reads share.publication-service.> from the share streams.
const Recipient = "publication-service"

// ConsumerName is its durable consumer on the investigations share stream, by the council's
// convention for internal readers (the investigations service provisions it too, so no
// conviction is lost before this service first starts), and the key of its processed events.
var ConsumerName = messaging.InternalReaderName(Recipient)

// Config is everything the service needs, already opened: what every case service takes,
// the calendar takedown dates are reckoned by, the publication period the deployment
// expects (zero: the notice's, which decides it; another value stops the service), the
// consumer of conviction disclosures and how often the takedown sweep runs.
type Config struct {
	bootstrap.CaseConfig
	Calendar          *calendar.Calendar
	PublicationMonths int
	// ConvictionsStream holds the investigations service's disclosures (INVESTIGATIONS_SHARE).
	ConvictionsStream string
	NATSURL           string        // the consumer opens its own connections
	NATSOpts          []nats.Option // e.g. the service's user and password
	ConsumerRetry     time.Duration // first wait between consumer retries; default 500ms
	TakedownInterval  time.Duration
}

// Service is the assembled publication service.
type Service struct {
	*bootstrap.Case
	App    *app.Service
	Rights *app.Rights // answers the rights service on rights.publication.*
}

// New provisions the streams and wires the use cases, the relay, the HTTP port with the
// public register, the consumer of conviction disclosures and the takedown and retention
// sweeps, and the answers to the rights service.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.CaseConfig.PartnersFile = contracts.Partners()
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	if cfg.ConvictionsStream == "" {
		cfg.ConvictionsStream = "INVESTIGATIONS_SHARE"
	}
	svc, err := app.NewService(adapters.NewRepository(cfg.DB, base.Relay), cfg.Calendar, base.Config.Clock, cfg.Notice, messaging.NewID,
		app.Config{PublicationMonths: cfg.PublicationMonths})
	if err != nil {
		return nil, err
	}
	register := ports.NewRegister(svc)
	base.Public("GET /public/prosecutions", register.JSON)
	base.Public("GET /public/prosecutions.atom", register.Atom)
	base.Public("GET /public/prosecutions.html", register.HTML)
	base.Serve(ports.NewAPI(svc, cfg.MaxBodyBytes, base.Config.Logger), ports.Roles, "/decisions")
	base.Background(consumeConvictions(cfg, base.Config, svc))
	base.Sweep(bootstrap.Sweep{Interval: cfg.TakedownInterval, Steps: []bootstrap.Step{{Name: "takedown sweep", Run: svc.SweepTakedowns}}})
	base.RetentionSweep(svc.SweepRetention)
	rightsHolder := app.NewRights(svc)
	base.Background(func(ctx context.Context) error {
		return rightsreply.Run(ctx, cfg.NATS, rightsreply.Config{Subject: rights.Subjects(Name), Queue: rights.QueueGroup(Name),
			Verbs: rights.Verbs, Logger: base.Config.Logger}, rights.Dispatcher{Responder: rights.Respond(rightsHolder)})
	})
	return &Service{Case: base, App: svc, Rights: rightsHolder}, nil
}

// consumeConvictions provisions the durable consumer, waiting for the investigations
// service to create its share stream (it may start later), then applies each disclosure
// exactly once.
func consumeConvictions(cfg Config, base bootstrap.CaseConfig, svc *app.Service) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		js, err := jetstream.New(base.NATS)
		if err != nil {
			return err
		}
		cc := messaging.ConsumerConfig{Name: ConsumerName, Stream: cfg.ConvictionsStream, FilterSubject: messaging.ShareFilter(Recipient),
			NATSURL: cfg.NATSURL, NATSOptions: cfg.NATSOpts, DeadLetterSubject: "deadletter.publication.convictions", PersonalData: true,
			RetryInterval: cfg.ConsumerRetry, Logger: base.Logger}
		for wait := 100 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
			if messaging.WaitForStream(ctx, js, cc.Stream, base.Logger); ctx.Err() != nil {
				return nil
			}
			c, err := messaging.NewConsumer(ctx, js, base.DB, cc, adapters.ConvictionHandler(svc))
			if err == nil {
				return c.Run(ctx)
			}
			base.Logger.Warn("conviction consumer not provisioned yet", "err", err, "retry_in", wait)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		}
	}
}
