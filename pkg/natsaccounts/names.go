package natsaccounts

import (
	"regexp"
	"strings"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// AccountName is the partner's account: its id upper-cased with - as _, e.g.
// kent-police -> KENT_POLICE. Ids are lower-case words joined by single hyphens, so two ids
// never share an account name.
func AccountName(partnerID string) string {
	return strings.ToUpper(strings.ReplaceAll(partnerID, "-", "_"))
}

// ShareSubjects is what a partner receives: share.<id>.>.
func ShareSubjects(partnerID string) string { return "share." + partnerID + ".>" }

// ConsumerName is the partner's durable consumer on its feed stream.
func ConsumerName(partnerID string) string { return partnerID }

// PartnerPublishAllow is every subject a partner's user may publish to: the JetStream API
// requests that read its own consumer and stream, fetch the next messages, and acknowledge
// them. Everything else, including creating or deleting anything, is refused by the server.
func PartnerPublishAllow(partnerID string) []string {
	c := ConsumerName(partnerID)
	return []string{
		"$JS.API.CONSUMER.INFO." + FeedStream + "." + c,
		"$JS.API.CONSUMER.MSG.NEXT." + FeedStream + "." + c,
		"$JS.API.STREAM.INFO." + FeedStream,
		"$JS.ACK." + FeedStream + "." + c + ".>",
	}
}

// InboxSubjects is where replies (fetched messages, API answers) come back; a partner's
// user may subscribe to nothing else.
const InboxSubjects = "_INBOX.>"

// StatusSubjects are the status events every service publishes for managers, with no
// personal data: status.<service>.>.
const StatusSubjects = "status.>"
