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
		// The notice decides the period (purposes.publication.lasts); a value set here that
		// differs from it stops the service.
		PeriodMonths int `conf:"help:calendar months an entry stays on the website unless spent sooner: leave unset to take the notice's (purposes.publication.lasts); another value than the notice's stops the service"`
	}
	Takedown struct {
		Interval time.Duration `conf:"default:10m,help:how often published entries are checked for their takedown date"`
	}
}
