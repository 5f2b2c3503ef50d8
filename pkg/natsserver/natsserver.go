// Package natsserver runs an embedded NATS server with JetStream, for the local stack and
// for tests. Production runs a three-node cluster instead (deploy/nats).
package natsserver

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Config for an embedded server. Port -1 picks a free port.
type Config struct {
	Host       string
	Port       int
	StoreDir   string
	ServerName string
	// SyncAlways fsyncs every JetStream write, as production does; off by default in
	// tests because durability across power loss is not what they prove.
	SyncAlways bool
	// ConfigFile, when set, is a nats-server config file (accounts, permissions) whose
	// options are loaded first; Host, Port and StoreDir still override it.
	ConfigFile string
	Debug      bool
}

// Start boots the server and waits until it accepts connections.
func Start(cfg Config) (*server.Server, error) {
	opts := &server.Options{}
	if cfg.ConfigFile != "" {
		fileOpts, err := server.ProcessConfigFile(cfg.ConfigFile)
		if err != nil {
			return nil, fmt.Errorf("nats config %s: %w", cfg.ConfigFile, err)
		}
		opts = fileOpts
	}
	opts.Host = cfg.Host
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	opts.Port = cfg.Port
	opts.ServerName = cfg.ServerName
	opts.JetStream = true
	opts.StoreDir = cfg.StoreDir
	opts.NoSigs = true
	opts.NoLog = !cfg.Debug
	if cfg.SyncAlways {
		opts.SyncAlways = true
	}
	if cfg.StoreDir == "" {
		return nil, errors.New("natsserver: StoreDir is required")
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("new nats server: %w", err)
	}
	if cfg.Debug {
		ns.ConfigureLogger()
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("nats server not ready within 10s")
	}
	return ns, nil
}
