package service_test

import (
	"net/http"
	"reflect"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
)

// TestSharingIsDecidedByTheNoticeFileAlone makes the same requests against the contract's
// notice and against a copy changed in YAML only, and each change flips its decision: who may
// receive what is the notice's to say, not the Go code's.
func TestSharingIsDecidedByTheNoticeFileAlone(t *testing.T) {
	raw, err := contracts.Notice("complaints")
	if err != nil {
		t.Fatal(err)
	}
	edited := testkit.EditedFile(t, "complaints.yaml", raw,
		// The person complained about is no longer kept from an anonymous complainant's name.
		`    withhold:
      - when: anonymity_requested
        categories: [complainant_name, complainant_address, complainant_phone, complainant_email]
`, `    withhold:
      - when: anonymity_requested
        categories: [complainant_address, complainant_phone, complainant_email]
`,
		// The Ombudsman may have the case file on an officer's request, not only with an enquiry's answer.
		"        only_on: enquiry_response\n", "",
		// The councillor receives the case record at stage 3 on the complainant's request to the Ombudsman.
		"        categories: [complainant_name, complaint_details, stage2_details, complaint_outcome, case_record]\n",
		"        categories: [complainant_name, complaint_details, stage2_details, complaint_outcome, case_record]\n"+
			"      - purposes: [complaint_handling]\n        scopes: [stage_3]\n        condition: complainant_request\n        categories: [case_record]\n")

	type outcome struct {
		Status     int
		Rule       string
		Condition  string
		Categories []string
		Withheld   []string
	}
	cases := []struct {
		notice                              string
		anonymous, ombudsman, councillorAt3 outcome
	}{
		{notice: "",
			anonymous:     outcome{Status: 201, Condition: "consent", Categories: []string{"complaint_details", "stage2_details"}, Withheld: []string{"complainant_name"}},
			ombudsman:     outcome{Status: 409, Rule: "lgo_via_enquiry_response"},
			councillorAt3: outcome{Status: 403, Withheld: []string{}}},
		{notice: edited,
			anonymous: outcome{Status: 201, Condition: "consent", Categories: []string{"complainant_name", "complaint_details", "stage2_details"}, Withheld: []string{}},
			ombudsman: outcome{Status: 201, Condition: "complainant_request", Withheld: []string{"complaint_special_details"}, Categories: []string{
				"case_record", "complainant_address", "complainant_email", "complainant_name", "complainant_phone",
				"complaint_details", "complaint_outcome", "ombudsman_correspondence", "stage2_details", "stage3_details"}},
			councillorAt3: outcome{Status: 201, Condition: "complainant_request", Categories: []string{"case_record"}, Withheld: []string{}}},
	}
	for _, tc := range cases {
		name := "contract notice"
		if tc.notice != "" {
			name = "notice edited in YAML"
		}
		t.Run(name, func(t *testing.T) {
			db, _ := testkit.NewDatabase(t, service.Migrations()...)
			cal, err := calendar.New(calendar.Config{})
			if err != nil {
				t.Fatal(err)
			}
			e := newEnvWithNotice(t, db, testkit.NewNATS(t), calendar.NewManualClock(start), cal, tc.notice)
			alice := e.officer("alice")
			disclose := func(id, recipient, purpose string) outcome {
				r := e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": recipient, "purpose": purpose})
				body := r.JSON(t)
				rule, _ := body["rule"].(string)
				condition, _ := body["condition"].(string)
				return outcome{Status: r.Status, Rule: rule, Condition: condition,
					Categories: sharingStrings(body["categories"]), Withheld: sharingStrings(body["withheld"])}
			}

			body := aComplaint()
			body["anonymity_requested"] = true
			body["consent_to"] = []string{sharingSubject}
			anonymous := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
			if got := disclose(anonymous["id"].(string), sharingSubject, "complaint_handling"); !reflect.DeepEqual(got, tc.anonymous) {
				t.Errorf("anonymous complainant to the person complained about: %+v, want %+v", got, tc.anonymous)
			}

			id, _ := stage3Answered(e)
			e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
			if got := disclose(id, "lgo", "ombudsman_referral"); !reflect.DeepEqual(got, tc.ombudsman) {
				t.Errorf("the Ombudsman on an officer's request: %+v, want %+v", got, tc.ombudsman)
			}
			if got := disclose(id, "ward-councillor", "complaint_handling"); !reflect.DeepEqual(got, tc.councillorAt3) {
				t.Errorf("the councillor at stage 3 without consent: %+v, want %+v", got, tc.councillorAt3)
			}
		})
	}
}
