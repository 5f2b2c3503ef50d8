package events

import "time"

// Disclosure is the envelope of personal data sent to one recipient on
// share.<recipient>.<service>.<purpose> (ShareSubject): who receives it, for which purpose,
// on which condition of which notice version, about which case, and Data, only the fields
// the notice allows. Each service's disclosure is this type under its own name, so its
// schema keeps that name.
type Disclosure struct {
	DisclosureID  string         `json:"disclosure_id"`
	Recipient     string         `json:"recipient"`
	Purpose       string         `json:"purpose"`
	Condition     string         `json:"condition"`
	NoticeVersion string         `json:"notice_version"`
	Reference     string         `json:"reference"`
	DisclosedAt   time.Time      `json:"disclosed_at"`
	Data          map[string]any `json:"data"`
}
