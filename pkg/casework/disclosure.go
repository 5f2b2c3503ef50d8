package casework

// Disclosure is personal data leaving for one recipient, already decided by the notice and
// minimised to the categories it allows.
type Disclosure struct {
	ID            string
	Recipient     string
	Purpose       string
	Condition     string
	Categories    []string
	NoticeVersion string
	Subject       string // the share subject it is published on
	Data          map[string]any
}
