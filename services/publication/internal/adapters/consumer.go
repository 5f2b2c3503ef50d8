package adapters

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"

	"casework.dev/contracts/events"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// ConvictionHandler opens one decision per disclosed conviction, in the consumer's
// transaction. A disclosure that is not a conviction for a publication decision, lacks
// what a decision needs, or reuses a disclosure id for another conviction, is poison: it
// goes to the dead-letter subject and opens nothing.
func ConvictionHandler(svc *app.Service) messaging.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, msg *message.Message) error {
		in, err := convictionOf(msg.Payload)
		if err != nil {
			return fmt.Errorf("conviction disclosure %s: %w: %w", msg.UUID, err, messaging.ErrPermanent)
		}
		_, err = svc.ReceiveConviction(WithTx(ctx, tx), in)
		var invalid *domain.ValidationError
		if errors.As(err, &invalid) || errors.Is(err, casework.ErrIdempotencyKeyReused) {
			return fmt.Errorf("conviction disclosure %s: %w: %w", msg.UUID, err, messaging.ErrPermanent)
		}
		return err
	}
}

// convictionOf reads the six fields a decision needs from the disclosure and nothing else.
func convictionOf(payload []byte) (app.ReceivedConviction, error) {
	var env struct {
		events.InvestigationDisclosure
		Data events.PublicationOutcome `json:"data"`
	}
	if err := json.Unmarshal(payload, &env); err != nil {
		return app.ReceivedConviction{}, fmt.Errorf("not a disclosure envelope: %w", err)
	}
	if env.Recipient != "publication-service" || env.Purpose != "publication_decision" || env.DisclosureID == "" {
		return app.ReceivedConviction{}, fmt.Errorf("a disclosure to %q for %q, not a conviction for a publication decision", env.Recipient, env.Purpose)
	}
	date, err := calendar.ParseDate(strings.TrimSpace(env.Data.Date))
	if err != nil {
		return app.ReceivedConviction{}, fmt.Errorf("date of conviction: %w", err)
	}
	o := env.Data
	return app.ReceivedConviction{DisclosureID: env.DisclosureID, CaseReference: env.Reference,
		Conviction: domain.Conviction{Name: o.Name, Town: o.Town, Offence: o.Offence, Court: o.Court, Date: date, Sentence: o.Sentence}}, nil
}
