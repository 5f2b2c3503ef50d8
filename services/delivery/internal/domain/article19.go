package domain

import (
	"encoding/json"
	"strings"
)

// article19Subject ends the subject of an Article 19 notice to a partner
// (share.<partner>.rights.article19, casework.dev/contracts/events).
const article19Subject = ".rights.article19"

// Article19Eraser prefixes the notice's id as who erased a dead letter's body it made stale.
const Article19Eraser = "article19:"

// staleActions are what an Article 19 notice says was done to the data a disclosure carried
// that makes a copy of it stale: sent again it would carry what was erased, corrected or
// restricted. A restriction lifted makes nothing stale.
var staleActions = []string{"erased", "rectified", "restricted"}

// MadeStaleBy reads a disclosure on its way to a partner: when it is an Article 19 notice
// saying the data of an earlier disclosure to the partner was erased, rectified or
// restricted, it returns that disclosure's id. ok is false for anything else.
func MadeStaleBy(subject string, body []byte) (originalID string, ok bool) {
	if !strings.HasSuffix(subject, article19Subject) {
		return "", false
	}
	var notice struct {
		Data struct {
			OriginalDisclosureID string `json:"original_disclosure_id"`
			Action               string `json:"action"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &notice) != nil || notice.Data.OriginalDisclosureID == "" {
		return "", false
	}
	for _, a := range staleActions {
		if notice.Data.Action == a {
			return notice.Data.OriginalDisclosureID, true
		}
	}
	return "", false
}
