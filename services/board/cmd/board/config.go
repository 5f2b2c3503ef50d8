package main

import (
	"fmt"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/board/internal/domain"
	"casework.dev/services/board/internal/service"
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
	// Services are followed on their status streams (<SERVICE>_STATUS) and shown in this
	// order; by default every service that publishes status. Who manages each and which
	// statuses finish its cases come from contracts/services.yaml (followed).
	Services []string `conf:"default:complaints;investigations;debt;publication;rights,help:services whose status events the board shows, separated by ;"`
	Session  struct {
		InsecureCookie bool `conf:"help:leave Secure off the sign-in cookie (plain HTTP on a developer's machine only)"`
	}
}

// followed are the configured services as the services list describes them to the board:
// each one's manager roles and finished statuses.
func (c config) followed() ([]domain.Followed, error) {
	list, err := contracts.Services()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	f, err := service.Follow(list, c.Services)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return f, nil
}
