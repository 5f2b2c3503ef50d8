package service_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"casework.dev/contracts/rights"
)

func dump(t *testing.T, label string, v any) {
	b, _ := json.MarshalIndent(v, "", "  ")
	t.Logf("%s: %s", label, b)
}

func manual(e *env, name, town string) string {
	c := aConviction()
	c["name"], c["town"] = name, town
	return e.Must(201, "POST", "/decisions", e.officer("olive"), map[string]any{"team": "licensing", "case_reference": "LIC-" + name, "conviction": c})["id"].(string)
}

// custody ending near the last date the calendar accepts
func TestZZHugeEndsOn(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Far Future", "Maidstone")
	dr := aDraft()
	dr["sentence"] = map[string]any{"type": "custody", "term": "5y", "ends_on": "9998-12-31"}
	r := e.Call("POST", "/decisions/"+id+"/draft", e.officer("olive"), dr)
	t.Logf("draft: %d %s", r.Status, r.Body)
	r = e.Call("POST", "/decisions/"+id+"/approve", e.manager("maria"), nil)
	t.Logf("approve: %d %.600s", r.Status, r.Body)
	id2 := manual(e, "Far Future2", "Maidstone")
	dr["sentence"] = map[string]any{"type": "custody", "term": "1y", "ends_on": "9998-12-31"}
	r = e.Call("POST", "/decisions/"+id2+"/draft", e.officer("olive"), dr)
	t.Logf("draft2: %d %.300s", r.Status, r.Body)
	r = e.Call("POST", "/decisions/"+id2+"/approve", e.manager("maria"), nil)
	t.Logf("approve2: %d %.600s", r.Status, r.Body)
}

func TestZZExportCompleteness(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Sam Subject", "Maidstone")
	dr := aDraft()
	dr["sentence"] = map[string]any{"type": "custody", "term": "6m", "ends_on": "2026-08-20"}
	e.Must(200, "POST", "/decisions/"+id+"/draft", e.officer("olive"), dr)
	e.Must(200, "POST", "/decisions/"+id+"/send-back", e.manager("maria"), map[string]any{"reason": "SENTBACK-NOTE: Sam Subject's children named in reasons"})
	e.Must(200, "POST", "/decisions/"+id+"/draft", e.officer("olive"), dr)
	e.Must(200, "POST", "/decisions/"+id+"/approve", e.manager("maria"), nil)
	e.Must(200, "POST", "/decisions/"+id+"/takedown", e.manager("mark"), map[string]any{"reason": "TAKEDOWN-NOTE: Sam Subject's daughter bullied at school"})
	ex := ask[rights.ExportReply](e, rights.Export, records(id))
	dump(t, "export", ex)
	got := e.Must(200, "GET", "/decisions/"+id, e.manager("maria"), nil)
	delete(got, "history")
	dump(t, "api view", got)
}

func TestZZRectifyDate(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Sam Subject", "Maidstone")
	e.publish(id, aDraft())
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-p", RecordIDs: []string{id}, Field: "date", Value: "2026-02-21"})
	dump(t, "rectify date", got)
	got = ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-p", RecordIDs: []string{id}, Field: "sentence", Value: "Conditional discharge 12 months"})
	dump(t, "rectify sentence", got)
	d := e.Must(200, "GET", "/decisions/"+id, e.manager("maria"), nil)
	dump(t, "after rectify takedown", d["takedown"])
	dump(t, "register", e.registerJSON())
}

func TestZZStreetAddressInTown(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Sam Subject", "Flat 2, 14 Mill Lane, Maidstone ME15 6JQ")
	e.publish(id, aDraft())
	dump(t, "register", e.registerJSON())
	c := aConviction()
	c["town"] = "SECRET street"
	e.disclose("0195f3a0-0000-7000-8000-000000000777", "", map[string]any{"name": "X Y", "town": "12 High Street, Aylesford ME20 7AB",
		"offence": "o", "court": "c", "date": "2026-02-20", "sentence": "s"})
	ids := e.waitForDecisions(2)
	d := e.Must(200, "GET", "/decisions/"+ids[1], e.manager("maria"), nil)
	dump(t, "investigations conviction", d["conviction"])
}

func TestZZAppealTwice(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Sam Subject", "Maidstone")
	e.publish(id, aDraft())
	a1 := e.Must(200, "POST", "/decisions/"+id+"/appeal", e.officer("olive"), map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court"})
	t.Logf("after appeal 1: status %v retention %v allowed %v", a1["status"], a1["retention_due"], a1["allowed_actions"])
	e.Clock.Set(time.Date(2027, 3, 2, 10, 0, 0, 0, time.UTC))
	r := e.Call("POST", "/decisions/"+id+"/appeal", e.officer("olive"), map[string]any{"decided_on": "2027-03-01", "court": "Court of Appeal"})
	t.Logf("appeal 2: %d status %s", r.Status, r.Body)
	// manual takedown then appeal a year later
	id2 := manual(e, "Pat Other", "Maidstone")
	e.Clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	e.publish(id2, aDraft())
	td := e.Must(200, "POST", "/decisions/"+id2+"/takedown", e.manager("mark"), map[string]any{"reason": "x"})
	t.Logf("takedown retention %v", td["retention_due"])
	e.Clock.Set(time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC))
	a2 := e.Must(200, "POST", "/decisions/"+id2+"/appeal", e.officer("olive"), map[string]any{"decided_on": "2027-01-09", "court": "Crown Court"})
	t.Logf("after later appeal: status %v retention %v", a2["status"], a2["retention_due"])
}

func TestZZWhitespaceReason(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Sam Subject", "Maidstone")
	e.publish(id, aDraft())
	r := e.Call("POST", "/decisions/"+id+"/takedown", e.manager("mark"), map[string]any{"reason": "   "})
	t.Logf("takedown blank: %d %.300s", r.Status, r.Body)
	id2 := manual(e, "Pat", "Maidstone")
	e.Must(200, "POST", "/decisions/"+id2+"/draft", e.officer("olive"), aDraft())
	r = e.Call("POST", "/decisions/"+id2+"/send-back", e.manager("mark"), map[string]any{"reason": " "})
	t.Logf("send back blank: %d %.300s", r.Status, r.Body)
}

func TestZZDST(t *testing.T) {
	e := newEnv(t)
	id := manual(e, "Sam Subject", "Maidstone")
	e.Must(200, "POST", "/decisions/"+id+"/draft", e.officer("olive"), aDraft())
	e.Clock.Set(time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC))
	d := e.Must(200, "POST", "/decisions/"+id+"/approve", e.manager("maria"), nil)
	t.Logf("published_on %v takedown %v", d["published_on"], d["takedown"].(map[string]any)["on"])
	fmt.Sprint()
}
