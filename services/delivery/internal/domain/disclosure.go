package domain

// Disclosure is one message taken from a share stream for one partner: its id (the
// disclosure id, also the webhook-id the partner may deduplicate on), the subject it was
// published on and the exact bytes to post.
type Disclosure struct {
	ID      string
	Partner string
	Subject string
	Body    []byte
}
