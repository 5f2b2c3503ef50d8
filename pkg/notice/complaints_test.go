package notice

import (
	"reflect"
	"strings"
	"testing"
)

// The complaints service's real notice: these tests pin the rules the
// source notices state, so an edit that breaks one fails here.
const complaintsNotice = "../../contracts/notices/complaints.yaml"

func loadComplaints(t *testing.T) *Notice {
	t.Helper()
	n, err := LoadFile(complaintsNotice)
	if err != nil {
		t.Fatalf("complaints notice does not load: %v", err)
	}
	return n
}

func TestComplaintsController(t *testing.T) {
	n := loadComplaints(t)
	c := n.Controller
	if n.Service != "complaints" || n.Version == "" {
		t.Fatalf("service %q version %q", n.Service, n.Version)
	}
	if c.Name != "Maidstone Borough Council" || c.ICORegistration != "Z4752882" {
		t.Fatalf("controller = %+v", c)
	}
	if c.DPO.Email != "dataprotectionofficer@maidstone.gov.uk" || !strings.Contains(c.DPO.Name, "Angela Woodhouse") || !strings.HasPrefix(c.DPO.Phone, "01622 602000") {
		t.Fatalf("DPO = %+v", c.DPO)
	}
	if n.SupervisoryAuthority.Name != "Information Commissioner's Office" || !strings.HasPrefix(n.SupervisoryAuthority.Phone, "0303 123 1113") {
		t.Fatalf("ICO = %+v", n.SupervisoryAuthority)
	}
	for _, p := range n.Purposes {
		if p.Basis != "public_task" {
			t.Errorf("purpose %s basis %s; the sources give official authority/public task", p.ID, p.Basis)
		}
	}
}

func TestComplaintsCategoriesCoverCaseFields(t *testing.T) {
	n := loadComplaints(t)
	for _, c := range n.Categories {
		if len(c.Fields) == 0 {
			t.Errorf("category %s covers no case field", c.ID)
		}
	}
	for field, want := range map[string]string{
		"complainant_name": "complainant_name", "complainant_email": "complainant_email", "details": "complaint_details",
		"special_details": "complaint_special_details", "stage2_details": "stage2_details", "outcome": "complaint_outcome",
		"reference": "case_record", "closed_on": "case_record",
	} {
		if got, _ := n.CategoryOfField(field); got != want {
			t.Errorf("field %s is in category %q, want %q", field, got, want)
		}
	}
	if c, _ := n.Category("complaint_special_details"); c.Kind != KindSpecial {
		t.Errorf("complaint_special_details kind = %q, want special", c.Kind)
	}
}

func TestComplaintsLGOReceivesStage3AtComplainantsRequest(t *testing.T) {
	n := loadComplaints(t)
	lgo, ok := n.Recipient("lgo")
	if !ok || lgo.Name != "Local Government and Social Care Ombudsman" {
		t.Fatalf("lgo recipient = %+v, %v", lgo, ok)
	}
	// The case file goes only with the response to an enquiry, never on an officer's request.
	d := n.Decide(Request{Recipient: "lgo", Purpose: "ombudsman_referral", Scope: "stage_3", Recorded: []string{"complainant_request"}})
	if d.Allowed || d.Rule != "lgo_via_enquiry_response" ||
		d.Reason != "The Ombudsman receives the case file only with the council's response to one of its enquiries." {
		t.Fatalf("LGO stage 3 decision on an officer's request = %+v", d)
	}
	d = n.Decide(Request{Recipient: "lgo", Purpose: "ombudsman_referral", Scope: "stage_3", Recorded: []string{"complainant_request"}, Occasion: "enquiry_response"})
	want := []string{"case_record", "complainant_address", "complainant_email", "complainant_name", "complainant_phone",
		"complaint_details", "complaint_outcome", "ombudsman_correspondence", "stage2_details", "stage3_details"}
	if !d.Allowed || d.Condition != "complainant_request" || !reflect.DeepEqual(d.Categories, want) {
		t.Fatalf("LGO stage 3 decision = %+v", d)
	}
	if !reflect.DeepEqual(d.Withheld, []string{"complaint_special_details"}) || !strings.Contains(d.Reason, "an officer's recorded finding that the Ombudsman needs it") {
		t.Fatalf("special category should be withheld with its reason: %+v", d)
	}

	d = n.Decide(Request{Recipient: "lgo", Purpose: "ombudsman_referral", Scope: "stage_3", Recorded: []string{"complainant_request", "recorded_necessity"}, Occasion: "enquiry_response"})
	if !d.Allowed || len(d.Withheld) != 0 || !contains(d.Categories, "complaint_special_details") || !reflect.DeepEqual(d.SpecialConditions, []string{"recorded_necessity"}) {
		t.Fatalf("LGO with recorded necessity = %+v", d)
	}

	d = n.Decide(Request{Recipient: "lgo", Purpose: "ombudsman_referral", Scope: "stage_3", Recorded: []string{"consent"}})
	if d.Allowed || !strings.Contains(d.Reason, "only with the complainant's recorded request to refer the complaint to the Ombudsman; none is recorded") {
		t.Fatalf("LGO without the complainant's request = %+v", d)
	}

	for _, scope := range []string{"stage_1", "stage_2"} {
		d := n.Decide(Request{Recipient: "lgo", Purpose: "ombudsman_referral", Scope: scope, Recorded: []string{"complainant_request", "consent"}})
		if d.Allowed || !strings.Contains(d.Reason, "receives only stage 3 (Ombudsman) complaint data") {
			t.Errorf("LGO at %s = %+v", scope, d)
		}
	}
}

// Stage 1 and 2 notices: "We do not intend to share this data. Should we
// need to at any time, we will seek your consent."
func TestComplaintsStage1And2GoNowhereWithoutConsent(t *testing.T) {
	n := loadComplaints(t)
	everythingButConsent := []string{"complainant_request", "crime_prevention", "contract", "legal_obligation", "public_task", "vital_interests", "recorded_necessity"}
	checked := 0
	for _, r := range n.Recipients {
		for _, p := range n.Purposes {
			for _, scope := range []string{"stage_1", "stage_2"} {
				d := n.Decide(Request{Recipient: r.ID, Purpose: p.ID, Scope: scope, Recorded: everythingButConsent})
				if d.Allowed {
					t.Errorf("%s for %s at %s allowed without consent: %s", r.ID, p.ID, scope, d.Reason)
				}
				checked++
			}
		}
	}
	if checked < 4*3*2 {
		t.Fatalf("checked only %d combinations", checked)
	}

	d := n.Decide(Request{Recipient: "kent-county-council", Purpose: "complaint_handling", Scope: "stage_1"})
	if d.Reason != "Stage 1 complaint data is shared with Kent County Council only with the complainant's recorded consent; none is recorded." {
		t.Fatalf("reason = %q", d.Reason)
	}

	d = n.Decide(Request{Recipient: "kent-county-council", Purpose: "complaint_handling", Scope: "stage_2", Recorded: []string{"consent"}})
	wantKCC := []string{"complainant_address", "complainant_email", "complainant_name", "complainant_phone", "complaint_details", "stage2_details"}
	if !d.Allowed || d.Condition != "consent" || !reflect.DeepEqual(d.Categories, wantKCC) || !reflect.DeepEqual(d.Withheld, []string{"complaint_special_details"}) {
		t.Fatalf("KCC with consent = %+v", d)
	}
	d = n.Decide(Request{Recipient: "kent-county-council", Purpose: "complaint_handling", Scope: "stage_2", Recorded: []string{"consent", "explicit_consent"}})
	if !contains(d.Categories, "complaint_special_details") || len(d.Withheld) != 0 {
		t.Fatalf("KCC with explicit consent = %+v", d)
	}

	// The person complained about learns who complained only with consent,
	// and never gets contact details.
	d = n.Decide(Request{Recipient: "subject-of-complaint", Purpose: "complaint_handling", Scope: "stage_1", Recorded: []string{"consent"},
		Categories: []string{"complainant_name", "complainant_address", "complainant_phone"}})
	if !reflect.DeepEqual(d.Categories, []string{"complainant_name"}) || !reflect.DeepEqual(d.Withheld, []string{"complainant_address", "complainant_phone"}) {
		t.Fatalf("subject of complaint = %+v", d)
	}
}

func TestComplaintsRetention(t *testing.T) {
	n := loadComplaints(t)
	for scope, want := range map[string]Period{"stage_1": {Years: 6}, "stage_2": {Years: 6}, "stage_3": {Years: 10}} {
		got, err := n.RetentionFor(scope, RetentionFacts{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Period != want || got.Trigger != "closure" {
			t.Errorf("%s kept %s from %s; want %s from closure", scope, got.Period, got.Trigger, want)
		}
	}
}

func TestComplaintsRightsAndStatistics(t *testing.T) {
	n := loadComplaints(t)
	var rights, reasons []string
	for _, r := range n.Rights {
		rights = append(rights, r.ID)
	}
	for _, r := range n.ErasureMayBeRefusedFor {
		reasons = append(reasons, r.ID)
	}
	if strings.Join(rights, ",") != "informed,access,rectification,erasure,restriction,objection,automated_decisions" {
		t.Errorf("rights = %v", rights)
	}
	if strings.Join(reasons, ",") != "legal_obligation,public_task,legal_claims" {
		t.Errorf("erasure refusal reasons = %v", reasons)
	}
	s := n.Statistics
	if s == nil || !s.AnonymousOnly || s.SuppressBelow != 5 || !s.Suppressed(4) || s.Suppressed(5) {
		t.Fatalf("statistics = %+v", s)
	}
}

func TestComplaintsRender(t *testing.T) {
	n := loadComplaints(t)
	out := n.Render()
	for _, want := range []string{
		"Maidstone Borough Council is the data controller", "Z4752882", "dataprotectionofficer@maidstone.gov.uk",
		"### Local Government and Social Care Ombudsman", "### Kent County Council",
		"### The person or organisation complained about", "### A councillor acting for the complainant",
		"(6 years from the date the case is closed)", "(10 years from the date the case is closed)",
		"We do not publish any count smaller than 5.", "casework@ico.org.uk",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered complaints notice lacks %q", want)
		}
	}
	if strings.Contains(out, "parking") {
		t.Error("the stage 3 source's stray parking purpose must not be carried over")
	}
}

func TestComplaintsRecipientIDsInFileOrder(t *testing.T) {
	got := loadComplaints(t).RecipientIDs()
	if want := []string{"lgo", "subject-of-complaint", "kent-county-council", "ward-councillor"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("recipient ids %v, want %v", got, want)
	}
}

// Consent is recorded only for a recipient that receives something on it.
func TestRecipientSharesOnTheConditionsOfItsRules(t *testing.T) {
	n := loadComplaints(t)
	for _, tc := range []struct {
		recipient, condition string
		want                 bool
	}{
		{"ward-councillor", "consent", true},
		{"kent-county-council", "explicit_consent", true}, // for special categories only
		{"lgo", "consent", false},
		{"lgo", "complainant_request", true},
		{"lgo", "recorded_necessity", true},
	} {
		r, ok := n.Recipient(tc.recipient)
		if !ok {
			t.Fatalf("no recipient %s", tc.recipient)
		}
		if got := r.SharesOn(tc.condition); got != tc.want {
			t.Errorf("%s shares on %s: %v, want %v", tc.recipient, tc.condition, got, tc.want)
		}
	}
}

func TestUnrecordableNamesTheNoticeTheRecipientAndTheCondition(t *testing.T) {
	n := loadComplaints(t)
	lgo, _ := n.Recipient("lgo")
	if got, want := n.Unrecordable(lgo, "consent"), "the complaints notice shares nothing with "+lgo.Name+" on consent, so there is no consent to record"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := n.Unrecordable(lgo, "complainant_request"); got != "" {
		t.Errorf("a condition the Ombudsman receives on: %q", got)
	}
}
