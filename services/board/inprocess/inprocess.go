// Package inprocess starts the managers' board inside another module's test, assembled
// exactly as its binary assembles it: the cross-service end-to-end tests (tests/e2e) run
// it beside the services whose status events it reads, on one NATS server. Nothing else
// should import it.
package inprocess

import (
	"casework.dev/services/board/internal/ports"
	"casework.dev/services/board/internal/service"
)

// Name is the board's name; MaxBodyBytes its binary's body limit.
const (
	Name         = "board"
	MaxBodyBytes = ports.MaxBodyBytes
)

// Config, Service, New, Migrations and Follow are those of the board's assembly.
type (
	Config  = service.Config
	Service = service.Service
)

var (
	New        = service.New
	Migrations = service.Migrations
	Follow     = service.Follow
)
