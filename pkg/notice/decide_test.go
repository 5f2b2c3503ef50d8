package notice

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecide(t *testing.T) {
	n := loadSample(t)
	tests := []struct {
		name        string
		req         Request
		allowed     bool
		condition   string
		special     []string
		categories  []string
		withheld    []string
		reasonParts []string
	}{
		{
			name:        "unknown recipient",
			req:         Request{Recipient: "acme-ltd", Purpose: "investigation", Categories: []string{"name"}},
			withheld:    []string{"name"},
			reasonParts: []string{`"acme-ltd" is not a recipient named in the investigations notice (version 7); nothing may be shared with it.`},
		},
		{
			name:        "unknown purpose",
			req:         Request{Recipient: "kent-police", Purpose: "marketing"},
			reasonParts: []string{`"marketing" is not a purpose of the investigations notice; nothing may be shared with Kent Police for it.`},
		},
		{
			name:        "recipient not named for this purpose",
			req:         Request{Recipient: "goodwin-pest-management", Purpose: "crime", CaseType: "vermin_and_pest_control"},
			reasonParts: []string{"The investigations notice names Goodwin Pest Management only for carrying out pest control, not for preventing and detecting crime."},
		},
		{
			name:        "case type not covered",
			req:         Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "noise"},
			reasonParts: []string{"Goodwin Pest Management receives only vermin and pest control cases, not noise nuisance cases."},
		},
		{
			name:        "case type missing",
			req:         Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract"},
			reasonParts: []string{"Goodwin Pest Management receives only vermin and pest control cases; no case type was given."},
		},
		{
			name:        "unknown case type",
			req:         Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "rats"},
			reasonParts: []string{`"rats" is not a case type of the investigations notice`},
		},
		{
			name:        "scope not covered",
			req:         Request{Recipient: "ombudsman", Purpose: "investigation", Scope: "stage_1", Recorded: []string{"complainant_request"}},
			reasonParts: []string{"The Ombudsman receives only stage 3 complaint data for investigating the matter reported, not stage 1 complaint data."},
		},
		{
			name:        "standing contract condition needs no record",
			req:         Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "vermin_and_pest_control"},
			allowed:     true,
			condition:   "contract",
			categories:  []string{"address", "name", "phone"},
			reasonParts: []string{"Vermin and pest control case data may be shared with Goodwin Pest Management for carrying out pest control on the basis of a contract with the data controller: name, address, phone number."},
		},
		{
			name:        "condition not recorded",
			req:         Request{Recipient: "kent-police", Purpose: "crime"},
			reasonParts: []string{"Data for preventing and detecting crime is shared with Kent Police only with a recorded request for the prevention or detection of crime; none is recorded."},
		},
		{
			name:        "several conditions, none recorded",
			req:         Request{Recipient: "county-council", Purpose: "investigation", Scope: "stage_1"},
			reasonParts: []string{"Stage 1 complaint data is shared with County Council only with the person's recorded consent or with a legal obligation to share it; none of these is recorded."},
		},
		{
			name:       "special categories withheld, the rest goes",
			req:        Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"crime_prevention"}},
			allowed:    true,
			condition:  "crime_prevention",
			categories: []string{"address", "cctv_footage", "name", "nature"},
			withheld:   []string{"convictions", "health"},
			reasonParts: []string{
				"may be shared with Kent Police on the basis of a recorded request for the prevention or detection of crime: name, address, nature of the matter, CCTV footage.",
				"Withheld: health information is special category data and goes only with an officer's recorded finding that sharing it is necessary as well, which is not recorded;",
				"previous convictions is criminal offence data",
			},
		},
		{
			name:        "special categories go with their condition recorded",
			req:         Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"crime_prevention", "recorded_necessity"}, Categories: []string{"health", "convictions", "name"}},
			allowed:     true,
			condition:   "crime_prevention",
			special:     []string{"recorded_necessity"},
			categories:  []string{"convictions", "health", "name"},
			reasonParts: []string{": health information, previous convictions, name."},
		},
		{
			name:        "special condition alone does not open the grant",
			req:         Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"recorded_necessity"}, Categories: []string{"health"}},
			withheld:    []string{"health"},
			reasonParts: []string{"only with a recorded request for the prevention or detection of crime; none is recorded."},
		},
		{
			name:        "only special requested and withheld",
			req:         Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"crime_prevention"}, Categories: []string{"health"}},
			withheld:    []string{"health"},
			reasonParts: []string{"Nothing may be shared with Kent Police: health information is special category data"},
		},
		{
			name:       "requested categories minimised per grant",
			req:        Request{Recipient: "county-council", Purpose: "investigation", Scope: "stage_1", Recorded: []string{"consent"}, Categories: []string{"name", "nature", "phone", "bogus", "name"}},
			allowed:    true,
			condition:  "consent",
			categories: []string{"name"},
			withheld:   []string{"bogus", "nature", "phone"},
			reasonParts: []string{
				"Stage 1 complaint data may be shared with County Council for investigating the matter reported on the basis of the person's recorded consent: name.",
				"nature of the matter goes only with a legal obligation to share it, which is not recorded",
				"phone number is not among the data County Council may receive for investigating the matter reported",
				`"bogus" is not a category of this notice`,
			},
		},
		{
			name:        "two grants both satisfied",
			req:         Request{Recipient: "county-council", Purpose: "investigation", Scope: "stage_1", Recorded: []string{"consent", "legal_obligation"}},
			allowed:     true,
			condition:   "consent+legal_obligation",
			categories:  []string{"address", "name", "nature"},
			reasonParts: []string{"on the basis of the person's recorded consent and a legal obligation to share it: name, address, nature of the matter."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := n.Decide(tt.req)
			if d.Allowed != tt.allowed || d.Condition != tt.condition {
				t.Errorf("allowed, condition = %v, %q; want %v, %q (reason: %s)", d.Allowed, d.Condition, tt.allowed, tt.condition, d.Reason)
			}
			if !reflect.DeepEqual(d.Categories, tt.categories) || !reflect.DeepEqual(d.Withheld, tt.withheld) || !reflect.DeepEqual(d.SpecialConditions, tt.special) {
				t.Errorf("categories %v withheld %v special %v; want %v, %v, %v", d.Categories, d.Withheld, d.SpecialConditions, tt.categories, tt.withheld, tt.special)
			}
			for _, part := range tt.reasonParts {
				if !strings.Contains(d.Reason, part) {
					t.Errorf("reason\n  %s\nlacks\n  %s", d.Reason, part)
				}
			}
			if d.Recipient != tt.req.Recipient || d.Purpose != tt.req.Purpose || d.NoticeVersion != "7" {
				t.Errorf("decision echoes %q %q %q", d.Recipient, d.Purpose, d.NoticeVersion)
			}
		})
	}
}

func TestMinimise(t *testing.T) {
	n := loadSample(t)
	values := map[string]any{"name": "A Person", "address": "1 High St", "health": "asthma", "convictions": "2019", "phone": "0123"}
	d := n.Decide(Request{Recipient: "kent-police", Purpose: "crime", Recorded: []string{"crime_prevention"}})
	got := n.Minimise(d, values)
	want := map[string]any{"name": "A Person", "address": "1 High St"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Minimise = %v, want %v", got, want)
	}

	refused := n.Decide(Request{Recipient: "kent-police", Purpose: "crime"})
	if got := n.Minimise(refused, values); len(got) != 0 {
		t.Fatalf("refused decision let through %v", got)
	}
	stale := d
	stale.NoticeVersion = "6"
	if got := n.Minimise(stale, values); len(got) != 0 {
		t.Fatalf("decision from another notice version let through %v", got)
	}
}

func TestMinimiseFields(t *testing.T) {
	n := loadSample(t)
	d := n.Decide(Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "vermin_and_pest_control"})
	fields := map[string]any{"person_name": "A", "person_address": "B", "postcode": "ME1", "person_phone": "C", "details": "rats", "health_notes": "x", "internal_note": "y"}
	got := n.MinimiseFields(d, fields)
	want := map[string]any{"person_name": "A", "person_address": "B", "postcode": "ME1", "person_phone": "C"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MinimiseFields = %v, want %v", got, want)
	}
}

// A field the recipient may have but that holds nothing is not sent, nor named.
func TestMinimiseFilled(t *testing.T) {
	n := loadSample(t)
	d := n.Decide(Request{Recipient: "goodwin-pest-management", Purpose: "pest_contract", CaseType: "vermin_and_pest_control"})
	fields := map[string]any{"person_name": "A", "person_address": "", "postcode": "ME1", "person_phone": nil, "details": "rats", "internal_note": "y"}
	data, names := n.MinimiseFilled(d, fields)
	if want := map[string]any{"person_name": "A", "postcode": "ME1"}; !reflect.DeepEqual(data, want) {
		t.Errorf("data = %v, want %v", data, want)
	}
	if want := []string{"person_name", "postcode"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %v, want %v", names, want)
	}
}
