// Package app holds the board's use cases: recording a status event into the read model,
// and answering what a manager sees.
package app

import "time"

// Service answers the board's queries.
type Service struct {
	reader BoardReader
	now    func() time.Time
	limit  int
}

// NewService builds the query side; limit caps a drill-down list (default 500).
func NewService(reader BoardReader, now func() time.Time, limit int) *Service {
	if limit <= 0 {
		limit = 500
	}
	return &Service{reader: reader, now: now, limit: limit}
}

// Limit is the most cases a drill-down lists.
func (s *Service) Limit() int { return s.limit }
