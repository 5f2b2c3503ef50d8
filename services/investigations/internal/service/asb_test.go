package service_test

import (
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

func matterAt(location string) map[string]any {
	return map[string]any{"summary": "Youths gathering and shouting", "locations": []any{location}}
}

// TestASBCaseReviewTrigger: the third anti-social behaviour report about one location, or
// one person, within 183 days triggers a case review, once; other areas and older reports
// do not count.
func TestASBCaseReviewTrigger(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("INVESTIGATIONS_EVENTS", "investigations.events.asb_review.>")
	officer := e.officer("olive")
	review := func(f fixture) any {
		return e.Must(200, "GET", "/investigations/"+f.id, e.officer("olive"), nil)["asb_review"]
	}
	// Same location, a different person each time (people without a subject).
	noSubject := []any{map[string]any{"role": "reporter", "name": "Rita Reporter"}}
	trimmed := func(area, loc string) fixture {
		body := map[string]any{"area": area, "matter": matterAt(loc), "people": noSubject}
		v := e.Must(201, "POST", "/investigations", officer, body)
		return fixture{id: v["id"].(string), view: v}
	}
	old := trimmed("anti_social_behaviour", "Brenchley Gardens")
	e.Clock.Advance(200 * 24 * time.Hour) // the first report falls out of the period
	officer = e.officer("olive")
	first := trimmed("anti_social_behaviour", "Brenchley Gardens")
	trimmed("noise", "Brenchley Gardens") // another area does not count
	second := trimmed("anti_social_behaviour", "brenchley gardens.")
	if review(old) != nil || review(first) != nil || review(second) != nil {
		t.Fatalf("a review before the threshold")
	}
	third := trimmed("anti_social_behaviour", "Brenchley  Gardens")
	r, ok := review(third).(map[string]any)
	if !ok || r["count"] != float64(3) || r["threshold"] != float64(3) || r["matched_on"] != "location" {
		t.Fatalf("third report: review %v, want count 3 on location", review(third))
	}
	fourth := trimmed("anti_social_behaviour", "Brenchley Gardens")
	if review(fourth) != nil {
		t.Errorf("fourth report triggered another review: %v", review(fourth))
	}
	msgs := events.WaitFor(t, 1)
	body := testkit.Decode(t, msgs[0])
	if len(msgs) != 1 || body["investigation_id"] != third.id || body["count"] != float64(3) {
		t.Errorf("review events %v", body)
	}

	// Same person at three places: the fixture's subject.
	a := e.openCase(officer, "anti_social_behaviour", "", map[string]any{"matter": matterAt("King Street")})
	b := e.openCase(officer, "anti_social_behaviour", "", map[string]any{"matter": matterAt("Week Street")})
	c := e.openCase(officer, "anti_social_behaviour", "", map[string]any{"matter": matterAt("Gabriel's Hill")})
	if review(a) != nil || review(b) != nil {
		t.Errorf("review before the threshold for the person")
	}
	if r, ok := review(c).(map[string]any); !ok || r["matched_on"] != "subject" {
		t.Errorf("third report about the person: review %v, want matched on subject", review(c))
	}
	events.WaitFor(t, 2)
}

// A backdated report can step the count past the threshold without ever landing on it:
// the review still triggers, once.
func TestASBCaseReviewTriggersPastTheThresholdOnce(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	at := func(received time.Time) map[string]any {
		body := map[string]any{"area": "anti_social_behaviour", "matter": matterAt("Fremlin Walk"),
			"people": []any{map[string]any{"role": "reporter", "name": "Rita Reporter"}}, "received_at": received.Format(time.RFC3339)}
		return e.Must(201, "POST", "/investigations", officer, body)
	}
	now := e.Clock.Now()
	at(now.Add(-2 * time.Hour))
	at(now.Add(-2 * time.Hour))
	backdated := at(now.Add(-30 * 24 * time.Hour)) // counts only what came before it: 1
	if backdated["asb_review"] != nil {
		t.Fatalf("backdated report triggered a review: %v", backdated["asb_review"])
	}
	fourth := at(now.Add(-time.Hour)) // 4 reports in the period, none reviewed yet
	r, ok := fourth["asb_review"].(map[string]any)
	if !ok || r["count"] != float64(4) || r["threshold"] != float64(3) {
		t.Fatalf("fourth report: review %v, want one at count 4", fourth["asb_review"])
	}
	if fifth := at(now.Add(-time.Minute)); fifth["asb_review"] != nil {
		t.Fatalf("fifth report triggered another review: %v", fifth["asb_review"])
	}
}

// A report whose subject is recorded after it was logged is a report about that person: the
// third about one person within the period triggers the case review when they are added,
// once, matched on the subject.
func TestASBCaseReviewCountsASubjectRecordedAfterTheReport(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("INVESTIGATIONS_EVENTS", "investigations.events.asb_review.>")
	officer := e.officer("olive")
	a := e.openCase(officer, "anti_social_behaviour", "", map[string]any{"matter": matterAt("King Street")})
	b := e.openCase(officer, "anti_social_behaviour", "", map[string]any{"matter": matterAt("Week Street")})
	third := e.Must(201, "POST", "/investigations", officer, map[string]any{"area": "anti_social_behaviour", "matter": matterAt("Gabriel's Hill"),
		"people": []any{map[string]any{"role": "reporter", "name": "Rita Reporter"}}})
	for _, v := range []map[string]any{a.view, b.view, third} {
		if v["asb_review"] != nil {
			t.Fatalf("a review before the subject of the third report is known: %v", v["asb_review"])
		}
	}
	path := "/investigations/" + third["id"].(string)
	v := e.Must(200, "POST", path+"/people", officer, map[string]any{"role": "subject", "name": "Sam  SUBJECT"})
	r, ok := v["asb_review"].(map[string]any)
	if !ok || r["count"] != float64(3) || r["threshold"] != float64(3) || r["matched_on"] != "subject" {
		t.Fatalf("the subject recorded on the third report: review %v, want count 3 matched on subject", v["asb_review"])
	}
	if got := e.Must(200, "GET", path, officer, nil)["asb_review"]; normal(t, got) != normal(t, r) {
		t.Errorf("stored review %v, want %v", got, r)
	}
	// Another subject recorded on it triggers nothing more.
	if v := e.Must(200, "POST", path+"/people", officer, map[string]any{"role": "subject", "name": "Stan Second"}); normal(t, v["asb_review"]) != normal(t, r) {
		t.Errorf("after a second subject: review %v, want %v", v["asb_review"], r)
	}
	msgs := events.WaitFor(t, 1)
	if body := testkit.Decode(t, msgs[0]); len(msgs) != 1 || body["investigation_id"] != third["id"] || body["count"] != float64(3) {
		t.Errorf("review events %d, first %v", len(msgs), body)
	}
}
