package ports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
)

// heartbeat keeps an idle stream open through proxies that close silent connections, and
// finds a caller gone by a write failing.
const heartbeat = 20 * time.Second

// liveUpdate is one "board" event: the figures as HTML to put in place, and what changed in
// words for the page's live region.
type liveUpdate struct {
	HTML     string    `json:"html"`
	At       time.Time `json:"at"`
	Updated  string    `json:"updated"`
	Announce string    `json:"announce,omitempty"`
}

// events streams the figures (text/event-stream): once at once, then after each committed
// change to a service the caller manages, and whenever time alone moves them (a deadline
// passing, a new week or month at London midnight). The token is checked again before each
// update, so an expired one ends the stream with a "signed-out" event.
func (h *handlers) events(w http.ResponseWriter, r *http.Request, s session) error {
	if r.Method == http.MethodHead {
		// HEAD asks what GET would answer, not for a stream that never ends.
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		return nil
	}
	rc := http.NewResponseController(w)
	// A live page outlasts the server's write timeout and its deadline for each request
	// (httpserver.Config.RequestTimeout, 14 s by default), both meant for ordinary answers:
	// ending at them, the page lost its stream and reconnected every few seconds. It ends
	// when the caller goes (the request cancelled before that deadline, or a write failing
	// after it), when the token stops being valid, or when the board stops.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return fmt.Errorf("live updates: %w", err)
	}
	ctx, gone := context.WithoutCancel(r.Context()), r.Context().Done()
	wake, unsubscribe := h.cfg.Changes.Subscribe(s.services)
	defer unsubscribe()

	first, err := h.cfg.Service.Summary(ctx, s.services)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return err
	}
	shown := first
	if err := h.sendUpdate(w, rc, first, nil); err != nil {
		return err
	}
	// Without a status event, figures still move at the next deadline or London midnight.
	until, err := h.cfg.Service.NextChange(ctx, s.services, shown.At)
	if err != nil {
		return err
	}
	clock := time.NewTimer(until)
	defer clock.Stop()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-gone:
			if !errors.Is(r.Context().Err(), context.DeadlineExceeded) {
				return nil // the caller went
			}
			gone = nil // the deadline for ordinary answers passed: the heartbeat finds a caller gone
			continue
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil {
				return err
			}
			if err := rc.Flush(); err != nil {
				return err
			}
			continue
		case _, open := <-wake:
			if !open { // the board is stopping
				return nil
			}
		case <-clock.C:
		}
		if _, err := h.cfg.Auth.Authenticate(ctx, s.token); err != nil {
			_, _ = fmt.Fprint(w, "event: signed-out\ndata: {}\n\n")
			return rc.Flush()
		}
		next, err := h.cfg.Service.Summary(ctx, s.services)
		if err != nil {
			return err
		}
		if err := h.sendUpdate(w, rc, next, &shown); err != nil {
			return err
		}
		shown = next
		if until, err = h.cfg.Service.NextChange(ctx, s.services, shown.At); err != nil {
			return err
		}
		clock.Reset(until)
	}
}

func (h *handlers) sendUpdate(w http.ResponseWriter, rc *http.ResponseController, s app.Summary, before *app.Summary) error {
	html, err := h.pages.figures(s)
	if err != nil {
		return fmt.Errorf("render figures: %w", err)
	}
	u := liveUpdate{HTML: html, At: s.At, Updated: london(s.At)}
	if before != nil {
		u.Announce = announce(*before, s)
	}
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "event: board\ndata: %s\n\n", data); err != nil {
		return err
	}
	return rc.Flush()
}

// announce says in words which figures moved, e.g. "Complaints, stage 1: 3 open (was 2)."
func announce(before, after app.Summary) string {
	old := spoken(before)
	var changes []string
	for _, f := range spokenFigures(after) {
		was := old[f.key]
		if was != f.value {
			changes = append(changes, fmt.Sprintf("%s: %d %s (was %d).", f.subject, f.value, f.what, was))
		}
		delete(old, f.key)
	}
	for _, f := range spokenFigures(before) {
		if _, gone := old[f.key]; gone && f.value != 0 {
			changes = append(changes, fmt.Sprintf("%s: 0 %s (was %d).", f.subject, f.what, f.value))
		}
	}
	return strings.Join(changes, " ")
}

type spokenFigure struct {
	key, subject, what string
	value              int
}

func spokenFigures(s app.Summary) []spokenFigure {
	var out []spokenFigure
	for _, sf := range s.Services {
		name := label(sf.Service)
		for _, st := range sf.Stages {
			out = append(out, spokenFigure{figureKey(sf.Service, domain.FigureOpen, st.Stage), name + ", " + label(st.Stage), "open", st.Open})
		}
		out = append(out,
			spokenFigure{figureKey(sf.Service, domain.FigureDueThisWeek, ""), name, "due this week", sf.DueThisWeek},
			spokenFigure{figureKey(sf.Service, domain.FigureOverdue, ""), name, "overdue", sf.Overdue},
			spokenFigure{figureKey(sf.Service, domain.FigureAnsweredOnTime, ""), name, "answered on time this month", sf.AnsweredOnTime},
			spokenFigure{figureKey(sf.Service, domain.FigureAnswered, ""), name, "answered this month", sf.Answered})
	}
	return out
}

func spoken(s app.Summary) map[string]int {
	m := map[string]int{}
	for _, f := range spokenFigures(s) {
		m[f.key] = f.value
	}
	return m
}
