package domain

import (
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

// One of joint debtors erased takes with their name what is theirs alone: the nature of
// their vulnerability, the client's report of it and the findings that the welfare team
// needed their data. The other debtor's stay.
func TestErasingAJointDebtorTakesTheirVulnerabilityWithThem(t *testing.T) {
	a := testActor(t, referredOn)
	for _, tc := range []struct {
		erase                    int
		wantNature, wantReported string
		wantFindings             []string
	}{
		{erase: 1, wantNature: "", wantReported: "", wantFindings: []string{"d-1"}},
		{erase: 0, wantNature: "Recently bereaved.", wantReported: "In hospital.", wantFindings: []string{"d-2"}},
	} {
		c := newCase(t, 100000)
		c.Debtor.Names = []string{"A Debtor", "B Debtor"}
		c.Debtor.ReportedVulnerability, c.Debtor.ReportedVulnerableDebtor = "In hospital.", 2
		if _, err := c.FlagVulnerability("Recently bereaved.", 2, false, a); err != nil {
			t.Fatal(err)
		}
		c.NecessityFindings = []NecessityFinding{{DisclosureID: "d-1", Debtor: 1, Reason: "A's"}, {DisclosureID: "d-2", Debtor: 2, Reason: "B's"}}
		closed := referredOn.AddDate(0, 1, 0)
		c.ClosedAt, c.RetentionDue = &closed, calendar.DateOf(closed)

		later := testActor(t, closed.Add(24*time.Hour))
		e, changed, err := c.EraseDebtor(tc.erase, later)
		if err != nil || !changed || e.Type != "rights.debtor_erased" || c.Erased() || c.Debtor.Names[tc.erase] != "" {
			t.Fatalf("erase debtor %d: %v %v %+v", tc.erase, err, changed, e)
		}
		var kept []string
		for _, f := range c.NecessityFindings {
			kept = append(kept, f.DisclosureID)
		}
		nature := ""
		if v := c.VulnerabilityOf(1); v != nil {
			nature = v.Nature
		}
		if nature != tc.wantNature || c.Debtor.ReportedVulnerability != tc.wantReported ||
			len(kept) != 1 || kept[0] != tc.wantFindings[0] {
			t.Errorf("erase debtor %d: nature %q reported %q findings %v", tc.erase, nature, c.Debtor.ReportedVulnerability, kept)
		}
	}
}
