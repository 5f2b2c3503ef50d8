package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/postgres"
)

// sarWarmup is how many searches run before the measured ones (the first reads after loading
// find cold pages and unplanned statements).
const sarWarmup = 3

// sarPhase loads sarCases cases across the services that answer the rights service
// (sarHolders), each into its own database, starts them and the rights service on one broker,
// and times subject access searches as a DPO officer makes them: from POST
// /requests/{id}/search until the request shows every service's find answered. It checks
// that every record of each searched person is among the candidates, and prints
//
//	bench: sar_search_ms p50=N p99=N cases=N
func sarPhase(ctx context.Context, o options) error {
	st, err := startBroker(ctx, o, "casework_bench_"+o.runID+"_sar_rights", true)
	if err != nil {
		return err
	}
	defer st.close()
	dbs := map[string]postgres.Config{}
	var names []string
	for _, h := range sarHolders {
		dbs[h.name] = st.db.WithDatabase("casework_bench_" + o.runID + "_sar_" + h.name)
		names = append(names, h.name)
		if err := freshDatabase(ctx, dbs[h.name]); err != nil {
			return err
		}
		defer dropDatabase(dbs[h.name])
	}
	loadBefore := loadAverage()
	loaded, err := loadHolders(ctx, dbs, o.sarCases)
	if err != nil {
		return err
	}
	var shares []string
	for _, h := range sarHolders {
		shares = append(shares, fmt.Sprintf("%s=%d in %.1fs", h.name, loaded.cases[h.name], loaded.took[h.name].Seconds()))
	}
	fmt.Printf("bench: sar load cases=%d (%s) people=%d in %.1fs (INSERT ... SELECT generate_series into each service's database after its own migrations, then ANALYZE; the services side by side); load average %s before, %s after\n",
		loaded.total, strings.Join(shares, " "), loaded.people, loaded.elapsed.Seconds(), loadBefore, loadAverage())

	for _, h := range sarHolders {
		svc, err := startService(ctx, h.name, dbs[h.name].Database, o, st.local)
		if err != nil {
			return err
		}
		defer svc.stop()
	}
	rightsSvc, err := startService(ctx, "rights", st.db.Database, o, st.local, "RIGHTS_SERVICES="+strings.Join(names, ";"))
	if err != nil {
		return err
	}
	defer rightsSvc.stop()

	s, err := newSARSearcher(rightsSvc.base, o.key)
	if err != nil {
		return err
	}
	wanted := sarSearchedPeople(loaded, sarWarmup+o.sarSearches)
	var took []time.Duration
	answered := map[string][]time.Duration{}
	candidates, others := 0, 0
	for k, p := range wanted.people {
		got, err := s.search(ctx, sarPersonAt(p))
		if err != nil {
			return fmt.Errorf("search %d (person %d): %w", k, p, err)
		}
		if missing := sarMissing(wanted.records[p], got.found); len(missing) > 0 {
			return fmt.Errorf("search %d (person %d) missed %d of their %d records, e.g. %s; found %v",
				k, p, len(missing), len(wanted.records[p]), missing[0], got.found)
		}
		if k >= sarWarmup {
			took = append(took, got.elapsed)
			for service, d := range got.answered {
				answered[service] = append(answered[service], d)
			}
			candidates += len(got.found)
			others += len(got.found) - len(wanted.records[p])
		}
	}
	var tail []string
	for _, name := range names {
		a := percentilesOf(answered[name])
		tail = append(tail, fmt.Sprintf("%s p50_ms=%.1f p99_ms=%.1f", name, a.p50, a.p99))
	}
	fmt.Printf("bench: sar answer recorded after the search started (the rights service's clock): %s\n", strings.Join(tail, ", "))
	lat := percentilesOf(took)
	fmt.Printf("bench: sar searches=%d (one DPO officer after %d unmeasured) services=%s every record of each searched person found: records_per_person mean=%.1f candidates mean=%.1f (of them other people sharing a name or an address %.1f); load average %s\n",
		lat.n, sarWarmup, strings.Join(names, ","), float64(candidates-others)/float64(max(1, lat.n)), float64(candidates)/float64(max(1, lat.n)),
		float64(others)/float64(max(1, lat.n)), loadAverage())
	fmt.Printf("bench: sar_search_ms p50=%.1f p99=%.1f cases=%d\n", lat.p50, lat.p99, loaded.total)
	return nil
}

// sarRecord is one record a search must find: which service holds it, its reference and the
// person's role in it.
type sarRecord struct{ service, reference, role string }

func (r sarRecord) String() string { return r.service + "/" + r.reference + "/" + r.role }

// sarWanted is the people searched for and, by person, the records each holds.
type sarWanted struct {
	people  []int
	records map[int][]sarRecord
}

// sarSearchedPeople picks n people spread over everyone loaded who hold at least one record,
// and lists their records from the same slot formula the loaders used.
func sarSearchedPeople(loaded sarLoaded, n int) sarWanted {
	w := sarWanted{records: map[int][]sarRecord{}}
	picked := map[int]bool{}
	for k := 0; len(picked) < min(n, loaded.people) && k < 10*n; k++ {
		picked[(k*7919+13)%loaded.people] = true
	}
	slot := 0
	london, _ := time.LoadLocation("Europe/London")
	for _, h := range sarHolders {
		for i := 0; i < loaded.cases[h.name]; i++ {
			for j := 0; j < h.slotsPerCase; j, slot = j+1, slot+1 {
				p := sarPersonOf(slot, loaded.people)
				role := h.role(i, j)
				if !picked[p] || role == "" {
					continue
				}
				ref := fmt.Sprintf("%s-%d-%06d", h.prefix, sarReceived(i).In(london).Year(), i+1)
				w.records[p] = append(w.records[p], sarRecord{h.name, ref, role})
			}
		}
	}
	for k := 0; len(w.people) < n && k < 10*n; k++ {
		if p := (k*7919 + 13) % loaded.people; len(w.records[p]) > 0 && !slices.Contains(w.people, p) {
			w.people = append(w.people, p)
		}
	}
	return w
}

// sarMissing lists the records of want that found lacks.
func sarMissing(want, found []sarRecord) []sarRecord {
	var out []sarRecord
	for _, r := range want {
		if !slices.Contains(found, r) {
			out = append(out, r)
		}
	}
	return out
}

// sarSearcher is a DPO officer at the rights service's API.
type sarSearcher struct {
	base, token string
	client      *http.Client
}

func newSARSearcher(base, key string) (*sarSearcher, error) {
	auth := httpserver.AuthConfig{Issuer: "casework-bench", Audience: "casework", DevSigningKey: []byte(key)}
	token, err := httpserver.IssueDevToken(auth, "bench-dpo-officer", "Bench DPO Officer", []string{"dpo_officer"}, 2*time.Hour, time.Now())
	return &sarSearcher{base: base, token: token, client: &http.Client{Timeout: 30 * time.Second}}, err
}

// sarPoll is how often the searcher reads the request while services answer; it bounds what
// polling adds to a measured search.
const sarPoll = 5 * time.Millisecond

// search logs a subject access request for p (their own, identity seen), then times its
// search: from asking until the request shows every service answered, and returns the
// candidates.
func (s *sarSearcher) search(ctx context.Context, p sarPerson) (sarSearch, error) {
	logged, err := s.call(ctx, "POST", "/requests", http.StatusCreated, map[string]any{
		"kind": "access", "received_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339),
		"requester":       map[string]any{"name": p.Name, "email": p.Email, "address": p.Address},
		"subject":         map[string]any{"name": p.Name, "email": p.Email, "phone": p.Phone, "address": p.Address, "postcode": p.Postcode},
		"identity_method": "passport and council tax bill seen", "details": "Everything you hold about me, please.",
	})
	if err != nil {
		return sarSearch{}, err
	}
	path := "/requests/" + fmt.Sprint(logged["id"])
	started := time.Now()
	if _, err := s.call(ctx, "POST", path+"/search", http.StatusAccepted, nil); err != nil {
		return sarSearch{}, err
	}
	for {
		r, err := s.call(ctx, "GET", path, http.StatusOK, nil)
		if err != nil {
			return sarSearch{}, err
		}
		if search, _ := r["search"].(map[string]any); search != nil && search["complete"] == true {
			elapsed := time.Since(started)
			answered, err := sarAnswered(search)
			return sarSearch{found: sarCandidates(r), elapsed: elapsed, answered: answered}, err
		}
		if time.Since(started) > 60*time.Second {
			return sarSearch{}, fmt.Errorf("no complete search after a minute: search %v, pending %v", r["search"], r["pending"])
		}
		select {
		case <-ctx.Done():
			return sarSearch{}, ctx.Err()
		case <-time.After(sarPoll):
		}
	}
}

// sarSearch is one measured search: the candidates, the time until the request showed
// every answer, and when each service's answer was recorded after the search started (the
// rights service's own clock), by service.
type sarSearch struct {
	found    []sarRecord
	elapsed  time.Duration
	answered map[string]time.Duration
}

// sarAnswered reads when each service's answer was recorded, and refuses a search that
// completed with a service refusing it: a search not answered everywhere proves nothing.
func sarAnswered(search map[string]any) (map[string]time.Duration, error) {
	started, err := time.Parse(time.RFC3339Nano, fmt.Sprint(search["started_at"]))
	if err != nil {
		return nil, fmt.Errorf("search started_at: %w", err)
	}
	services, _ := search["services"].([]any)
	if len(services) != len(sarHolders) {
		return nil, fmt.Errorf("asked %d services, want %d", len(services), len(sarHolders))
	}
	out := map[string]time.Duration{}
	for _, v := range services {
		step, _ := v.(map[string]any)
		at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(step["answered_at"]))
		if step["state"] != "answered" || err != nil {
			return nil, fmt.Errorf("service %v did not answer: %v %v", step["service"], step["state"], step["last_error"])
		}
		out[fmt.Sprint(step["service"])] = at.Sub(started)
	}
	return out, nil
}

func sarCandidates(r map[string]any) []sarRecord {
	list, _ := r["candidates"].([]any)
	out := make([]sarRecord, 0, len(list))
	for _, v := range list {
		c, _ := v.(map[string]any)
		out = append(out, sarRecord{fmt.Sprint(c["service"]), fmt.Sprint(c["reference"]), fmt.Sprint(c["role"])})
	}
	return out
}

func (s *sarSearcher) call(ctx context.Context, method, path string, want int, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %d, want %d: %.300s", method, path, res.StatusCode, want, raw)
	}
	var out map[string]any
	return out, json.Unmarshal(raw, &out)
}
