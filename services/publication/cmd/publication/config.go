package main

import (
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from PUBLICATION_* environment variables or flags, and printed at
// start with secrets masked: what every case service reads, and the publication's own.
type config struct {
	conf.Version
	bootstrap.CaseService
	Convictions struct {
		Stream string `conf:"default:INVESTIGATIONS_SHARE,help:the investigations service's share stream the conviction disclosures arrive on"`
	}
	Calendar    bootstrap.CalendarSettings
	Publication struct {
		PeriodMonths int `conf:"default:1,help:calendar months an entry stays on the website unless spent sooner (Ministry of Justice guidance: one month)"`
	}
	Takedown struct {
		Interval time.Duration `conf:"default:10m,help:how often published entries are checked for their takedown date"`
	}
}
