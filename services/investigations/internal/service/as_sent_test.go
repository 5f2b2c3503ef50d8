package service_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
)

// Text an officer sends is stored exactly as sent or refused: a legal hold's reason, a
// closure's reason keep their spaces; a required text of white space only (a closure's
// reason, an evidence item's description, an assigned officer) is refused with a 400 at
// its pointer and changes nothing; an officer's id with white space at an end is refused,
// never stored as another officer. Limits are in characters, as the contract states them:
// a legal hold's reason of 1001 "é" (2002 bytes) is within its 2000 characters.
func TestTextSentToAnInvestigationIsStoredAsSentOrRefused(t *testing.T) {
	e := newEnv(t)
	olive, mona := e.officer("olive"), e.manager("mona")
	f := e.openCase(olive, "noise", "", nil)
	path := "/investigations/" + f.id
	e.Must(200, "POST", path+"/triage", olive, nil)
	e.Must(200, "POST", path+"/investigate", olive, nil)
	e.Must(200, "POST", path+"/actions", olive, map[string]any{"kind": "warning"})
	open := func(edit func(body map[string]any)) map[string]any {
		body := map[string]any{"area": "noise", "people": []any{reporter}, "matter": matter,
			"evidence": []any{map[string]any{"kind": "photo", "description": "Photo of the speakers", "captured_at": "2026-02-22T11:00:00Z"}}}
		edit(body)
		return body
	}
	edge := "begins or ends with white space: send it without, as it is stored exactly as sent, never trimmed"

	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		pointer, detail           string
	}{
		{"a closure's reason of white space only", "POST", path + "/close", olive, map[string]any{"reason": "  "},
			"/reason", "say why the case is closed (at most 2000 characters)"},
		{"a legal hold's reason of white space only", "PUT", path + "/legal-hold", mona, map[string]any{"reason": "\t \n"},
			"/reason", "a legal hold needs a reason (at most 2000 characters)"},
		{"an evidence item described by a space", "POST", path + "/evidence", olive,
			map[string]any{"kind": "photo", "description": " ", "captured_at": "2026-02-22T11:00:00Z"},
			"/description", "describe the item: it is required, and white space only says nothing"},
		{"an evidence item described by a space, on opening", "POST", "/investigations", olive, open(func(b map[string]any) {
			b["evidence"] = []any{map[string]any{"kind": "photo", "description": "   ", "captured_at": "2026-02-22T11:00:00Z"}}
		}), "/evidence/0/description", "describe the item: it is required, and white space only says nothing"},
		{"an assigned officer of white space only, on opening", "POST", "/investigations", olive, open(func(b map[string]any) {
			b["assigned_officers"] = []any{"bob", " "}
		}), "/assigned_officers/1", "is empty"},
		{"an assigned officer with a space before, on opening", "POST", "/investigations", olive, open(func(b map[string]any) {
			b["assigned_officers"] = []any{" bob"}
		}), "/assigned_officers/0", edge},
		{"an officer assigned with a space after", "POST", path + "/assignments", olive, map[string]any{"officer": "bob "}, "/officer", edge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.rowCounts()
			r := e.Call(tc.method, tc.path, tc.token, tc.body)
			if r.Status != http.StatusBadRequest || r.Header.Get("Content-Type") != httpserver.ProblemContentType {
				t.Fatalf("%d %s: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			var p httpserver.Problem
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatal(err)
			}
			if p.Type != httpserver.TypeValidation || len(p.Errors) != 1 || p.Errors[0].Pointer != tc.pointer || p.Errors[0].Detail != tc.detail {
				t.Fatalf("problem %s %+v, want %s at %q: %q", p.Type, p.Errors, httpserver.TypeValidation, tc.pointer, tc.detail)
			}
			if after := e.rowCounts(); !reflect.DeepEqual(before, after) {
				t.Fatalf("rows changed: before %v, after %v", before, after)
			}
		})
	}
	if v := e.Must(200, "GET", path, olive, nil); v["status"] != "action_taken" || v["legal_hold"] != nil || len(v["evidence"].([]any)) != 3 {
		t.Fatalf("the refusals changed the case: status %v, legal hold %v, %d evidence items", v["status"], v["legal_hold"], len(v["evidence"].([]any)))
	}

	reason := strings.Repeat("é", 1001) // 1001 characters, 2002 bytes
	v := e.Must(200, "PUT", path+"/legal-hold", mona, map[string]any{"reason": reason})
	if got := v["legal_hold"].(map[string]any)["reason"]; got != reason {
		t.Fatalf("legal hold reason stored as %d characters, sent 1001", len([]rune(got.(string))))
	}
	e.Must(200, "DELETE", path+"/legal-hold", mona, nil)
	reason = "  Civil claim pending\n"
	v = e.Must(200, "PUT", path+"/legal-hold", mona, map[string]any{"reason": reason})
	if got := v["legal_hold"].(map[string]any)["reason"]; got != reason {
		t.Fatalf("legal hold reason stored as %q, sent %q", got, reason)
	}
	closed := "  Warning complied with. "
	v = e.Must(200, "POST", path+"/close", olive, map[string]any{"reason": closed})
	if v["closed_reason"] != closed {
		t.Fatalf("closure reason stored as %q, sent %q", v["closed_reason"], closed)
	}
	// Stored, not only answered: read back.
	if v := e.Must(200, "GET", path, olive, nil); v["closed_reason"] != closed || v["legal_hold"].(map[string]any)["reason"] != reason {
		t.Fatalf("read back: closure %q, legal hold %q", v["closed_reason"], v["legal_hold"])
	}
}

// A rectification is stored exactly as asked or refused: a detail with white space at an
// end (which the platform's rectification would trim) is refused as the record's outcome
// (invalid_value), and so is a name of nothing (a person is recorded only with a name),
// each changing nothing.
func TestARectificationIsStoredAsSentOrRefused(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "noise", "", nil)
	record := f.id + "/" + f.witnessID
	words := "begins or ends with white space: send it without, as it is stored exactly as sent"
	for _, tc := range []struct{ field, value, words string }{
		{"name", "  Wendy Witness ", "name: " + words}, {"address", "7 New Road\n", "address: " + words},
		{"name", "", "name: a person needs a name"}, {"town", " ", "town: " + words},
	} {
		before := e.rowCounts()
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-w", RecordIDs: []string{record}, Field: tc.field, Value: tc.value})
		if len(got.Outcomes) != 1 || got.Outcomes[0].Done || got.Outcomes[0].Refusal == nil ||
			*got.Outcomes[0].Refusal != (rights.Refusal{Ground: "invalid_value", Words: tc.words}) {
			t.Fatalf("%s %q: outcomes %+v, want refused: %s", tc.field, tc.value, got.Outcomes, tc.words)
		}
		if after := e.rowCounts(); !reflect.DeepEqual(before, after) {
			t.Fatalf("rows changed: before %v, after %v", before, after)
		}
	}
	v := e.Must(200, "GET", "/investigations/"+f.id, e.manager("mona"), nil)
	if w := v["people"].([]any)[2].(map[string]any); w["name"] != "Wendy Witness" || w["address"] != witness["address"] {
		t.Fatalf("the witness after the refusals: %v", w)
	}
}
