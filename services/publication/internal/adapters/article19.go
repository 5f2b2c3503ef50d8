package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"

	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/services/publication/internal/app"
)

// Article19Handler applies each Article 19 notice of the rights service
// (share.publication-service.rights.article19) to the decision opened from the disclosure
// it names, in the consumer's transaction. A notice naming no such decision, or refused
// lawfully, is acknowledged with nothing changed and logged without personal data; a
// message that is not such a notice is poison (dead-lettered without its body).
func Article19Handler(holder *app.Rights, logger *slog.Logger) messaging.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, msg *message.Message) error {
		n, err := article19Of(msg.Payload)
		if err != nil {
			return fmt.Errorf("article 19 notice %s: %w: %w", msg.UUID, err, messaging.ErrPermanent)
		}
		out, err := holder.ApplyArticle19(WithTx(ctx, tx), n)
		if err != nil {
			return fmt.Errorf("article 19 notice %s: %w", msg.UUID, err)
		}
		attrs := []any{"notice", n.NoticeID, "original_disclosure_id", n.OriginalDisclosureID, "action", n.Action, "decision", out.DecisionID}
		switch {
		case out.Refused != "":
			logger.Warn("article 19 notice refused", append(attrs, "ground", out.Refused)...)
		case out.Ignored != "":
			logger.Info("article 19 notice changed nothing", append(attrs, "reason", out.Ignored)...)
		default:
			logger.Info("article 19 notice applied", attrs...)
		}
		return nil
	}
}

// article19Of reads a notice from the rights disclosure envelope.
func article19Of(payload []byte) (app.Article19Notice, error) {
	var env struct {
		events.RightsDisclosure
		Data struct {
			Service              string `json:"service"`
			OriginalDisclosureID string `json:"original_disclosure_id"`
			Action               string `json:"action"`
			Field                string `json:"field"`
			CorrectedValue       string `json:"corrected_value"`
		} `json:"data"`
	}
	if err := json.Unmarshal(payload, &env); err != nil {
		return app.Article19Notice{}, fmt.Errorf("not a disclosure envelope: %w", err)
	}
	if env.Recipient != "publication-service" || env.Purpose != events.RightsArticle19Purpose || env.DisclosureID == "" ||
		env.Data.OriginalDisclosureID == "" || env.Data.Action == "" {
		return app.Article19Notice{}, fmt.Errorf("a disclosure to %q for %q, not an Article 19 notice", env.Recipient, env.Purpose)
	}
	d := env.Data
	return app.Article19Notice{NoticeID: env.DisclosureID, RequestReference: env.Reference, Service: d.Service,
		OriginalDisclosureID: d.OriginalDisclosureID, Action: d.Action, Field: d.Field, CorrectedValue: d.CorrectedValue}, nil
}
