// Package natsserver runs an embedded NATS server with JetStream, for the local stack and
// for tests. Production runs a three-node cluster instead (deploy/nats).
package natsserver

import (
	"errors"
	"fmt"
	"net"
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
	opts, err := options(cfg)
	if err != nil {
		return nil, err
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

// Reload re-reads cfg.ConfigFile (accounts, users, permissions) into the running server
// without a restart; connections whose account or user is gone are closed. cfg must be the
// one the server was started with, apart from the file's contents.
func Reload(ns *server.Server, cfg Config) error {
	if cfg.Port <= 0 {
		cfg.Port = ns.Addr().(*net.TCPAddr).Port // the port a random pick settled on
	}
	opts, err := options(cfg)
	if err != nil {
		return err
	}
	if err := ns.ReloadOptions(opts); err != nil {
		return fmt.Errorf("nats reload %s: %w", cfg.ConfigFile, err)
	}
	return nil
}

// options are the config file's, overridden by cfg.
func options(cfg Config) (*server.Options, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("natsserver: StoreDir is required")
	}
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
	return opts, nil
}
