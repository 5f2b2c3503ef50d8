package partners

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/messaging"
)

// Readers are the durable consumers, on one share stream, of the readers inside the
// council of these recipients' disclosures: the delivery worker's for a webhook partner,
// the reading council service's for an internal one. A partner on NATS reads through its
// own account's feed and needs none here; an id the directory does not hold gets none.
func (d *Directory) Readers(stream string, recipients []string) []jetstream.ConsumerConfig {
	var out []jetstream.ConsumerConfig
	for _, id := range recipients {
		p, _ := d.Get(id)
		switch p.Delivery {
		case Internal:
			out = append(out, messaging.InternalReader(stream, id))
		case Webhook:
			out = append(out, messaging.WebhookReader(id, 0, 0))
		}
	}
	return out
}

// ProvisionReaders is what a case service does beside its streams at start: it reads the
// partners file and gives each of recipients (its notice's) that is read inside the council
// its reader's durable consumer on the service's share stream, unless it exists already.
// So no disclosure is dropped before its reader first starts: it waits, for at most the
// stream's MaxAge (the share max age), also for a recipient nothing reads yet.
func ProvisionReaders(ctx context.Context, js jetstream.JetStream, service string, partnersFile []byte, recipients []string) error {
	d, err := Parse(partnersFile)
	if err != nil {
		return fmt.Errorf("partners: %w", err)
	}
	stream := messaging.ShareStream(service)
	return messaging.EnsureConsumers(ctx, js, stream, d.Readers(stream, recipients)...)
}
