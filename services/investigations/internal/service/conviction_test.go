package service_test

import (
	"reflect"
	"testing"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// TestConvictionNeedsTheSentenceLength: retention of a conviction is the longer of the
// sentence and 7 years, so a conviction without the sentence's length is refused and
// changes nothing; "none" states a sentence with no term, which keeps the 7 years.
func TestConvictionNeedsTheSentenceLength(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	prosecuted := func() string {
		f := e.openCase(officer, "noise", "", nil)
		for _, step := range []string{"/triage", "/investigate", "/prosecute"} {
			e.Must(200, "POST", "/investigations/"+f.id+step, officer, nil)
		}
		return "/investigations/" + f.id
	}
	conviction := func(length string) map[string]any {
		b := map[string]any{"outcome": "conviction", "offence": "Breach of a noise abatement notice", "court": "Maidstone Magistrates' Court",
			"date": "2026-03-02", "sentence": "Fine of GBP 900"}
		if length != "" {
			b["sentence_length"] = length
		}
		return b
	}

	p := prosecuted()
	// 9999999y parsed once, and the case could then never be closed: its retention date was
	// past what the database stores.
	for _, length := range []string{"", "9 years", "0d", "9999999y", "100y1d"} {
		r := e.Call("POST", p+"/outcome", officer, conviction(length))
		if r.Status != 400 {
			t.Errorf("sentence_length %q: %d %s, want 400", length, r.Status, r.Body)
			continue
		}
		if length == "" {
			errs, _ := r.JSON(t)["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["pointer"] != "/sentence_length" {
				t.Errorf("missing sentence_length: errors %v, want one at /sentence_length", errs)
			}
		}
	}
	v := e.Must(200, "GET", p, officer, nil)
	if v["status"] != "prosecution" || v["outcome"] != nil {
		t.Errorf("refused convictions changed the case: status %v outcome %v", v["status"], v["outcome"])
	}
	var logged int
	if err := e.DB.Get(&logged, `SELECT count(*) FROM disclosure_log`); err != nil || logged != 0 {
		t.Errorf("refused convictions disclosed %d times (%v)", logged, err)
	}

	for _, c := range []struct{ length, due, computation string }{
		{"none", "2033-03-02", "longer of sentence with no term and 7y = 7y from end_of_service (rule conviction); from 2026-03-02 to 2033-03-02"},
		{"9y", "2035-03-02", "longer of sentence 9y and 7y = 9y from end_of_service (rule conviction); from 2026-03-02 to 2035-03-02"},
		{"18m", "2033-03-02", "longer of sentence 18m and 7y = 7y from end_of_service (rule conviction); from 2026-03-02 to 2033-03-02"},
	} {
		p := prosecuted()
		e.Must(200, "POST", p+"/outcome", officer, conviction(c.length))
		v := e.Must(200, "POST", p+"/close", officer, map[string]any{"reason": "sentenced"})
		r := v["retention"].(map[string]any)
		if r["due"] != c.due || r["rule"] != "conviction" || r["computation"] != c.computation {
			t.Errorf("sentence_length %s: retention %v, want due %s rule conviction computation %q", c.length, r, c.due, c.computation)
		}
	}
}

// A conviction on a case with two people in the subject role names the one convicted: left
// out, it is refused at /person_id and changes nothing, so the first subject's name never
// goes to the publication service as the offender's; named, the outcome is that person's.
func TestAConvictionOnACaseWithTwoSubjectsNamesTheOneConvicted(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("INVESTIGATIONS_SHARE", "share.publication-service.investigations.>")
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	p := "/investigations/" + f.id
	secondID := e.addPerson(p, officer, map[string]any{"role": "subject", "name": "Stan Second", "town": "Aylesford"})
	for _, step := range []string{"/triage", "/investigate", "/prosecute"} {
		e.Must(200, "POST", p+step, officer, nil)
	}
	conviction := map[string]any{"outcome": "conviction", "offence": "Breach of a noise abatement notice", "court": "Maidstone Magistrates' Court",
		"date": "2026-03-02", "sentence": "Fine of GBP 900", "sentence_length": "none"}
	before := e.rowCounts()
	r := e.Call("POST", p+"/outcome", officer, conviction)
	pr := testkit.ProblemOf(t, r, 400, httpserver.TypeValidation)
	want := []any{map[string]any{"pointer": "/person_id", "detail": "is required: the case has 2 people in the subject role; name the one convicted"}}
	if !reflect.DeepEqual(pr["errors"], want) {
		t.Fatalf("conviction naming no one of two subjects: %s\nwant errors %v", r.Body, want)
	}
	if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
		t.Errorf("the refusal wrote rows: %v, before %v", after, before)
	}
	if v := e.Must(200, "GET", p, officer, nil); v["status"] != "prosecution" || v["outcome"] != nil {
		t.Errorf("the refusal changed the case: status %v outcome %v", v["status"], v["outcome"])
	}

	conviction["person_id"] = secondID
	if o := e.Must(200, "POST", p+"/outcome", officer, conviction)["outcome"].(map[string]any); o["person_id"] != secondID {
		t.Fatalf("outcome %v, want person %s", o, secondID)
	}
	msgs := share.WaitFor(t, 1)
	got := testkit.Decode(t, msgs[0])["data"]
	wantData := map[string]any{"name": "Stan Second", "town": "Aylesford", "offence": "Breach of a noise abatement notice",
		"court": "Maidstone Magistrates' Court", "date": "2026-03-02", "sentence": "Fine of GBP 900"}
	if !reflect.DeepEqual(got, wantData) {
		t.Errorf("publication outcome %v, want %v", got, wantData)
	}
}
