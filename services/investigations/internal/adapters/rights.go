package adapters

import (
	"context"

	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/app"
)

var _ app.Repository = (*Repository)(nil)

// chain is a case's audit chain.
func chain(id string) string { return "investigation:" + id }

// findPeopleSQL is the first filter of a rights search over the people in each case, in the
// forms of casework.dev/pkg/rightsdata; the app then decides who matched. A postcode or a
// date of birth alone makes no candidate, so neither is searched here. An erased case file
// or person has no details left to match. The people's details and the references are
// searched apart and united, each from its index (migration 00004): a test per case read
// every case and probed its people.
var findPeopleSQL = `
SELECT i.id FROM investigations i
WHERE i.erased_at IS NULL AND i.id IN (
    SELECT investigation_id FROM investigation_person_data
    WHERE ` + rightsdata.PersonFilterSQL("name", "email", "phone", "address") + `
    UNION SELECT id FROM investigations WHERE reference = ANY($5))
ORDER BY i.received_at, i.id LIMIT $6`

// FindPeople returns the cases a rights search may be about.
func (r *Repository) FindPeople(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	return r.Find(ctx, findPeopleSQL, w, limit)
}
