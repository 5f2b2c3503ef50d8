// Package webhook signs and verifies HTTP webhooks in the style of the Standard Webhooks
// specification (https://www.standardwebhooks.com): three headers, webhook-id,
// webhook-timestamp (unix seconds) and webhook-signature ("v1,<base64 HMAC-SHA256>"), where
// the MAC covers id + "." + timestamp + "." + body. Secrets are "whsec_" + base64 of the key.
// The timestamp and id let a receiver refuse replays and deduplicate redeliveries.
package webhook
