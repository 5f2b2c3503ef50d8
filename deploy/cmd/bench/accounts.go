package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts"
	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
)

// benchPartner receives the disclosures the bench makes, in its own NATS account.
const benchPartner = "ward-councillor"

// accounts is the bench's NATS accounts, generated from the partners file like the local
// stack's, with throwaway passwords.
type accounts struct {
	configPath string
	partners   []natsaccounts.Partner
	passwords  map[string]string
}

func generateAccounts(dir, partnersPath string) (accounts, error) {
	directory, err := partners.Load(partnersPath)
	if err != nil {
		return accounts{}, err
	}
	a := accounts{passwords: map[string]string{}}
	secret := func(user string) natsaccounts.Secret {
		if _, ok := a.passwords[user]; !ok {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			a.passwords[user] = hex.EncodeToString(b)
		}
		return natsaccounts.Secret{Value: a.passwords[user]}
	}
	services, err := contracts.Services()
	if err != nil {
		return accounts{}, err
	}
	// The services' users, and the bench's own probe of their streams.
	council := append(stack.CouncilUsers(services, secret), natsaccounts.User{Name: "bench", Password: secret("bench")})
	cfg := natsaccounts.Config{
		System:       natsaccounts.User{Name: "sys", Password: secret("sys")},
		CouncilUsers: council,
		Partners:     natsaccounts.PartnersOf(directory, secret),
	}
	conf, err := natsaccounts.Render(cfg)
	if err != nil {
		return accounts{}, err
	}
	a.configPath = filepath.Join(dir, "nats.conf")
	a.partners = cfg.Partners
	return a, os.WriteFile(a.configPath, conf, 0o600)
}

// partnerProbe reads the partner's own feed and records, for each disclosure, the time from
// disclosed_at (taken inside the committing statement) to the partner's receipt.
type partnerProbe struct {
	mu       sync.Mutex
	samples  []time.Duration
	consumer jetstream.ConsumeContext
	conn     *nats.Conn
}

func newPartnerProbe(ctx context.Context, url, password string) (*partnerProbe, error) {
	nc, err := nats.Connect(url, nats.UserInfo(benchPartner, password))
	if err != nil {
		return nil, fmt.Errorf("partner %s: %w", benchPartner, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	feed := natsaccounts.FeedFor(benchPartner, natsaccounts.FeedOptions{})
	cons, err := js.Consumer(ctx, feed.Stream.Name, natsaccounts.ConsumerName(benchPartner))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("partner feed: %w", err)
	}
	p := &partnerProbe{conn: nc}
	p.consumer, err = cons.Consume(func(m jetstream.Msg) {
		arrived := time.Now()
		var d struct {
			DisclosedAt time.Time `json:"disclosed_at"`
		}
		if json.Unmarshal(m.Data(), &d) == nil {
			p.mu.Lock()
			p.samples = append(p.samples, arrived.Sub(d.DisclosedAt))
			p.mu.Unlock()
		}
		_ = m.Ack()
	})
	return p, err
}

func (p *partnerProbe) stop() {
	p.consumer.Stop()
	p.conn.Close()
}

func (p *partnerProbe) reset() {
	p.mu.Lock()
	p.samples = p.samples[:0]
	p.mu.Unlock()
}

func (p *partnerProbe) settle(ctx context.Context, want int64) percentiles {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		p.mu.Lock()
		n := len(p.samples)
		p.mu.Unlock()
		if int64(n) >= want {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.mu.Lock()
	s := slices.Clone(p.samples)
	p.mu.Unlock()
	return percentilesOf(s)
}
