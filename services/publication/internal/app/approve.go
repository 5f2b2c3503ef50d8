package app

import (
	"context"
	"fmt"
	"maps"
	"slices"

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
// decision to publish discloses the entry to the public register, and one to publish and
// send to the press sends the press release too, each as the notice allows, minimised and
// logged, in the same commit; a refusal by the notice changes nothing.
func (s *Service) Approve(ctx context.Context, manager, id string) (*domain.Decision, error) {
	return s.change(ctx, manager, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		if d.Draft != nil && d.Draft.Outcome.Publishes() {
			// Publishing is a disclosure to everyone: never of a restricted record (UK GDPR Art 18).
			if err := s.repo.CheckDisclosure(ctx, d.ID); err != nil {
				return Change{}, err
			}
		}
		e, err := d.Approve(s.publicationMonths, s.retentionDue(a), a)
		if err != nil {
			return Change{}, err
		}
		ch := Change{Event: e}
		if d.Status != domain.StatusPublished {
			return ch, nil
		}
		register, fields, err := s.registerEntry(d)
		if err != nil {
			return Change{}, err
		}
		d.RegisterDisclosureID, d.RegisterFields = register.ID, fields
		ch.Register = &register
		if d.Draft.Outcome != domain.OutcomePublishAndPress {
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

// convictionFields are the conviction's fields by the notice's field names.
func convictionFields(c domain.Conviction) map[string]any {
	date := ""
	if !c.Date.IsZero() {
		date = c.Date.String()
	}
	return map[string]any{"name": c.Name, "town": c.Town, "offence": c.Offence, "court": c.Court, "date": date, "sentence": c.Sentence}
}

// registerDecision asks the notice what the public register may show. The approved
// decision to publish is the recorded public task the criminal offence data needs.
func (s *Service) registerDecision() notice.Decision {
	return s.notice.Decide(notice.Request{Recipient: RegisterRecipient, Purpose: RegisterPurpose, CaseType: CaseType, Recorded: []string{"public_task"}})
}

// registerEntry is the disclosure of the entry to the public register as the notice
// allows it, with the fields it lets go, sorted: what the register will show, and all it
// may show. It is logged, not sent: the register shows it.
func (s *Service) registerEntry(d *domain.Decision) (Disclosure, []string, error) {
	dec := s.registerDecision()
	if !dec.Allowed {
		return Disclosure{}, nil, &casework.RefusalError{Decision: dec}
	}
	fields := slices.Sorted(maps.Keys(s.notice.MinimiseFields(dec, convictionFields(d.Conviction))))
	return Disclosure{ID: messaging.NewID(), Recipient: dec.Recipient, Purpose: dec.Purpose, Condition: dec.Condition,
		Categories: dec.Categories, NoticeVersion: dec.NoticeVersion, Subject: RegisterAddress}, fields, nil
}

// pressRelease asks the notice what the press may have and builds the release from that
// alone. The approved decision to send to the press is the recorded public task the
// criminal offence data needs.
func (s *Service) pressRelease(d *domain.Decision) (Disclosure, error) {
	dec := s.notice.Decide(notice.Request{Recipient: PressRecipient, Purpose: PressPurpose, CaseType: CaseType, Recorded: []string{"public_task"}})
	if !dec.Allowed {
		return Disclosure{}, &casework.RefusalError{Decision: dec}
	}
	data := s.notice.MinimiseFields(dec, convictionFields(d.Conviction))
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
