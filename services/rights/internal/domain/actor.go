package domain

import (
	"time"

	"casework.dev/pkg/calendar"
)

// Actor is who acts, when, with the calendar deadlines are counted by.
type Actor struct {
	Officer string
	Now     time.Time
	Cal     *calendar.Calendar
}

// Event is what a change raised; the adapter turns it into the domain event, the status
// event and the audit row. Detail never carries personal data.
type Event struct {
	Type      string
	Detail    map[string]any
	Service   string // a fan-out step's service
	Recipient string // an Article 19 notice's recipient
	Count     int
}
