package notice

import (
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/telemetry"
)

// RefusalReason is why the engine refused a disclosure, as a code fit for a metric label:
// one of a fixed set, never the words of the Reason (which quote what was asked).
type RefusalReason string

// The refusals, in the order Decide checks them.
const (
	RefusedNotARecipient        RefusalReason = "not_a_recipient"        // the notice names no such recipient
	RefusedUnknownPurpose       RefusalReason = "unknown_purpose"        // nor such a purpose
	RefusedUnknownCaseType      RefusalReason = "unknown_case_type"      // nor such a case type
	RefusedUnknownScope         RefusalReason = "unknown_scope"          // nor such a scope
	RefusedUnknownOccasion      RefusalReason = "unknown_occasion"       // nor such an occasion
	RefusedOtherOccasion        RefusalReason = "other_occasion"         // the data goes only on another occasion (only_on)
	RefusedNotForPurpose        RefusalReason = "not_for_purpose"        // the recipient is named, but not for this purpose
	RefusedOutsideCaseTypes     RefusalReason = "outside_case_types"     // not for this case type
	RefusedOutsideScope         RefusalReason = "outside_scope"          // not for this scope (stage)
	RefusedConditionNotRecorded RefusalReason = "condition_not_recorded" // consent, necessity... is not recorded
	RefusedWithheld             RefusalReason = "withheld"               // a fact of the case holds the data back (withhold)
	RefusedCategoriesNotAllowed RefusalReason = "categories_not_allowed" // none of the categories asked for may go
)

// RefusalReasons are every RefusalReason, in the order Decide checks them.
var RefusalReasons = []RefusalReason{RefusedNotARecipient, RefusedUnknownPurpose, RefusedUnknownCaseType,
	RefusedUnknownScope, RefusedUnknownOccasion, RefusedOtherOccasion, RefusedNotForPurpose, RefusedOutsideCaseTypes,
	RefusedOutsideScope, RefusedConditionNotRecorded, RefusedWithheld, RefusedCategoriesNotAllowed}

// UnlistedRecipient is the recipient label of a refusal to a recipient the notice does not
// name: what was asked for is free text, and may even be a person's name.
const UnlistedRecipient = "unlisted"

// Option changes how a notice is loaded.
type Option func(*options)

type options struct{ registerer prometheus.Registerer }

// WithRegisterer counts the notice's refusals in reg instead of the default registry.
func WithRegisterer(reg prometheus.Registerer) Option {
	return func(o *options) { o.registerer = reg }
}

// refusalCounter is casework_disclosures_refused_total, beside the relay's
// casework_disclosures_published_total.
type refusalCounter struct{ refused *prometheus.CounterVec }

func newRefusalCounter(opts []Option) *refusalCounter {
	o := options{registerer: prometheus.DefaultRegisterer}
	for _, opt := range opts {
		opt(&o)
	}
	return &refusalCounter{refused: telemetry.Register(o.registerer, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "casework_disclosures_refused_total",
		Help: "Disclosures a service's privacy notice refused, by service, recipient (\"unlisted\" when the notice names none such) and reason code.",
	}, []string{"service", "recipient", "reason"}))}
}

func (c *refusalCounter) count(n *Notice, d Decision) {
	if c == nil {
		return
	}
	recipient := d.Recipient
	if _, named := n.recipients[recipient]; !named {
		recipient = UnlistedRecipient
	}
	c.refused.WithLabelValues(n.Service, recipient, string(d.Refusal)).Inc()
}
