package service_test

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

// personComplaint logs a complaint for a complainant with this e-mail and phone, consenting
// to the ward councillor, and shares its details with the councillor; it returns the
// complaint's id and reference and the disclosure's id.
func personComplaint(e *env, email, phone string) (id, ref, disclosureID string) {
	e.T.Helper()
	alice := e.officer("alice")
	body := aComplaint()
	body["complainant"].(map[string]any)["email"] = email
	body["complainant"].(map[string]any)["phone"] = phone
	body["consent_to"] = []string{"ward-councillor"}
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	e.Clock.Advance(time.Minute)
	d := e.Must(http.StatusCreated, "POST", "/complaints/"+c["id"].(string)+"/disclosures", alice,
		map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling", "categories": []string{"complaint_details"}})
	e.Clock.Advance(time.Minute)
	return c["id"].(string), c["reference"].(string), d["id"].(string)
}

func TestDisclosureLogAnswersForOnePersonAcrossTheirComplaints(t *testing.T) {
	e := newEnv(t)
	a, aRef, aDisc := personComplaint(e, "ada@example.org", "01622 000111")
	// The same person, written differently (an e-mail is kept as typed: with white space
	// around it, it is refused rather than trimmed, TestFreeTextIsStoredExactlyAsSent).
	b, bRef, bDisc := personComplaint(e, "ADA@Example.ORG", "+44 1622 000111")
	other, _, _ := personComplaint(e, "grace@example.org", "01622 999999")
	d, dRef, dDisc := personComplaint(e, "ada.l@work.example", "01622-000-111") // the same phone, another address
	mary := e.manager("mary")

	row := func(id, ref, disc string, at time.Time) map[string]any {
		return map[string]any{"complaint_id": id, "reference": ref, "id": disc, "recipient": "ward-councillor",
			"purpose": "complaint_handling", "condition": "consent", "categories": []any{"complaint_details"},
			"notice_version": sharingNoticeVersion, "disclosed_at": at.Format(time.RFC3339Nano), "disclosed_by": "alice"}
	}
	complaint := func(id, ref string) map[string]any { return map[string]any{"id": id, "reference": ref} }
	at := func(n int) time.Time { return start.Add(time.Duration(2*n+1) * time.Minute) } // nth complaint's disclosure

	byEmail := e.Must(http.StatusOK, "GET", "/disclosures?email="+url.QueryEscape("Ada@Example.org"), mary, nil)
	want := map[string]any{
		"complaints": []any{complaint(a, aRef), complaint(b, bRef)},
		"items":      []any{row(a, aRef, aDisc, at(0)), row(b, bRef, bDisc, at(1))},
	}
	if !reflect.DeepEqual(byEmail, want) {
		t.Fatalf("by e-mail\n got %v\nwant %v", byEmail, want)
	}

	byPhone := e.Must(http.StatusOK, "GET", "/disclosures?phone="+url.QueryEscape("+44 (1622) 000 111"), mary, nil)
	want = map[string]any{
		"complaints": []any{complaint(a, aRef), complaint(b, bRef), complaint(d, dRef)},
		"items":      []any{row(a, aRef, aDisc, at(0)), row(b, bRef, bDisc, at(1)), row(d, dRef, dDisc, at(3))},
	}
	if !reflect.DeepEqual(byPhone, want) {
		t.Fatalf("by phone\n got %v\nwant %v", byPhone, want)
	}

	if none := e.Must(http.StatusOK, "GET", "/disclosures?email=nobody@example.org", mary, nil); !reflect.DeepEqual(none,
		map[string]any{"complaints": []any{}, "items": []any{}}) {
		t.Fatalf("nobody: %v", none)
	}

	// The look-up is a read of the person's data: audited on each complaint found, only there.
	lookups := func(id string) int {
		n := 0
		for _, h := range e.Must(http.StatusOK, "GET", "/complaints/"+id, mary, nil)["history"].([]any) {
			if h := h.(map[string]any); h["action"] == "complaint.disclosures_of_person" && h["actor"] == "mary" {
				n++
			}
		}
		return n
	}
	if got := []int{lookups(a), lookups(b), lookups(d), lookups(other)}; !reflect.DeepEqual(got, []int{2, 2, 1, 0}) {
		t.Fatalf("look-ups audited on a, b, d, other: %v, want [2 2 1 0]", got)
	}

	// Managers only; the request must name someone.
	for _, tok := range []string{e.officer("alice"), e.lgo("lucy")} {
		if r := e.Call("GET", "/disclosures?email=ada@example.org", tok, nil); r.Status != http.StatusForbidden {
			t.Fatalf("non-manager: %d %s", r.Status, r.Body)
		}
	}
	for query, param := range map[string]string{"": "email", "?email=not-an-address": "email", "?phone=12-34": "phone"} {
		r := e.Call("GET", "/disclosures"+query, mary, nil)
		if r.Status != http.StatusBadRequest {
			t.Fatalf("%q: %d %s", query, r.Status, r.Body)
		}
		if errs := r.JSON(t)["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["parameter"] != param {
			t.Fatalf("%q: %s", query, r.Body)
		}
	}
}
