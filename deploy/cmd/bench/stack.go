package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/nats-io/nats-server/v2/server"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/postgres"
)

// stack is one database, one broker and the complaints service on them.
type stack struct {
	db         postgres.Config
	broker     *server.Server
	syncAlways bool
	store      string
	acc        accounts
	svc        *exec.Cmd
	base       string
	closed     bool
}

// startStack creates a fresh database and a broker whose JetStream fsyncs every write
// (syncAlways, production's setting) or on its default interval, and starts the
// complaints service on them. close undoes all of it.
func startStack(ctx context.Context, o options, database string, syncAlways bool) (st *stack, err error) {
	st = &stack{syncAlways: syncAlways, db: postgres.Config{Host: "127.0.0.1", Port: o.pgPort, User: "casework",
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
	st.broker, err = natsserver.Start(natsserver.Config{Port: -1, StoreDir: filepath.Join(st.store, "js"),
		ServerName: "casework-bench", ConfigFile: st.acc.configPath, SyncAlways: syncAlways})
	if err != nil {
		return st, err
	}
	if err := natsaccounts.ProvisionAll(ctx, st.natsURL(), st.acc.partners, natsaccounts.FeedOptions{}); err != nil {
		return st, err
	}
	port, err := freePort()
	if err != nil {
		return st, err
	}
	st.svc = exec.Command(filepath.Join(o.binDir, "complaints"))
	st.svc.Env = append(os.Environ(),
		"COMPLAINTS_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(port),
		"COMPLAINTS_DB_PORT="+strconv.Itoa(o.pgPort),
		"COMPLAINTS_DB_NAME="+database,
		"COMPLAINTS_DB_MAX_OPEN_CONNS="+strconv.Itoa(o.workers+8),
		"COMPLAINTS_NATS_URL="+st.natsURL(),
		"COMPLAINTS_NATS_USER=complaints",
		"COMPLAINTS_NATS_PASSWORD="+st.acc.passwords["complaints"],
		"COMPLAINTS_AUTH_ISSUER=casework-bench",
		"COMPLAINTS_AUTH_DEV_SIGNING_KEY="+o.key,
		"COMPLAINTS_LOG_LEVEL=warn",
	)
	st.svc.Stdout, st.svc.Stderr = os.Stderr, os.Stderr
	if err := st.svc.Start(); err != nil {
		st.svc = nil
		return st, fmt.Errorf("start %s (run make build first): %w", filepath.Join(o.binDir, "complaints"), err)
	}
	st.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	return st, waitReady(ctx, st.base+"/readyz")
}

func (st *stack) natsURL() string { return st.broker.ClientURL() }

func (st *stack) fsyncName() string {
	if st.syncAlways {
		return "sync_interval=always"
	}
	return "default fsync"
}

func (st *stack) close() {
	if st.closed {
		return
	}
	st.closed = true
	if st.svc != nil {
		_ = st.svc.Process.Signal(syscall.SIGTERM)
		_ = st.svc.Wait()
	}
	if st.broker != nil {
		st.broker.Shutdown()
		st.broker.WaitForShutdown()
	}
	if st.store != "" {
		_ = os.RemoveAll(st.store)
	}
	dropDatabase(st.db)
}
