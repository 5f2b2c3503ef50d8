package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"casework.dev/services/investigations/internal/domain"
)

// ASBKeys returns what an anti-social behaviour report is counted by: its first location
// and its first subject's name (hashed, so the column is no copy of the name).
func ASBKeys(c *domain.Investigation) (location, subject string) {
	if c.Area != "anti_social_behaviour" {
		return "", ""
	}
	if len(c.Matter.Locations) > 0 {
		location = normalise(c.Matter.Locations[0])
	}
	if p := c.FirstWithRole(domain.RoleSubject); p != nil && normalise(p.Name) != "" {
		sum := sha256.Sum256([]byte(normalise(p.Name)))
		subject = hex.EncodeToString(sum[:])
	}
	return location, subject
}

// normalise is s as counted: its words of letters and digits, lower case, in one Unicode
// form (NFKC), so a name or a place typed with "ë" and one sent as "e" and a combining
// diaeresis count as one.
func normalise(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(norm.NFKC.String(s))) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		default:
			space = true
		}
	}
	return b.String()
}

// checkASBReview triggers a case review on the report that brings the count of reports
// about the same location, or the same person, within the configured period to the
// threshold.
func (s *Service) checkASBReview(ctx context.Context, who domain.Caller, c *domain.Investigation) (*domain.Investigation, error) {
	if s.asb.Threshold <= 0 || c.Area != "anti_social_behaviour" {
		return nil, nil
	}
	location, subject := ASBKeys(c)
	from, to := c.ReceivedAt.Add(-s.asb.Within), c.ReceivedAt
	for _, k := range []struct {
		key ASBKey
		on  string
	}{{ASBKey{Location: location}, "location"}, {ASBKey{Subject: subject}, "subject"}} {
		if k.key.Location == "" && k.key.Subject == "" {
			continue
		}
		n, reviewed, err := s.repo.CountASB(ctx, k.key, from, to)
		if err != nil {
			return nil, err
		}
		// At or past the threshold (a backdated report, or two at the same instant, may
		// step past it), once per window.
		if n < s.asb.Threshold || reviewed {
			continue
		}
		matchedOn := k.on
		return s.transition(ctx, domain.Caller{Officer: who.Officer, Manager: true}, c.ID, "asb_review", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
			c.ASBReview = &domain.ASBReview{TriggeredAt: now, Count: n, Threshold: s.asb.Threshold, Within: s.asb.Within.String(), MatchedOn: matchedOn}
			return domain.Event{Type: "asb_review.triggered", Count: n, Detail: map[string]any{"count": n, "threshold": s.asb.Threshold, "matched_on": matchedOn}}, nil
		})
	}
	return nil, nil
}
