package testkit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Collector gathers every message on a subject filter from the start of a stream.
type Collector struct {
	mu   sync.Mutex
	msgs []jetstream.Msg
}

// Collect starts an ordered consumer on stream and stops it when the test ends.
func Collect(t testing.TB, js jetstream.JetStream, stream, filter string) *Collector {
	t.Helper()
	c := &Collector{}
	cons, err := js.OrderedConsumer(context.Background(), stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		c.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cc.Stop)
	return c
}

// All is what arrived so far.
func (c *Collector) All() []jetstream.Msg {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]jetstream.Msg(nil), c.msgs...)
}

// WaitFor polls until n messages arrived and returns them.
func (c *Collector) WaitFor(t testing.TB, n int) []jetstream.Msg {
	t.Helper()
	Eventually(t, 10*time.Second, fmt.Sprintf("%d messages", n), func() (bool, string) {
		got := c.All()
		return len(got) >= n, fmt.Sprintf("%d messages: %s", len(got), Subjects(got))
	})
	return c.All()
}

// Subjects lists the messages' subjects, comma-separated.
func Subjects(msgs []jetstream.Msg) string {
	s := make([]string, len(msgs))
	for i, m := range msgs {
		s[i] = m.Subject()
	}
	return strings.Join(s, ", ")
}

// Decode reads a message's JSON object.
func Decode(t testing.TB, m jetstream.Msg) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(m.Data(), &v); err != nil {
		t.Fatalf("%s: %v", m.Subject(), err)
	}
	return v
}
