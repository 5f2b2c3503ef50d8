package service_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
)

// TestRegisterNeverShowsMoreThanTheSixFields is a property over generated cases: whatever
// else the disclosure carried (an address, a date of birth, health and previous
// convictions) and whatever the decision says about the offender, every register format
// shows name, town, offence, court, date and sentence, and nothing else.
func TestRegisterNeverShowsMoreThanTheSixFields(t *testing.T) {
	e := newEnv(t)
	rng := rand.New(rand.NewPCG(10, 2026))
	awkward := []string{`<script>alert(1)</script>`, `O'Brien & "Sons"`, "Zoë Ångström", "]]>", "&amp;", "line\nbreak"}
	pick := func(prefix string, i int) string {
		return fmt.Sprintf("%s %d %s", prefix, i, awkward[rng.IntN(len(awkward))])
	}
	// A town holds no number (a street address would): its awkward text without digits.
	noDigits := func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}
	town := func(i int) string {
		return strings.Map(noDigits, fmt.Sprintf("Town %c %s", 'A'+i, awkward[rng.IntN(len(awkward))]))
	}
	const cases = 12
	var forbidden []string
	want := map[string]map[string]any{}
	for i := range cases {
		c := map[string]any{"name": pick("Name", i), "town": town(i), "offence": pick("Offence", i), "court": pick("Court", i),
			"date": fmt.Sprintf("2026-02-%02d", 1+rng.IntN(28)), "sentence": pick("Fine", i)}
		want[c["name"].(string)] = c
		secret := func(kind string) string {
			s := fmt.Sprintf("SECRET-%s-%d-%d", kind, i, rng.IntN(1e6))
			forbidden = append(forbidden, s)
			return s
		}
		data := map[string]any{}
		for k, v := range c {
			data[k] = v
		}
		data["address"], data["date_of_birth"] = secret("address")+" 3 Mill Lane", "1984-0"+fmt.Sprint(1+rng.IntN(9))+"-11"
		data["health"], data["previous_convictions"], data["ethnicity"] = secret("health"), secret("previous"), secret("ethnicity")
		forbidden = append(forbidden, data["date_of_birth"].(string))
		e.disclose(fmt.Sprintf("0195f3a0-0000-7000-8000-%012d", 900+i), "", data)
		ids := e.waitForDecisions(i + 1)
		draft := aDraft()
		draft["offender"] = map[string]any{"age_at_conviction": 18 + rng.IntN(60), "family_or_children": secret("family"),
			"vulnerability": secret("vulnerability"), "risk_of_harm": secret("risk"), "other": secret("other")}
		draft["reasons"] = secret("reasons")
		draft["proportionality"] = map[string]any{"proportionate": true, "conclusion": secret("conclusion")}
		d := e.publish(ids[i], draft)
		forbidden = append(forbidden, d["id"].(string), d["reference"].(string))
	}

	entries := e.registerJSON()
	if len(entries) != cases {
		t.Fatalf("%d entries, want %d", len(entries), cases)
	}
	for _, got := range entries {
		if w, ok := want[fmt.Sprint(got["name"])]; !ok || !equalEntry(got, w) {
			t.Errorf("entry %v, want exactly %v", got, w)
		}
	}
	formats := map[string]string{}
	for _, path := range []string{"/public/prosecutions", "/public/prosecutions.atom", "/public/prosecutions.html"} {
		r := e.Call("GET", path, "", nil)
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		formats[path] = string(r.Body)
		for _, s := range forbidden {
			if strings.Contains(formats[path], s) {
				t.Errorf("%s shows %q, which is not one of the six fields", path, s)
			}
		}
	}
	if strings.Contains(formats["/public/prosecutions.html"], "<script>") {
		t.Error("the HTML register does not escape what it shows")
	}
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(formats["/public/prosecutions.atom"]), &feed); err != nil || len(feed.Entries) != cases {
		t.Fatalf("Atom feed: %d entries (%v)", len(feed.Entries), err)
	}
	for _, fe := range feed.Entries {
		name, _, _ := strings.Cut(fe.Title, " of Town")
		w, ok := want[name]
		if !ok || fe.Title != fmt.Sprintf("%s of %s: %s", w["name"], w["town"], w["offence"]) ||
			fe.Content != fmt.Sprintf("Convicted at %s on %s. Sentence: %s.", w["court"], w["date"], w["sentence"]) {
			t.Errorf("Atom entry %+v", fe)
		}
	}
}

// TestRegisterIsCacheableAndPublic: no token needed, cache headers set, a matching ETag
// answers 304, and a change gives a new ETag.
func TestRegisterIsCacheableAndPublic(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/public/prosecutions", "/public/prosecutions.atom", "/public/prosecutions.html"} {
		r := e.Call("GET", path, "", nil)
		etag := r.Header.Get("ETag")
		if r.Status != 200 || r.Header.Get("Cache-Control") != "public, max-age=300" || etag == "" {
			t.Fatalf("%s: %d %v", path, r.Status, r.Header)
		}
		if again := e.Call("GET", path, "", nil, "If-None-Match", etag); again.Status != 304 || len(again.Body) != 0 {
			t.Errorf("%s with its ETag: %d", path, again.Status)
		}
	}
	before := e.Call("GET", "/public/prosecutions", "", nil).Header.Get("ETag")
	e.disclose("0195f3a0-0000-7000-8000-000000000601", "", aConviction())
	e.publish(e.waitForDecisions(1)[0], aDraft())
	if r := e.Call("GET", "/public/prosecutions", "", nil, "If-None-Match", before); r.Status != 200 || r.Header.Get("ETag") == before {
		t.Errorf("a new entry kept the old ETag: %d", r.Status)
	}
}

// TestTakedownSweepTakesEachEntryDownOnceAcrossRestarts: on the takedown day the entry is
// off the register at once, and concurrent sweeps from two instances, then a restarted
// one, raise exactly one takedown event.
func TestTakedownSweepTakesEachEntryDownOnceAcrossRestarts(t *testing.T) {
	e := newEnv(t)
	takedowns := e.Collect("PUBLICATION_EVENTS", "publication.events.taken_down")
	e.disclose("0195f3a0-0000-7000-8000-000000000701", "", aConviction())
	id := e.waitForDecisions(1)[0]
	e.publish(id, aDraft()) // takedown on 2026-04-02

	e.Clock.Set(time.Date(2026, 4, 1, 22, 59, 0, 0, time.UTC)) // 23:59 on 1 April, London (BST)
	if n, err := e.svc.App.SweepTakedowns(t.Context(), 10); err != nil || n != 0 || len(e.registerJSON()) != 1 {
		t.Fatalf("the day before: swept %d (%v), register %v", n, err, e.registerJSON())
	}
	e.Clock.Set(time.Date(2026, 4, 1, 23, 0, 0, 0, time.UTC)) // midnight starting 2 April, London
	if got := e.registerJSON(); len(got) != 0 {
		t.Fatalf("on the takedown day the register still shows %v", got)
	}
	other := newEnvOn(t, e.DB, e.NATS, e.Clock)
	var wg sync.WaitGroup
	swept := make([]int, 4)
	for i := range swept {
		svc := e.svc
		if i%2 == 1 {
			svc = other.svc
		}
		wg.Go(func() {
			n, err := svc.App.SweepTakedowns(t.Context(), 10)
			if err != nil {
				t.Errorf("sweep: %v", err)
			}
			swept[i] = n
		})
	}
	wg.Wait()
	other.Shutdown()
	e.Shutdown()
	restarted := newEnvOn(t, e.DB, e.NATS, e.Clock)
	if n, err := restarted.svc.App.SweepTakedowns(t.Context(), 10); err != nil || n != 0 {
		t.Errorf("after a restart: swept %d (%v)", n, err)
	}
	if total := swept[0] + swept[1] + swept[2] + swept[3]; total != 1 {
		t.Errorf("sweeps took it down %d times (%v)", total, swept)
	}
	msgs := takedowns.WaitFor(t, 1)
	testkit.Eventually(t, 2*time.Second, "the relay to settle", func() (bool, string) {
		n, err := messaging.Pending(context.Background(), e.DB)
		return err == nil && n == 0, fmt.Sprintf("%d outbox rows waiting, err %v", n, err)
	})
	if got := takedowns.All(); len(got) != 1 || decode(t, msgs[0])["takedown_reason"] != "publication_period" {
		t.Fatalf("%d takedown events: %s", len(got), testkit.Subjects(got))
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'decision.taken_down'`, "publication:"+id); n != 1 {
		t.Errorf("%d takedown audit rows", n)
	}
}
