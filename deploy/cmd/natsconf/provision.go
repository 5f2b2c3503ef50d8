package main

import (
	"context"
	"fmt"
	"time"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
)

type provisionOptions struct {
	enabled  bool
	natsURL  string
	replicas int
	maxAge   time.Duration
	wait     time.Duration
	// accountMaxFile is each partner account's file storage limit (-partner-max-file).
	accountMaxFile int64
}

// feedOptions sizes the feed to fit its account: without tiered limits the server counts a
// stream's MaxBytes once per replica against the account's max_file, so an R3 feed as large
// as the account is refused with "insufficient storage resources available".
func (o provisionOptions) feedOptions() natsaccounts.FeedOptions {
	replicas := max(o.replicas, 1)
	return natsaccounts.FeedOptions{Replicas: replicas, MaxAge: o.maxAge, MaxBytes: o.accountMaxFile / int64(replicas)}
}

// provision creates or updates every NATS partner's feed. It retries until o.wait passes
// because a freshly started cluster refuses stream creation until it has elected a meta
// leader; creating a feed that already exists is a no-op, so a rerun is harmless.
func provision(partnersPath string, o provisionOptions, getenv func(string) string) error {
	dir, err := partners.Load(partnersPath)
	if err != nil {
		return err
	}
	var missing []string
	fromEnv := func(user string) natsaccounts.Secret {
		name := natsaccounts.PasswordEnv(user).Env
		v := getenv(name)
		if v == "" {
			missing = append(missing, name)
		}
		return natsaccounts.Secret{Value: v}
	}
	accounts := natsaccounts.PartnersOf(dir, func(string) natsaccounts.Secret { return natsaccounts.Secret{} })
	for i := range accounts {
		accounts[i].Admin.Password = fromEnv(accounts[i].Admin.Name)
	}
	if len(missing) > 0 {
		return fmt.Errorf("admin passwords not set: %v", missing)
	}
	feed := o.feedOptions()
	deadline := time.Now().Add(o.wait)
	for wait := 500 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = natsaccounts.ProvisionAll(ctx, o.natsURL, accounts, feed)
		cancel()
		if err == nil {
			fmt.Printf("natsconf: provisioned the feeds of %d partners (replicas %d) on %s\n", len(accounts), o.replicas, o.natsURL)
			return nil
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("provision: %w", err)
		}
		fmt.Printf("natsconf: not provisioned yet, retrying in %s: %v\n", wait, err)
		time.Sleep(wait)
	}
}
