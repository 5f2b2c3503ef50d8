package main

import (
	"context"
	"os"
	"path/filepath"

	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/postgres"
)

// rig is one database, one broker and the complaints service on them.
type rig struct {
	db         postgres.Config
	broker     *brokerProcess
	syncAlways bool
	store      string
	acc        accounts
	local      stack.Local // how the services the rig starts are wired to it
	svc        *service
	base       string
	closed     bool
}

// startRig creates a fresh database and a broker whose JetStream fsyncs every write
// (syncAlways, production's setting) or on its default interval, and starts the
// complaints service on them. close undoes all of it.
func startRig(ctx context.Context, o options, database string, syncAlways bool) (st *rig, err error) {
	if st, err = startBroker(ctx, o, database, syncAlways); err != nil {
		return st, err
	}
	if st.svc, err = startService(ctx, "complaints", database, o, st.local); err != nil {
		st.close()
		return st, err
	}
	st.base = st.svc.base
	return st, nil
}

// startBroker is startRig without the complaints service: the database and the broker with
// every listed service's NATS user, for the services a phase starts itself.
func startBroker(ctx context.Context, o options, database string, syncAlways bool) (st *rig, err error) {
	st = &rig{syncAlways: syncAlways, db: postgres.Config{Host: "127.0.0.1", Port: o.pgPort, User: "casework",
		Password: "casework", Database: database, SSLMode: "disable", MaxOpenConns: o.workers + 4}}
	defer func() {
		if err != nil {
			st.close()
		}
	}()
	if err := freshDatabase(ctx, st.db); err != nil {
		return st, err
	}
	if st.store, err = os.MkdirTemp("", "casework-bench-nats-"); err != nil {
		return st, err
	}
	if st.acc, err = generateAccounts(st.store, o.partners); err != nil {
		return st, err
	}
	st.broker, err = startBrokerProcess(ctx, natsserver.Config{Port: -1, StoreDir: filepath.Join(st.store, "js"),
		ServerName: "casework-bench", ConfigFile: st.acc.configPath, SyncAlways: syncAlways}, o.brokerNice)
	if err != nil {
		return st, err
	}
	if err := natsaccounts.ProvisionAll(ctx, st.natsURL(), st.acc.partners, natsaccounts.FeedOptions{}); err != nil {
		return st, err
	}
	st.local = stack.Local{PGPort: o.pgPort, NATSURL: st.natsURL(), NATSPassword: func(user string) string { return st.acc.passwords[user] },
		AuthIssuer: "casework-bench", DevSigningKey: o.key}
	return st, nil
}

func (st *rig) natsURL() string { return st.broker.url }

func (st *rig) fsyncName() string {
	if st.syncAlways {
		return "sync_interval=always"
	}
	return "default fsync"
}

func (st *rig) close() {
	if st.closed {
		return
	}
	st.closed = true
	if st.svc != nil {
		st.svc.stop()
	}
	if st.broker != nil {
		st.broker.stop()
	}
	if st.store != "" {
		_ = os.RemoveAll(st.store)
	}
	dropDatabase(st.db)
}
