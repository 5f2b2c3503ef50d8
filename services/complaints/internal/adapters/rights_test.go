package adapters

import (
	"strings"
	"testing"

	"github.com/lib/pq"

	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/testkit"
)

// A rights search reads each identifier's index, never every complainant: the plan of the
// search for a name, e-mail, phone, address and reference uses the index of each, and reads
// no table in full.
func TestRightsSearchUsesAnIndexPerIdentifier(t *testing.T) {
	db, _ := testkit.NewDatabase(t, bootstrap.CaseMigrations("complaints", migrations.Complaints())...)
	plan := testkit.PlanOf(t, db, findComplainantsSQL, "ann applicant", "ann@example.org", "07700900123",
		"1oldroadmaidstoneme156jq", pq.StringArray{"CMP-2026-000007"}, 200)
	for _, index := range []string{"complaint_personal_data_name_search", "complaint_personal_data_email_search",
		"complaint_personal_data_phone_search", "complaint_personal_data_address_search", "complaints_reference_key"} {
		if !strings.Contains(plan, " "+index+" ") {
			t.Errorf("the search does not use %s:\n%s", index, plan)
		}
	}
	if strings.Contains(plan, "Seq Scan") {
		t.Errorf("the search reads a table in full:\n%s", plan)
	}
}
