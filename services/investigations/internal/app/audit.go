package app

import (
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/services/investigations/internal/domain"
)

func auditRead(who domain.Caller, id string, at time.Time) audit.Entry {
	return audit.Entry{Chain: chain(id), At: at, Actor: who.Officer, Action: "investigation.read", Subject: id,
		Detail: map[string]any{"manager": who.Manager}}
}
