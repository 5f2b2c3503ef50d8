package main

import (
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/bootstrap"
)

// config is read once, from DEBT_* environment variables or flags, and printed at start
// with secrets masked: what every case service reads, and the debt service's own.
type config struct {
	conf.Version
	bootstrap.CaseService
	// JSONMaxBodyBytes bounds JSON requests (service.MaxJSONBodyBytes unless set, reckoned from
	// the contract); HTTP.MaxBodyBytes bounds a streamed referral file.
	JSONMaxBodyBytes int64 `conf:"help:bounds a JSON request body (by default service.MaxJSONBodyBytes: reckoned from the contract)"`
	Fees             struct {
		File string `conf:"help:JSON array of further dated fee schedules (e.g. a reform) added to the statutory ones"`
	}
	Calendar  bootstrap.CalendarSettings
	Referrals struct {
		Batch    int `conf:"default:1000,help:referral file rows stored per statement"`
		Parallel int `conf:"default:2,help:referral batches stored at once"`
	}
	Procedure struct {
		Interval time.Duration `conf:"default:1m,help:how often running notice periods are counted again with the bank holiday table and missed instalments and the 12-month limit are checked"`
	}
}
