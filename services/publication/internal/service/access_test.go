package service_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
)

// TestAccessAnswerSaysWhatHappened: the offender's access answer reports what happened to
// the entry, not what was planned: a manager's takedown on its day, with its reason and the
// manager's note; and everything else the decision holds about them: the send-back note, the
// sentence as drafted for the rehabilitation rules, the spent date with the rule used (from
// the draft while nothing is published), and where the conviction came from.
func TestAccessAnswerSaysWhatHappened(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000001901", "", aConviction())
	e.disclose("0195f3a0-0000-7000-8000-000000001902", "", aConviction())
	ids := e.waitForDecisions(2)
	id, path := ids[0], "/decisions/"+ids[0]
	e.Must(200, "POST", path+"/draft", e.officer("olive"), aDraft())
	e.Must(200, "POST", path+"/send-back", e.manager("mark"), map[string]any{"reason": "Sam Subject's neighbours were not asked."})
	e.publish(id, aDraft()) // planned down on 2026-04-02
	e.Clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	e.Must(200, "POST", path+"/takedown", e.manager("maria"), map[string]any{"reason": "Sam Subject's objection upheld (Art 21)."})

	never := aDraft()
	never["sentence"] = map[string]any{"type": "custody_never_spent"}
	e.Must(200, "POST", "/decisions/"+ids[1]+"/draft", e.officer("olive"), never)

	exported := ask[rights.ExportReply](e, rights.Export, records(ids...))
	if len(exported.Records) != 2 {
		t.Fatalf("records %+v", exported.Records)
	}
	held := exported.Records[0].Held
	for k, want := range map[string]any{
		"status": "taken_down", "published_on": "2026-03-02",
		"takedown_on": "2026-03-10", "takedown_reason": "manual", "takedown_note": "Sam Subject's objection upheld (Art 21).",
		"takedown_planned": map[string]any{"on": "2026-04-02", "reason": "publication_period"},
		"sent_back":        map[string]any{"on": "2026-03-02", "reason": "Sam Subject's neighbours were not asked."},
		"spent_on":         "2027-02-20",
		"source":           map[string]any{"kind": "investigations", "team": "community_protection", "case_reference": "INV-2026-000042"},
	} {
		if !reflect.DeepEqual(held[k], want) {
			t.Errorf("held[%q] = %#v, want %#v", k, held[k], want)
		}
	}
	if rule, _ := held["spent_rule"].(string); !strings.HasPrefix(rule, "fine, 18 or over at conviction: 12 months") {
		t.Errorf("spent rule %q", rule)
	}
	decision, _ := held["decision"].(map[string]any)
	if want := map[string]any{"type": "fine", "term": "", "ends_on": ""}; !reflect.DeepEqual(decision["sentence"], want) {
		t.Errorf("drafted sentence %#v", decision["sentence"])
	}
	if rec := exported.Records[0]; rec.KeptUntil != "2032-03-10" {
		t.Errorf("kept until %q", rec.KeptUntil)
	}

	pending := exported.Records[1].Held
	if pending["never_spent"] != true || !strings.Contains(pending["spent_rule"].(string), "never spent") || pending["takedown_on"] != nil {
		t.Errorf("a decision awaiting approval: %v", pending)
	}
}
