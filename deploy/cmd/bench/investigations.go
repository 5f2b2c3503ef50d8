package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// investigationsPhase runs the investigations service on its own fresh database and drives
// it at full speed for one phase; it reports on its own line, before the ceiling, so the
// bench's last line stays about complaints.
func investigationsPhase(ctx context.Context, o options, st *rig) (result, error) {
	dbCfg := st.db.WithDatabase(st.db.Database + "_investigations")
	if err := freshDatabase(ctx, dbCfg); err != nil {
		return result{}, err
	}
	defer dropDatabase(dbCfg)
	svc, err := startService(ctx, "investigations", dbCfg.Database, o, st.local)
	if err != nil {
		return result{}, err
	}
	defer svc.stop()
	d, err := newDriver(svc.base, o.key, o.workers, investigations)
	if err != nil {
		return result{}, err
	}
	d.load(ctx, o.warmup, 0)
	return d.load(ctx, o.duration, 0), nil
}

// investigations: open a noise case, record the police's request, refer it to Kent Police
// (the notice engine decides and minimises), triage, investigate, serve a notice, close.
var investigations = workload{role: "investigations_officer", create: "/investigations", cycle: func(step stepFunc) int64 {
	id, ok := step("POST", "/investigations", investigationBody)
	if !ok {
		return 0
	}
	p := "/investigations/" + id
	if _, ok := step("POST", p+"/conditions", policeRequest); !ok {
		return 0
	}
	if _, ok := step("POST", p+"/referrals", policeReferral); !ok {
		return 0
	}
	for _, s := range []struct {
		path string
		body json.RawMessage
	}{{"/triage", nil}, {"/investigate", nil}, {"/actions", abatementNotice}, {"/close", closeReason}} {
		if _, ok := step("POST", p+s.path, s.body); !ok {
			break
		}
	}
	return 1
}}

var (
	investigationBody = mustJSON(map[string]any{
		"area": "noise", "channel": "web",
		"people": []any{
			map[string]any{"role": "reporter", "name": "Bench Reporter", "phone": "01622 000000"},
			map[string]any{"role": "subject", "name": "Bench Subject", "address": "1 Bench Lane, Maidstone"},
		},
		"matter": map[string]any{"summary": "Benchmark: loud music at night", "locations": []any{"Bench Lane, Maidstone"}},
	})
	policeRequest   = mustJSON(map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "bench request"})
	policeReferral  = mustJSON(map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})
	abatementNotice = mustJSON(map[string]any{"kind": "abatement_notice"})
	closeReason     = mustJSON(map[string]any{"reason": "complied"})
)

func printInvestigations(r result) {
	line := fmt.Sprintf("bench: investigations transitions=%d errors=%d per_s=%.0f police_referrals=%d (open, condition, referral, triage, investigate, action, close)",
		r.committed, r.failed, float64(r.committed)/r.elapsed.Seconds(), r.disclosed)
	if r.firstErr != "" {
		line += " first_error=" + strconv.Quote(r.firstErr)
	}
	fmt.Println(line)
}
