package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/testkit"
)

// TestArticle19NoticeToThePublicationServiceIsRead: the rights service tells the
// publication service (an internal recipient of investigations' conviction disclosures)
// of a rectification, erasure or restriction on share.publication-service.rights.article19,
// and records the notice as sent. The publication service reads it on the internal-publication-service
// consumer of RIGHTS_SHARE, and the register shows the corrected name.
func TestArticle19NoticeToThePublicationServiceIsRead(t *testing.T) {
	c := newCouncil(t)
	c.convicted()
	id := c.decisions(1)[0]["id"].(string)
	c.publish(id)
	req, candidates := c.rightsRequestOf(map[string]any{"name": "Sam Subject", "email": "sam@example.org"}, "rectification",
		map[string]any{"rectification": map[string]any{"field": "name", "value": "Samuel Subject"}})
	c.confirm(req, candidates, "investigations subject")
	testkit.Eventually(t, 10*time.Second, "the publication service to read its Article 19 notice", func() (bool, string) {
		s, err := c.nats.JS.Stream(context.Background(), "RIGHTS_SHARE")
		if err != nil {
			return false, err.Error()
		}
		consumers := s.ListConsumers(context.Background())
		var info *jetstream.ConsumerInfo
		for ci := range consumers.Info() {
			if ci.Name == "internal-publication-service" {
				info = ci
			}
		}
		if info == nil {
			return false, fmt.Sprintf("no reader for the publication service (%v)", consumers.Err())
		}
		return info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Consumer > 0,
			fmt.Sprintf("pending %d, ack pending %d, delivered %d", info.NumPending, info.NumAckPending, info.Delivered.Consumer)
	})
}
