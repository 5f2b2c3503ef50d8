package app

import (
	"context"
	"fmt"

	"casework.dev/contracts/events"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/services/publication/internal/domain"
)

// The press recipient and purpose the publication notice names.
const (
	PressRecipient = "local-press"
	PressPurpose   = "press_release"
)

// Approve is a manager (not the drafter) making the draft the council's decision. A
// decision to publish and send to the press sends the press release, as the notice allows
// and minimised, in the same commit; a refusal by the notice changes nothing.
func (s *Service) Approve(ctx context.Context, manager, id string) (*domain.Decision, error) {
	return s.change(ctx, manager, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		if d.Draft != nil && d.Draft.Outcome.Publishes() {
			// Publishing is a disclosure to everyone: never of a restricted record (UK GDPR Art 18).
			if err := s.repo.CheckDisclosure(ctx, d.ID); err != nil {
				return Change{}, err
			}
		}
		e, err := d.Approve(s.cfg.PublicationMonths, s.retentionDue(a), a)
		if err != nil {
			return Change{}, err
		}
		ch := Change{Event: e}
		if d.Status != domain.StatusPublished || d.Draft.Outcome != domain.OutcomePublishAndPress {
			return ch, nil
		}
		release, err := s.pressRelease(d)
		if err != nil {
			return Change{}, err
		}
		d.PressReleaseID, e.Detail["press_release_id"] = release.ID, release.ID
		ch.Disclosure = &release
		return ch, nil
	})
}

// pressRelease asks the notice what the press may have and builds the release from that
// alone. The approved decision to send to the press is the recorded public task the
// criminal offence data needs.
func (s *Service) pressRelease(d *domain.Decision) (Disclosure, error) {
	dec := s.notice.Decide(notice.Request{Recipient: PressRecipient, Purpose: PressPurpose, CaseType: CaseType, Recorded: []string{"public_task"}})
	if !dec.Allowed {
		return Disclosure{}, &casework.RefusalError{Decision: dec}
	}
	c := d.Conviction
	data := s.notice.MinimiseFields(dec, map[string]any{"name": c.Name, "town": c.Town, "offence": c.Offence,
		"court": c.Court, "date": c.Date.String(), "sentence": c.Sentence})
	data["release"] = releaseText(data)
	return Disclosure{ID: messaging.NewID(), Recipient: dec.Recipient, Purpose: dec.Purpose, Condition: dec.Condition,
		Categories: dec.Categories, NoticeVersion: dec.NoticeVersion, Subject: events.ShareSubject(dec.Recipient, "publication", dec.Purpose),
		Data: data}, nil
}

// releaseText words the release from the minimised fields only, so it can say no more than
// the notice lets go.
func releaseText(f map[string]any) string {
	get := func(k string) string { v, _ := f[k].(string); return v }
	who := get("name")
	if town := get("town"); town != "" && who != "" {
		who += " of " + town
	}
	if who == "" {
		who = "A defendant"
	}
	text := fmt.Sprintf("%s was convicted", who)
	if get("offence") != "" {
		text += fmt.Sprintf(" of %s at %s on %s and sentenced to %s", get("offence"), get("court"), get("date"), get("sentence"))
	}
	return text + ", following a prosecution brought by the council."
}
