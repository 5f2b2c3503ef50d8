package adapters

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/lib/pq"
)

// Changes wakes the live pages of this board instance when a committed status event moved
// the figures of a service they show, whichever instance consumed the event: every
// instance listens on ChangesChannel, which TxStore.Announce notifies on commit.
type Changes struct {
	listener *pq.Listener
	log      *slog.Logger

	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool
}

type subscriber struct {
	services []string
	wake     chan struct{} // capacity 1: a burst of changes is one wake-up
}

// ListenForChanges connects a listener to the database at dsn.
func ListenForChanges(dsn string, log *slog.Logger) (*Changes, error) {
	c := &Changes{log: log, subs: map[*subscriber]struct{}{}}
	c.listener = pq.NewListener(dsn, 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			log.Warn("board change listener", "event", int(ev), "err", err)
		}
	})
	if err := c.listener.Listen(ChangesChannel); err != nil {
		c.listener.Close()
		return nil, fmt.Errorf("listen %s: %w", ChangesChannel, err)
	}
	return c, nil
}

// Run passes notifications on until ctx ends; then it wakes every subscriber one last time
// by closing its channel, so live pages end and the server can shut down.
func (c *Changes) Run(ctx context.Context) error {
	defer c.Close()
	ping := time.NewTicker(time.Minute)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case n := <-c.listener.Notify:
			if n == nil { // reconnected: a notification may have been missed
				c.wake("")
				continue
			}
			c.wake(n.Extra)
		case <-ping.C:
			go func() { _ = c.listener.Ping() }() // finds a dead connection; it then reconnects
		}
	}
}

// Subscribe returns a channel that receives after each change to one of services, and is
// closed when the board stops; cancel unsubscribes.
func (c *Changes) Subscribe(services []string) (<-chan struct{}, func()) {
	s := &subscriber{services: slices.Clone(services), wake: make(chan struct{}, 1)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		close(s.wake)
		return s.wake, func() {}
	}
	c.subs[s] = struct{}{}
	return s.wake, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.subs, s)
	}
}

// wake signals the subscribers showing service ("" is every one).
func (c *Changes) wake(service string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := range c.subs {
		if service == "" || slices.Contains(s.services, service) {
			select {
			case s.wake <- struct{}{}:
			default: // a wake-up is already pending
			}
		}
	}
}

// Close stops listening; Run does it when it ends.
func (c *Changes) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	for s := range c.subs {
		close(s.wake)
	}
	c.subs = nil
	_ = c.listener.Close()
}
