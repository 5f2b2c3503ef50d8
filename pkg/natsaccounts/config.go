// Package natsaccounts writes the nats-server configuration that isolates partners from the
// council and from each other, and provisions each partner's feed.
//
// The council's services share one account. Managers (dashboards, the managers' board) have
// their own account, which imports only status.> and may only subscribe to it: the status
// events carry no personal data. Each NATS partner has its own account, which
// imports from the council exactly one stream export, share.<id>.> (the export names that
// account alone, so no other account can import it). In its account the partner's
// disclosures are captured by a work-queue stream, so a message is deleted as soon as the
// partner acknowledges it, and MaxAge bounds how long an unread one stays. The partner's
// user may only fetch from and acknowledge its own durable consumer. A separate admin user
// per partner account, held by the council's operators, provisions the stream and consumer
// explicitly (Provision); nothing is created on first use.
package natsaccounts

import "time"

// Config describes the whole server's accounts.
type Config struct {
	// CouncilAccount is the account of the council's services; default "COUNCIL".
	CouncilAccount string
	// CouncilUsers are the services' users (complaints, the webhook worker, ...), each with
	// full rights inside the council account and none outside it.
	CouncilUsers []User
	// Managers are the users of the managers' account (MANAGERS): each may subscribe to the
	// status events (status.>) and nothing else; no publishing, no JetStream API. None: no
	// managers' account.
	Managers []User
	// System is the one user of the system account (SYS), for operators' server reports.
	System User
	// Partners are the partners that receive over NATS, in the order to write them.
	Partners []Partner
	// Limits bound every partner account's JetStream use; zero fields take the defaults.
	Limits Limits
	// StoreDir, when set, is written as the JetStream store directory.
	StoreDir string
}

// Partner is one partner account: the partner's own user and the operators' admin user.
type Partner struct {
	ID    string // the recipient id of the notices and of share.<id>.>
	User  User   // the partner's: fetch and acknowledge its own feed, nothing else
	Admin User   // the operators': provisions the feed with the JetStream API
}

// User is a name and a password.
type User struct {
	Name     string
	Password Secret
}

// Secret is a password, either written into the file (the local stack, tests) or referred
// to by environment variable, which nats-server resolves at start: exactly one is set.
type Secret struct {
	Value string
	Env   string
}

// Limits are a partner account's JetStream limits.
type Limits struct {
	MaxFileBytes int64 // default 256 MiB
	MaxStreams   int   // default 1: the feed
	MaxConsumers int   // default 1: the partner's durable consumer
}

func (l Limits) withDefaults() Limits {
	if l.MaxFileBytes == 0 {
		l.MaxFileBytes = 256 << 20
	}
	if l.MaxStreams == 0 {
		l.MaxStreams = 1
	}
	if l.MaxConsumers == 0 {
		l.MaxConsumers = 1
	}
	return l
}

// Names fixed by this layout. Each partner account has its own namespace, so every feed
// stream has the same name and a partner's consumer is named after the partner.
const (
	DefaultCouncilAccount = "COUNCIL"
	ManagersAccount       = "MANAGERS"
	SystemAccount         = "SYS"
	FeedStream            = "SHARE"
)

// FeedOptions shape a partner's feed; zero fields take the defaults.
type FeedOptions struct {
	MaxAge   time.Duration // how long an unacknowledged disclosure waits; default 7 days
	MaxBytes int64         // default: Limits' default MaxFileBytes
	Replicas int           // default 1; 3 in the production cluster
	AckWait  time.Duration // default 30s
}
