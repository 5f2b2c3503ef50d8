package main

import (
	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from BOARD_* environment variables or flags, and printed at start
// with secrets masked: what every service that is not a case service reads, and the
// board's own.
type config struct {
	conf.Version
	bootstrap.Settings
	// StreamReplicas are the replicas of the board's one stream, its dead letters; it keeps
	// the name the NATS settings of every other service give it.
	StreamReplicas int `conf:"default:1,env:NATS_REPLICAS,flag:nats-replicas,help:replicas of the board's dead-letter stream"`
	// Services are followed on their status streams (<SERVICE>_STATUS) and shown in this order.
	Services []string `conf:"default:complaints;investigations,help:services whose status events the board shows, separated by ;"`
	Session  struct {
		InsecureCookie bool `conf:"help:leave Secure off the sign-in cookie (plain HTTP on a developer's machine only)"`
	}
}
