package bootstrap_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"casework.dev/pkg/bootstrap"
)

// Every duration a service logs, at the top level, in a group or added with With, reads as a
// duration, not as nanoseconds.
func TestLoggerWritesDurationsAsDurations(t *testing.T) {
	var buf bytes.Buffer
	log, err := bootstrap.Logger(&buf, "info", "complaints")
	if err != nil {
		t.Fatal(err)
	}
	log.With("poll", 500*time.Millisecond).Info("relay", "retry_in", 1500*time.Millisecond,
		slog.Duration("duration", 2*time.Minute), slog.Group("http", "timeout", 10*time.Second), "count", 3)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, buf.Bytes())
	}
	want := map[string]any{"poll": "500ms", "retry_in": "1.5s", "duration": "2m0s", "count": 3.0,
		"http": map[string]any{"timeout": "10s"}, "service": "complaints", "msg": "relay", "level": "INFO"}
	delete(got, "time")
	if b1, b2 := mustJSON(t, got), mustJSON(t, want); b1 != b2 {
		t.Errorf("logged %s\nwant   %s", b1, b2)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
