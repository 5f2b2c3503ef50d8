package domain

import (
	"fmt"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
)

// A stage's deadlines while the Ombudsman has the complaint. The Code's timescales time the
// council's own stages (DESIGN.md, Time), and the Ombudsman usually wants that process
// finished: it sends a complaint referred early back as premature for the council to
// complete, or decides it itself (LGOOutcome). So referral from a running stage pauses the
// stage's clocks (calendar.StopPause); a premature decision restarts them with the working
// days they had left, any other decision ends them. A referral after the stage ended
// (responded, or closed with a deadline unmet) ends what that stage left unmet.

// awaitingOmbudsman is what a stage's stopped clock waits for; it names no one, as the
// calendar's description outlives the complainant's personal data.
const awaitingOmbudsman = "the Ombudsman's decision"

// clockChanges is what a referral or decision did to the stage's deadlines, by key.
type clockChanges struct {
	stopped   []string
	restarted map[string]any // key: the due date counted on restart
	ended     []string
}

func (ch *clockChanges) empty() bool {
	return len(ch.stopped) == 0 && len(ch.restarted) == 0 && len(ch.ended) == 0
}

// addTo puts the changes made, and only those, in an event's detail.
func (ch *clockChanges) addTo(detail map[string]any) {
	if len(ch.stopped) > 0 {
		detail["clocks_stopped"] = ch.stopped
	}
	if len(ch.restarted) > 0 {
		detail["clocks_restarted"] = ch.restarted
	}
	if len(ch.ended) > 0 {
		detail["deadlines_ended"] = ch.ended
	}
}

// applyReferral brings the deadlines referral r found at its stage in line with r and its
// decision (nil while awaited). Each step is taken once: applying a referral again changes
// nothing, so it serves the referral, the decision and the settling of older records alike.
func (c *Complaint) applyReferral(cal *calendar.Calendar, r Referral, decision *LGODecision, ch *clockChanges) error {
	fromRunningStage := slices.Contains(openStageStatuses, r.FromStatus)
	for i := range c.Deadlines {
		d := &c.Deadlines[i]
		// Only the referral's stage, and only deadlines it found unmet (not those a stage
		// reopened after a premature decision started later).
		if d.Stage != r.FromStage || d.Stage == 3 || !d.Open() || d.Computed.Start.After(r.ReferredAt) {
			continue
		}
		if !fromRunningStage {
			endDeadline(d, r.ReferredAt, ch)
			continue
		}
		if stopAt(d.Computed, r.ReferredAt) < 0 {
			stopped, err := cal.StopClock(d.Computed, r.ReferredAt, calendar.StopPause, awaitingOmbudsman)
			if err != nil {
				return fmt.Errorf("stop the clock of %s of %s: %w", d.Key(), c.Reference, err)
			}
			d.Computed = stopped
			ch.stopped = append(ch.stopped, d.Key())
		}
		switch {
		case decision == nil:
		case decision.Outcome != LGOPremature:
			endDeadline(d, decision.RecordedAt, ch)
		case d.Computed.Stops[stopAt(d.Computed, r.ReferredAt)].ResumedOn.IsZero():
			// The council has the complaint back when it records the decision.
			restarted, err := cal.RestartClock(d.Computed, decision.RecordedAt)
			if err != nil {
				return fmt.Errorf("restart the clock of %s of %s: %w", d.Key(), c.Reference, err)
			}
			d.Computed = restarted
			if ch.restarted == nil {
				ch.restarted = map[string]any{}
			}
			ch.restarted[d.Key()] = d.Computed.DueDate.String()
		}
	}
	return nil
}

// stopAt is the index of the clock stop made for a referral at referredAt, or -1.
func stopAt(d calendar.Deadline, referredAt time.Time) int {
	return slices.IndexFunc(d.Stops, func(s calendar.ClockStop) bool {
		return s.Reason == awaitingOmbudsman && s.StoppedAt.Equal(referredAt)
	})
}

func endDeadline(d *Deadline, at time.Time, ch *clockChanges) {
	ended := at
	d.EndedAt = &ended
	ch.ended = append(ch.ended, d.Key())
}

// SettleReferralDeadlines applies the complaint's referrals, oldest first, to deadlines
// recorded before referrals stopped clocks (migration 00010): a stage referred while it
// ran gets the pause the calendar counts (restarted or ended as the Ombudsman decided),
// and what a later referral found unmet ends. Nothing to do reports false; a closed
// complaint is left as it is.
func (c *Complaint) SettleReferralDeadlines(a Actor) (Event, bool, error) {
	if c.Stage3 == nil || c.Status == StatusClosed {
		return Event{}, false, nil
	}
	var ch clockChanges
	for _, e := range c.Stage3.Earlier {
		if err := c.applyReferral(a.Cal, e.Referral, e.Decision, &ch); err != nil {
			return Event{}, false, err
		}
	}
	if err := c.applyReferral(a.Cal, c.Stage3.Referral, c.Stage3.Decision, &ch); err != nil {
		return Event{}, false, err
	}
	if ch.empty() {
		return Event{}, false, nil
	}
	detail := map[string]any{}
	ch.addTo(detail)
	return Event{Type: "deadline.recomputed", Stage: c.Stage, Detail: detail}, true, nil
}
