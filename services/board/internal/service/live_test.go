package service_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// liveEvents opens the live figures at url with token and passes on each event, its name
// and data, until the stream ends; then it closes the channel.
func liveEvents(t *testing.T, ctx context.Context, url, token string) <-chan [2]string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/events", nil)
	req.AddCookie(&http.Cookie{Name: "board_token", Value: token})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("live figures: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan [2]string, 8)
	go func() {
		defer close(events)
		scanner := bufio.NewScanner(res.Body)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		event := ""
		for scanner.Scan() {
			line := scanner.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				events <- [2]string{event, strings.TrimPrefix(line, "data: ")}
			}
		}
	}()
	return events
}

// nextEvent is the stream's next event; it fails the test if the stream ends first.
func nextEvent(t *testing.T, ctx context.Context, events <-chan [2]string) (name string, data map[string]any) {
	t.Helper()
	select {
	case ev, open := <-events:
		if !open {
			t.Fatal("the live stream ended")
		}
		_ = json.Unmarshal([]byte(ev[1]), &data)
		return ev[0], data
	case <-ctx.Done():
		t.Fatal("no live event")
	}
	return "", nil
}

// The server ends each request's context at a deadline meant for ordinary answers (14 s by
// the binary's defaults). A live page outlasts it, as it outlasts the write timeout: it
// ended there, and the page lost its stream and reconnected every few seconds. Here the
// deadline has passed before the stream begins.
func TestALivePageOutlastsTheServersDeadlineForOrdinaryAnswers(t *testing.T) {
	e := newEnv(t)
	e.seed()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serving, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- httpserver.Serve(serving, ln, httpserver.Config{RequestTimeout: time.Nanosecond}, e.svc.HTTPHandler(),
			slog.New(slog.NewTextHandler(testkit.LogWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	}()
	t.Cleanup(func() {
		e.shutdown() // ends the live stream, so the server can stop
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	url := "http://" + ln.Addr().String()
	if r := testkit.Call(t, url, "GET", "/api/board", e.token("maya", "complaints_manager"), nil); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("an ordinary answer past the deadline: %d %s, want 503", r.Status, r.Body)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	events := liveEvents(t, ctx, url, e.token("maya", "complaints_manager"))
	if name, first := nextEvent(t, ctx, events); name != "board" || !strings.Contains(first["html"].(string), `data-figure="complaints/open">4<`) {
		t.Fatalf("first event %s %v", name, first)
	}
	e.publish("status.complaints.stage1", "0021", complaint("0021", "CMP-7", 1, "stage1_received", "stage1.received", day(4, 9)))
	if name, u := nextEvent(t, ctx, events); name != "board" || u["announce"] != "Complaints, Stage 1: 4 open (was 3)." {
		t.Fatalf("after a status event: %s %v", name, u)
	}
}

// With no status event at all, the live figures move when time moves them: at London
// midnight a deadline due by the end of Sunday passes and a new week begins. Here it is
// the Sunday the clocks went forward (29 March 2026), whose midnight is 23:00 UTC. Before,
// the page kept the figures of the last event until the next one, overnight.
func TestLiveFiguresMoveAtLondonMidnightWithoutAnEvent(t *testing.T) {
	midnight := time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC) // Monday 30 March, 00:00 BST
	base := midnight.Add(-3 * time.Second)
	var started atomic.Pointer[time.Time] // the clock stands at base until the page opens, then runs
	e := newEnvAt(t, func() time.Time {
		if s := started.Load(); s != nil {
			return base.Add(time.Since(*s))
		}
		return base
	})
	for i, due := range []time.Time{
		midnight, // due by the end of Sunday: due this week, overdue at midnight
		time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC), // Monday 10:00 BST: next week's until midnight
		time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC),
	} {
		id, ref := fmt.Sprintf("%04d", i+1), fmt.Sprintf("CMP-%d", i+1)
		c := complaint(id, ref, 1, "stage1_acknowledged", "stage1.acknowledged", time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC))
		c.RespondDueAt = ptr(due)
		e.publish("status.complaints.stage1", id, c)
	}
	e.waitProcessed(3)
	token := e.token("maya", "complaints_manager")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opened := time.Now()
	started.Store(&opened)
	events := liveEvents(t, ctx, e.server.URL, token)
	figure := func(u map[string]any, key string) string {
		html, _ := u["html"].(string)
		_, rest, _ := strings.Cut(html, `data-figure="`+key+`">`)
		value, _, _ := strings.Cut(rest, "<")
		return value
	}
	if _, first := nextEvent(t, ctx, events); figure(first, "complaints/due_this_week") != "1" || figure(first, "complaints/overdue") != "0" {
		t.Fatalf("before midnight: due this week %s, overdue %s; want 1 and 0",
			figure(first, "complaints/due_this_week"), figure(first, "complaints/overdue"))
	}
	name, u := nextEvent(t, ctx, events)
	if name != "board" || figure(u, "complaints/due_this_week") != "2" || figure(u, "complaints/overdue") != "1" ||
		u["announce"] != "Complaints: 2 due this week (was 1). Complaints: 1 overdue (was 0)." || u["updated"] != "Mon 30 Mar 2026, 00:00" {
		t.Fatalf("at midnight: %s %v", name, u)
	}
}
