// Package partners loads the directory of organisations that receive disclosures (the
// recipients privacy notices name) and how each one receives them: its own NATS account, a
// signed HTTPS webhook, or (for a council service) inside the council's own account. The directory is data (a YAML file); this package only knows its
// shape and its rules.
package partners

// Delivery is how a partner receives disclosures.
type Delivery string

const (
	// NATS: the partner has its own NATS account that imports only its own share subjects.
	NATS Delivery = "nats"
	// Webhook: a delivery worker posts each disclosure to the partner's HTTPS endpoint.
	Webhook Delivery = "webhook"
	// Internal: a council service that reads its share subjects inside the council's own
	// account; nothing leaves the council, so it has no partner account and no webhook.
	Internal Delivery = "internal"
	// Served: the service itself shows the disclosure to its recipient (the public register
	// of prosecutions, read by anyone): nothing is published on the broker, and the
	// disclosure log alone records it. A correction or erasure reaches it at once.
	Served Delivery = "served"
)

// Partner is one recipient organisation.
type Partner struct {
	ID       string // subject token in share.<id>.>; matches notice recipient ids
	Name     string
	Sources  []string // where the notices name it
	Delivery Delivery
	Webhook  *WebhookTarget // set exactly when Delivery is Webhook
}

// WebhookTarget is where and how a webhook partner is reached. The secret is never stored
// here, only the name of the environment variable that holds it.
type WebhookTarget struct {
	URL       string
	SecretEnv string
}

// Directory is a validated list of partners, in file order.
type Directory struct {
	Partners []Partner
	byID     map[string]int
}

// Get returns the partner with this id.
func (d *Directory) Get(id string) (Partner, bool) {
	i, ok := d.byID[id]
	if !ok {
		return Partner{}, false
	}
	return d.Partners[i], true
}

// ByDelivery returns the partners that receive by this delivery, in file order.
func (d *Directory) ByDelivery(delivery Delivery) []Partner {
	var out []Partner
	for _, p := range d.Partners {
		if p.Delivery == delivery {
			out = append(out, p)
		}
	}
	return out
}

// Missing returns the ids (in the order given) the directory does not hold, e.g. the
// recipients of a notice that no partner entry covers.
func (d *Directory) Missing(ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := d.byID[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}
