// Package inprocess starts the publication service inside another module's test, assembled
// exactly as its binary assembles it: the cross-service end-to-end tests (tests/e2e) run
// it beside the other services on one NATS server. Nothing else should import it.
package inprocess

import (
	"casework.dev/services/publication/internal/service"
)

// Name, Config, Service, New, Migrations and MaxBodyBytes are those of the service's assembly.
const (
	Name         = service.Name
	MaxBodyBytes = service.MaxBodyBytes
)

type (
	Config  = service.Config
	Service = service.Service
)

var (
	New        = service.New
	Migrations = service.Migrations
)
