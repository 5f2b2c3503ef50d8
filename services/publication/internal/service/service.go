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

// ConsumerName is its durable consumer on the investigations and the rights share streams,
// by the council's convention for internal readers (the owner of each stream provisions it
// too, so no conviction or notice is lost before this service first starts), and the key of
// its processed events.
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
	// NoticesStream holds the rights service's disclosures, its Article 19 notices among
	// them (RIGHTS_SHARE).
	NoticesStream    string
	NATSURL          string        // the consumer opens its own connections
	NATSOpts         []nats.Option // e.g. the service's user and password
	ConsumerRetry    time.Duration // first wait between consumer retries; default 500ms
	TakedownInterval time.Duration
}

// Service is the assembled publication service.
type Service struct {
	*bootstrap.Case
	App    *app.Service
	Rights *app.Rights // answers the rights service on rights.publication.*
}

// New provisions the streams and wires the use cases, the relay, the HTTP port with the
// public register, the consumer of conviction disclosures and the takedown and retention
// sweeps, and the answers to the rights service and the consumer of its Article 19 notices.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.CaseConfig.PartnersFile = contracts.Partners()
	base, err := bootstrap.NewCase(ctx, Name, contracts.OpenAPI, cfg.CaseConfig)
	if err != nil {
		return nil, err
	}
	if cfg.ConvictionsStream == "" {
		cfg.ConvictionsStream = "INVESTIGATIONS_SHARE"
	}
	if cfg.NoticesStream == "" {
		cfg.NoticesStream = "RIGHTS_SHARE"
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
	base.Background(consumeArticle19(cfg, base.Config, rightsHolder))
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
	return consume(cfg, base, messaging.ConsumerConfig{Name: ConsumerName, Stream: cfg.ConvictionsStream, FilterSubject: messaging.ShareFilter(Recipient),
		DeadLetterSubject: "deadletter.publication.convictions"}, "conviction consumer", adapters.ConvictionHandler(svc))
}

// consumeArticle19 reads the rights service's Article 19 notices to this service
// (share.publication-service.rights.article19), on the same consumer the rights service
// provisions beside its share stream, and applies each exactly once.
func consumeArticle19(cfg Config, base bootstrap.CaseConfig, holder *app.Rights) func(ctx context.Context) error {
	return consume(cfg, base, messaging.ConsumerConfig{Name: ConsumerName, Stream: cfg.NoticesStream, FilterSubject: messaging.ShareFilter(Recipient),
		DeadLetterSubject: "deadletter.publication.article19"}, "article 19 notice consumer", adapters.Article19Handler(holder, base.Logger))
}

// consume provisions the durable consumer cc of disclosures to this service (personal
// data: never in a dead letter), waiting for the stream's owner to create it (it may
// start later), then runs h on each message exactly once.
func consume(cfg Config, base bootstrap.CaseConfig, cc messaging.ConsumerConfig, what string, h messaging.Handler) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		js, err := jetstream.New(base.NATS)
		if err != nil {
			return err
		}
		cc.NATSURL, cc.NATSOptions, cc.PersonalData, cc.RetryInterval, cc.Logger = cfg.NATSURL, cfg.NATSOpts, true, cfg.ConsumerRetry, base.Logger
		for wait := 100 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
			if messaging.WaitForStream(ctx, js, cc.Stream, base.Logger); ctx.Err() != nil {
				return nil
			}
			c, err := messaging.NewConsumer(ctx, js, base.DB, cc, h)
			if err == nil {
				return c.Run(ctx)
			}
			base.Logger.Warn(what+" not provisioned yet", "err", err, "retry_in", wait)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		}
	}
}
