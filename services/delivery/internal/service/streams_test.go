package service_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts/events"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

// logLines is the worker's JSON log, as the binary writes it (bootstrap.Logger).
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// matching returns the records whose msg is msg and, when stream is set, whose stream is it.
func (l *logLines) matching(t *testing.T, msg, stream string) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.buf.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if (msg == "" || rec["msg"] == msg) && (stream == "" || rec["stream"] == stream) {
			out = append(out, rec)
		}
	}
	return out
}

func (l *logLines) levels(t *testing.T) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, rec := range l.matching(t, "", "") {
		n[rec["level"].(string)]++
	}
	return n
}

// The worker starts before the case services have created their share streams: it waits
// quietly (one line per stream, the checks at debug level, durations written as durations)
// and delivers from each stream as soon as it exists.
func TestWorkerWaitsQuietlyForStreamsThatDoNotExistYet(t *testing.T) {
	const waiting, found, check = "waiting for the stream; the service that owns it creates it", "stream found", "stream not there yet"
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	partner := newReceiver(t, func(string, int) int { return 0 })
	logs := &logLines{}
	log, err := bootstrap.Logger(logs, "debug", "delivery")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, service.Config{Streams: []string{"COMPLAINTS_SHARE", "INVESTIGATIONS_SHARE"},
		ServiceConfig: bootstrap.ServiceConfig{DB: db, NATS: n.Conn, Logger: log,
			Auth: httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: testkit.DevSigningKey}},
		Partners: []service.WebhookPartner{partner.partner("subject-of-complaint")},
		Retry:    domain.RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Second, MaxBackoff: time.Second}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.RunBackground(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("background: %v", err)
		}
	})

	checked := func(stream string, atLeast int) {
		t.Helper()
		testkit.Eventually(t, 20*time.Second, stream+" checked repeatedly", func() (bool, string) {
			got := len(logs.matching(t, check, stream))
			return got >= atLeast, jsonString(got)
		})
	}
	checked("COMPLAINTS_SHARE", 3)
	checked("INVESTIGATIONS_SHARE", 3)

	// The complaints service comes up and provisions its share stream; a disclosure follows.
	if _, err := n.JS.CreateStream(context.Background(), jetstream.StreamConfig{Name: "COMPLAINTS_SHARE",
		Subjects: []string{"share.*.complaints.>"}, Storage: jetstream.FileStorage, MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(events.ComplaintDisclosure{DisclosureID: "d-1", Recipient: "subject-of-complaint", Purpose: "complaint_handling",
		Condition: "consent", NoticeVersion: "1", Reference: "CMP-2026-000001", DisclosedAt: time.Now().UTC(), Data: map[string]any{"name": "Ada"}})
	if err != nil {
		t.Fatal(err)
	}
	msg := &nats.Msg{Subject: events.ShareSubject("subject-of-complaint", "complaints", "complaint_handling"), Data: body, Header: nats.Header{}}
	msg.Header.Set("Nats-Msg-Id", "d-1")
	if _, err := n.JS.PublishMsg(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 20*time.Second, "the disclosure delivered", func() (bool, string) {
		_, successes, _ := partner.snapshot()
		return successes["d-1"] == 1, jsonString(successes)
	})
	checked("INVESTIGATIONS_SHARE", len(logs.matching(t, check, "INVESTIGATIONS_SHARE"))+2)

	for stream, want := range map[string][2]int{"COMPLAINTS_SHARE": {1, 1}, "INVESTIGATIONS_SHARE": {1, 0}} {
		if got := len(logs.matching(t, waiting, stream)); got != want[0] {
			t.Errorf("%s: %d %q lines, want %d", stream, got, waiting, want[0])
		}
		if got := len(logs.matching(t, found, stream)); got != want[1] {
			t.Errorf("%s: %d %q lines, want %d", stream, got, found, want[1])
		}
	}
	if lv := logs.levels(t); lv["WARN"] != 0 || lv["ERROR"] != 0 {
		t.Errorf("log levels %v: waiting for a stream is no warning", lv)
	}
	for _, rec := range logs.matching(t, check, "") {
		s, ok := rec["retry_in"].(string)
		if d, err := time.ParseDuration(s); !ok || err != nil || d < 100*time.Millisecond || d > 5*time.Second {
			t.Fatalf("retry_in = %#v, want a duration such as \"200ms\" between 100ms and 5s", rec["retry_in"])
		}
	}
}
