package main

import (
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from RIGHTS_* environment variables or flags, and printed at start
// with secrets masked: what every case service reads, and the rights service's own.
type config struct {
	conf.Version
	bootstrap.CaseService
	Calendar bootstrap.CalendarSettings
	// Services are asked about every rights request on rights.<service>.<verb>; each needs a
	// notice in contracts/notices. The rights service answers for its own records too.
	Services []string `conf:"default:complaints;investigations;debt;publication;rights,help:services to ask about every rights request, separated by ;"`
	Ask      struct {
		Timeout  time.Duration `conf:"default:2s,help:wait for one service's answer"`
		Attempts int           `conf:"default:2,help:attempts per question before the service is marked as not answering"`
	}
	Retry struct {
		First time.Duration `conf:"default:30s,help:wait before asking again a service that did not answer"`
		Max   time.Duration `conf:"default:15m,help:longest wait between attempts (the wait doubles)"`
	}
	FanOut struct {
		Interval time.Duration `conf:"default:5s,help:how often services that did not answer are asked again"`
	}
	Overdue struct {
		Interval time.Duration `conf:"default:1m,help:how often deadlines are checked for overdue"`
	}
}
