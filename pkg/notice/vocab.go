package notice

// The vocabularies below come from data protection law, not from any one
// notice; a notice may only choose among them (and reword them).

// Category kinds.
const (
	KindIdentity        = "identity"
	KindContact         = "contact"
	KindOrdinary        = "ordinary"
	KindEvidence        = "evidence"
	KindSpecial         = "special"
	KindCriminalOffence = "criminal_offence"
)

var categoryKinds = []string{KindIdentity, KindContact, KindOrdinary, KindEvidence, KindSpecial, KindCriminalOffence}

// IsSpecialKind reports whether a kind needs its own recorded condition
// (UK GDPR Art 9 special category, or Art 10 criminal offence data).
func IsSpecialKind(kind string) bool { return kind == KindSpecial || kind == KindCriminalOffence }

// Sharing conditions, with default words a notice may override under
// `conditions:`. The words must read after "only with" and "on the basis of".
var defaultConditionWords = map[string]string{
	"consent":             "the recorded consent of the person the data is about",
	"explicit_consent":    "the recorded explicit consent of the person the data is about",
	"complainant_request": "the complainant's recorded request",
	"crime_prevention":    "a recorded request for the prevention or detection of crime",
	"contract":            "a contract with the data controller",
	"legal_obligation":    "a legal obligation to share it",
	"public_task":         "the data controller's public task",
	"vital_interests":     "a recorded need to protect someone's life",
	"recorded_necessity":  "an officer's recorded finding that sharing it is necessary",
}

// specialConditions are the conditions that may release special category data (UK GDPR
// Article 9(2): (a) explicit consent, (c) vital interests, and an officer's recorded finding
// of a necessity the law names, such as (g) substantial public interest with DPA 2018
// Schedule 1, safeguarding among it) or criminal offence data (Article 10: those, or
// processing under the control of official authority, public_task). Plain consent, a
// contract or a complainant's request are never enough for either.
var specialConditions = map[string]bool{"explicit_consent": true, "vital_interests": true, "recorded_necessity": true, "public_task": true}

// standingConditions hold by virtue of the notice itself; every other
// condition must be recorded on the case.
var standingConditions = map[string]bool{"contract": true, "legal_obligation": true, "public_task": true}

// Lawful bases for processing, UK GDPR Article 6(1).
var lawfulBases = map[string]string{
	"consent":              "consent (UK GDPR Article 6(1)(a))",
	"contract":             "contract (UK GDPR Article 6(1)(b))",
	"legal_obligation":     "legal obligation (UK GDPR Article 6(1)(c))",
	"vital_interests":      "vital interests (UK GDPR Article 6(1)(d))",
	"public_task":          "official authority / public task (UK GDPR Article 6(1)(e))",
	"legitimate_interests": "legitimate interests (UK GDPR Article 6(1)(f))",
}

// Data subject rights, UK GDPR Articles 13 to 22.
var rightIDs = []string{"informed", "access", "rectification", "erasure", "restriction", "portability", "objection", "automated_decisions"}

// basisBoundRights are the rights the law gives only where a purpose rests on one of
// some lawful bases: a notice may offer such a right only if one of its purposes does.
var basisBoundRights = map[string]struct {
	law   string
	bases []string
}{
	// UK GDPR Article 20(1)(a): processing based on consent or on a contract.
	"portability": {"UK GDPR Article 20(1)", []string{"consent", "contract"}},
	// UK GDPR Article 21(1): processing based on Article 6(1)(e) or (f).
	"objection": {"UK GDPR Article 21(1)", []string{"public_task", "legitimate_interests"}},
}

// Retention triggers: the event a period runs from.
var triggerWords = map[string]string{
	"receipt":         "from the date we receive it",
	"closure":         "from the date the case is closed",
	"end_of_service":  "from the end of the service provided",
	"end_of_sentence": "from the end of the sentence",
	"capture":         "from the date it was recorded",
}
