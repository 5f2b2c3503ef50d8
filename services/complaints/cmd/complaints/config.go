package main

import (
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from COMPLAINTS_* environment variables or flags, and printed at
// start with secrets masked: what every case service reads, and the complaints' own.
type config struct {
	conf.Version
	bootstrap.CaseService
	Calendar bootstrap.CalendarSettings
	Overdue  struct {
		Interval time.Duration `conf:"default:30s,help:how often running deadlines are recomputed and checked for overdue"`
	}
}
