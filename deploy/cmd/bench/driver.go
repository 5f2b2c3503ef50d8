package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"casework.dev/pkg/httpserver"
)

// driver plays officers: each runs its workload's cycle over and over. Every 2xx answer
// is one committed transition.
type driver struct {
	base    string
	client  *http.Client
	tokens  []string
	workers int
	work    workload
}

// workload is what the officers do: their role, the path that opens a case (its answer
// is decoded for the id) and one cycle of steps, which reports how many disclosures it made.
// Bodies are encoded once (mustJSON), so the officers' loop spends its CPU on the requests.
type workload struct {
	role   string
	create string
	cycle  func(step stepFunc) (disclosed int64)
}

// stepFunc commits one transition with a JSON body (nil for none) and returns the id of the
// case it opened when path is the workload's create path; false when it failed or the
// phase ended.
type stepFunc func(method, path string, body json.RawMessage) (id string, ok bool)

type result struct {
	disclosed int64 // disclosures among the committed transitions
	committed int64
	failed    int64
	firstErr  string // the first failure, to say why
	elapsed   time.Duration
}

func newDriver(base, key string, workers int, work workload) (*driver, error) {
	cfg := httpserver.AuthConfig{Issuer: "casework-bench", Audience: "casework", DevSigningKey: []byte(key)}
	d := &driver{base: base, workers: workers, work: work, client: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: workers * 2, MaxIdleConnsPerHost: workers * 2},
	}}
	for i := 0; i < workers; i++ {
		tok, err := httpserver.IssueDevToken(cfg, fmt.Sprintf("officer-%d", i), "Bench Officer", []string{work.role}, 2*time.Hour, time.Now())
		if err != nil {
			return nil, err
		}
		d.tokens = append(d.tokens, tok)
	}
	return d, nil
}

// load runs for d at full speed, or at perSecond transitions per second when it is > 0.
//
// At the end of the phase the officers start nothing new, and what is in flight finishes:
// cancelling it made the service cancel its statements, each cancel a new connection and
// a forked backend, while the phase's last events were on their way (the slowest 1% of
// a half-rate phase arrived in its last 250 ms).
func (d *driver) load(ctx context.Context, length time.Duration, perSecond float64) result {
	phase, cancel := context.WithTimeout(ctx, length)
	defer cancel()
	var limiter *rate.Limiter
	if perSecond > 0 {
		limiter = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	var committed, failed, disclosed atomic.Int64
	var firstErr sync.Once
	var why string
	started := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < d.workers; w++ {
		wg.Add(1)
		go func(token string) {
			defer wg.Done()
			var step stepFunc = func(method, path string, body json.RawMessage) (string, bool) {
				if limiter != nil && limiter.Wait(phase) != nil {
					return "", false
				}
				if phase.Err() != nil {
					return "", false
				}
				id, err := d.call(ctx, method, path, token, body)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
						firstErr.Do(func() { why = err.Error() })
					}
					return "", false
				}
				committed.Add(1)
				return id, true
			}
			for phase.Err() == nil {
				disclosed.Add(d.work.cycle(step))
			}
		}(d.tokens[w])
	}
	wg.Wait()
	return result{committed: committed.Load(), failed: failed.Load(), disclosed: disclosed.Load(), firstErr: why, elapsed: time.Since(started)}
}

// complaints: log a complaint, acknowledge it, disclose it to the bench partner (with the
// complainant's consent), respond and close.
var complaints = workload{role: "complaints_officer", create: "/complaints", cycle: func(step stepFunc) int64 {
	id, ok := step("POST", "/complaints", complaintBody)
	if !ok {
		return 0
	}
	if _, ok := step("POST", "/complaints/"+id+"/acknowledge", nil); !ok {
		return 0
	}
	if _, ok := step("POST", "/complaints/"+id+"/disclosures", disclosureBody); !ok {
		return 0
	}
	if _, ok := step("POST", "/complaints/"+id+"/respond", respondBody); ok {
		step("POST", "/complaints/"+id+"/close", closeBody)
	}
	return 1
}}

var (
	complaintBody = mustJSON(map[string]any{
		"complainant": map[string]any{"name": "Bench Complainant", "email": "bench@example.org"},
		"details":     "Benchmark complaint about missed collections.", "service": "waste", "channel": "web",
		"consent_to": []string{benchPartner},
	})
	disclosureBody = mustJSON(map[string]any{"recipient": benchPartner, "purpose": "complaint_handling"})
	respondBody    = mustJSON(map[string]any{"outcome": "not_upheld", "summary": "Collections were made on schedule."})
	closeBody      = mustJSON(map[string]any{})
)

func mustJSON(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return raw
}

// call sends one request and reads the answer: only the create path's is decoded (for the
// case id), and only as far as its id; the others are drained for the connection's reuse.
func (d *driver) call(ctx context.Context, method, path, token string, body json.RawMessage) (string, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, reader)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := d.client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		raw, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return "", fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	if path != d.work.create {
		_, err = io.Copy(io.Discard, res.Body)
		return "", err
	}
	var created struct {
		ID any `json:"id"`
	}
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil {
		return "", err
	}
	_, err = io.Copy(io.Discard, res.Body)
	return fmt.Sprint(created.ID), err
}
