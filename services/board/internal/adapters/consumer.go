package adapters

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/messaging"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
)

// FollowConfig describes the board's consumer of one service's status stream.
type FollowConfig struct {
	// Followed is the service, e.g. complaints: stream COMPLAINTS_STATUS, subjects
	// status.complaints.>, and the statuses that finish its cases.
	Followed    domain.Followed
	NATSURL     string
	NATSOptions []nats.Option
	MaxRetries  int
	Logger      *slog.Logger
}

// DeadLetterStream holds the status events the board could not read, on deadletter.board.>.
func DeadLetterStream(replicas int) jetstream.StreamConfig {
	for _, s := range messaging.ServiceStreams("board", replicas, 0) {
		if strings.HasSuffix(s.Name, "_DEADLETTER") {
			return s
		}
	}
	panic("messaging.ServiceStreams has no dead-letter stream")
}

// ConsumerName is the board's durable consumer on a service's status stream, and its key
// in processed_events.
func ConsumerName(service string) string { return "board-" + service }

// Follow consumes a service's status events into the read model until ctx ends. The
// stream belongs to the service: until it exists (the service has not started yet) Follow
// waits for it.
func Follow(ctx context.Context, js jetstream.JetStream, db *sqlx.DB, cfg FollowConfig) error {
	service := cfg.Followed.Service
	ccfg := messaging.ConsumerConfig{
		Name: ConsumerName(service), Stream: strings.ToUpper(service) + "_STATUS", FilterSubject: "status." + service + ".>",
		NATSURL: cfg.NATSURL, NATSOptions: cfg.NATSOptions, DeadLetterSubject: "deadletter.board.status." + service, MaxRetries: cfg.MaxRetries, Logger: cfg.Logger,
	}
	handle := func(ctx context.Context, tx *sqlx.Tx, msg *message.Message) error {
		s, err := DecodeStatus(service, msg.Payload)
		if err != nil {
			return fmt.Errorf("%w: %w", messaging.ErrPermanent, err)
		}
		if err := app.RecordStatus(ctx, NewTxStore(tx), cfg.Followed.Mark(s)); err != nil {
			if errors.Is(err, domain.ErrMalformed) {
				return fmt.Errorf("%w: %w", messaging.ErrPermanent, err)
			}
			return err
		}
		return nil
	}
	for {
		if messaging.WaitForStream(ctx, js, ccfg.Stream, cfg.Logger.With("followed_service", service)); ctx.Err() != nil {
			return nil // stopped while waiting
		}
		consumer, err := messaging.NewConsumer(ctx, js, db, ccfg, handle)
		switch {
		case err == nil:
			cfg.Logger.Info("following status events", "followed_service", service, "stream", ccfg.Stream)
			return consumer.Run(ctx)
		case ctx.Err() != nil:
			return nil // stopped while starting
		case !errors.Is(err, jetstream.ErrStreamNotFound):
			return err
		}
		// The stream went again between the wait and the consumer: wait for it once more.
	}
}
