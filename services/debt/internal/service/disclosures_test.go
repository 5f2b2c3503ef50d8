package service_test

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// referRich refers one debt with every optional detail and returns its case id.
func (e *env) referRich(client, ref string) string {
	e.T.Helper()
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence,phone,email,vehicle_registration,employment\n" +
		ref + ",2026-01-10,LO-" + ref + ",Dora Debtor,\"1 High Street, Maidstone ME14 1AA\",100000,07700 900123,dora@example.org,KX19 ABC,Baker\n"
	row := e.upload(e.client(client), "text/csv", file, "").JSON(e.T)["rows"].([]any)[0].(map[string]any)
	if row["outcome"] != "accepted" {
		e.T.Fatalf("row %v", row)
	}
	return row["case_id"].(string)
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Each recipient the debt notice names receives what it allows, minimised, on its own
// subject, logged; what it does not allow is refused in its words and changes nothing:
// the referring council for its own debts only, the courts for liability orders and the
// Traffic Enforcement Centre for penalty charge notices, a debt advice agency and the
// council's communications team (marketing) only with the debtor's consent, and not after
// the debtor withdrew it.
func TestDisclosuresGoOnlyWhereTheNoticeAllows(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("DEBT_SHARE", "share.>")
	councilTax := e.referRich("maidstone-council-tax", "CT-D1")
	parking := e.referRich("maidstone-parking", "PCN-D1")
	officer := e.officer()

	refused := func(id, recipient, purpose, reason string) {
		t.Helper()
		before := e.snapshot()
		p := problemOf(t, e.Call("POST", "/cases/"+id+"/disclosures", officer, map[string]any{"recipient": recipient, "purpose": purpose}), 403, "disclosure-refused")
		if p["detail"] != reason || p["recipient"] != recipient || p["notice_version"] != "2026.12.2" {
			t.Errorf("%s for %s: %v\nwant %s", recipient, purpose, p["detail"], reason)
		}
		if after := e.snapshot(); !reflect.DeepEqual(after, before) {
			t.Errorf("the refused disclosure to %s changed the database", recipient)
		}
	}
	allowed := func(id, recipient, purpose, condition string, fields ...string) {
		t.Helper()
		d := e.Must(201, "POST", "/cases/"+id+"/disclosures", officer, map[string]any{"recipient": recipient, "purpose": purpose})
		var got []string
		for _, f := range d["fields"].([]any) {
			got = append(got, f.(string))
		}
		if d["condition"] != condition || strings.Join(got, ",") != strings.Join(fields, ",") || d["subject"] != "share."+recipient+".debt."+purpose {
			t.Errorf("%s for %s: condition %v fields %v subject %v\nwant %s %v", recipient, purpose, d["condition"], got, d["subject"], condition, fields)
		}
	}

	// The referring council, its own debts only; another client council is refused.
	allowed(councilTax, "maidstone-borough-council", "return_to_client", "legal_obligation",
		"address", "client_reference", "debt_pence", "debtor_names", "fees", "order_date", "order_kind", "order_reference", "outstanding_pence", "reference", "stage", "status")
	refused(councilTax, "swale-borough-council", "return_to_client",
		"A client council receives only the debts it referred; "+e.Must(200, "GET", "/cases/"+councilTax, officer, nil)["reference"].(string)+" was referred by another client.")
	// A client's own user cannot send anything: disclosures are the office's.
	problemOf(t, e.Call("POST", "/cases/"+councilTax+"/disclosures", e.client("maidstone-council-tax"),
		map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"}), 403, "forbidden")

	// Courts for a liability order; the Traffic Enforcement Centre for a penalty charge notice only.
	allowed(councilTax, "courts", "court_proceedings", "legal_obligation",
		"address", "client_reference", "debt_pence", "debtor_names", "fees", "order_date", "order_kind", "order_reference", "outstanding_pence", "reference", "stage", "status")
	refused(councilTax, "traffic-enforcement-centre", "court_proceedings",
		"the Traffic Enforcement Centre (Northampton County Court) receives only penalty charge notice (after a warrant of control) cases, not council tax (after a liability order) cases.")
	allowed(parking, "traffic-enforcement-centre", "court_proceedings", "legal_obligation",
		"address", "client_reference", "debt_pence", "debtor_names", "fees", "order_date", "order_kind", "order_reference", "outstanding_pence", "reference", "stage", "status", "vehicle_registration")
	refused(parking, "courts", "court_proceedings",
		"the magistrates' and county courts receives only council tax (after a liability order), business rates (after a liability order) or sundry debt (after a judgment) cases, not penalty charge notice (after a warrant of control) cases.")

	// Consent-only recipients: refused, allowed once consent is recorded, refused after it is withdrawn.
	for _, tc := range []struct {
		recipient, purpose, name string
		fields                   []string
	}{
		{"debt-advice-agency", "debt_advice", "a free debt advice agency",
			[]string{"address", "client_reference", "debt_pence", "debtor_names", "email", "fees", "outstanding_pence", "phone", "reference", "stage", "status"}},
		{"council-communications", "marketing", "the council's communications team",
			[]string{"address", "debtor_names", "email", "phone"}},
	} {
		noConsent := "Council tax (after a liability order) case data is shared with " + tc.name + " only with your recorded consent; none is recorded."
		refused(councilTax, tc.recipient, tc.purpose, noConsent)
		c := e.Must(200, "POST", "/cases/"+councilTax+"/consents", officer, map[string]any{"recipient": tc.recipient})
		if !slices.Contains(c["consents"].([]any), any(tc.recipient)) {
			t.Fatalf("consents %v", c["consents"])
		}
		allowed(councilTax, tc.recipient, tc.purpose, "consent", tc.fields...)
		c = e.Must(200, "DELETE", "/cases/"+councilTax+"/consents/"+tc.recipient, officer, nil)
		if slices.Contains(c["consents"].([]any), any(tc.recipient)) {
			t.Fatalf("consents after withdrawal %v", c["consents"])
		}
		refused(councilTax, tc.recipient, tc.purpose, noConsent)
		problemOf(t, e.Call("DELETE", "/cases/"+councilTax+"/consents/"+tc.recipient, officer, nil), 409, "conflict")
	}
	var withdrawn int
	if err := e.DB.Get(&withdrawn, `SELECT count(*) FROM debt_consents WHERE case_id = $1 AND withdrawn_at IS NOT NULL`, councilTax); err != nil || withdrawn != 2 {
		t.Fatalf("%d withdrawn consents kept (%v), want 2", withdrawn, err)
	}
	problemOf(t, e.Call("DELETE", "/cases/"+councilTax+"/consents/acme-debt-buyers", officer, nil), 400, "validation")

	// What each recipient received is exactly its fields, on its own subject.
	msgs := share.WaitFor(t, 5)
	got := map[string][]string{}
	for _, m := range msgs {
		got[m.Subject()] = keysOf(testkit.Decode(t, m)["data"].(map[string]any))
	}
	want := map[string][]string{
		"share.maidstone-borough-council.debt.return_to_client":   {"address", "client_reference", "debt_pence", "debtor_names", "fees", "order_date", "order_kind", "order_reference", "outstanding_pence", "reference", "stage", "status"},
		"share.courts.debt.court_proceedings":                     {"address", "client_reference", "debt_pence", "debtor_names", "fees", "order_date", "order_kind", "order_reference", "outstanding_pence", "reference", "stage", "status"},
		"share.traffic-enforcement-centre.debt.court_proceedings": {"address", "client_reference", "debt_pence", "debtor_names", "fees", "order_date", "order_kind", "order_reference", "outstanding_pence", "reference", "stage", "status", "vehicle_registration"},
		"share.debt-advice-agency.debt.debt_advice":               {"address", "client_reference", "debt_pence", "debtor_names", "email", "fees", "outstanding_pence", "phone", "reference", "stage", "status"},
		"share.council-communications.debt.marketing":             {"address", "debtor_names", "email", "phone"},
	}
	if len(msgs) != 5 || !reflect.DeepEqual(got, want) {
		t.Fatalf("shared (%d):\n got %v\nwant %v", len(msgs), got, want)
	}
	// The log lists every disclosure of the case with its condition, oldest first.
	var log []string
	for _, x := range e.Must(200, "GET", "/cases/"+councilTax+"/disclosures", e.manager(), nil)["items"].([]any) {
		r := x.(map[string]any)
		log = append(log, r["recipient"].(string)+"/"+r["condition"].(string))
	}
	if strings.Join(log, " ") != "maidstone-borough-council/legal_obligation courts/legal_obligation debt-advice-agency/consent council-communications/consent" {
		t.Fatalf("disclosure log %v", log)
	}
	// The rendered notice says so.
	rendered := string(testkit.Call(t, e.Server.URL, "GET", "/notice", "", nil).Body)
	if !strings.Contains(rendered, "- For telling you about our services by post, email, text or social media, only with your recorded consent: name; address; phone number; email address.") {
		t.Fatalf("GET /notice does not state the marketing rule:\n%s", rendered)
	}
	// Disclosure and consent events name the recipient, never a value.
	e.noPersonalValueOutsideTheCase(t, nil, "Dora", "High Street", "07700", "dora@example.org", "KX19", "Baker")
}
