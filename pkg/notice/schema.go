package notice

// The raw* types mirror the YAML file one to one. They are decoded with
// KnownFields so a misspelt key is an error, then validated into Notice.

type rawNotice struct {
	Service                string                  `yaml:"service"`
	Title                  string                  `yaml:"title"`
	Version                string                  `yaml:"version"`
	Controller             rawController           `yaml:"controller"`
	SupervisoryAuthority   rawContact              `yaml:"supervisory_authority"`
	CollectedFrom          []string                `yaml:"collected_from"`
	Purposes               map[string]rawPurpose   `yaml:"purposes"`
	Categories             map[string]rawCategory  `yaml:"categories"`
	CaseTypes              []rawLabel              `yaml:"case_types"`
	Scopes                 []rawLabel              `yaml:"scopes"`
	Conditions             map[string]string       `yaml:"conditions"`
	Occasions              map[string]rawOccasion  `yaml:"occasions"`
	Facts                  map[string]string       `yaml:"facts"`
	People                 []rawLabel              `yaml:"people"`
	Recipients             map[string]rawRecipient `yaml:"recipients"`
	RetentionFacts         []string                `yaml:"retention_facts"`
	Retention              []rawRetention          `yaml:"retention"`
	Rights                 []rawWords              `yaml:"rights"`
	ErasureMayBeRefusedFor []rawWords              `yaml:"erasure_may_be_refused_for"`
	Statistics             *rawStatistics          `yaml:"statistics"`
	Notes                  []string                `yaml:"notes"`
}

type rawController struct {
	Name            string     `yaml:"name"`
	Address         string     `yaml:"address"`
	Phone           string     `yaml:"phone"`
	ICORegistration string     `yaml:"ico_registration"`
	DPO             rawContact `yaml:"dpo"`
}

type rawContact struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address"`
	Phone   string `yaml:"phone"`
	Email   string `yaml:"email"`
	Website string `yaml:"website"`
}

type rawPurpose struct {
	Label       string   `yaml:"label"`
	Basis       string   `yaml:"basis"`
	Legislation []string `yaml:"legislation"`
	Words       string   `yaml:"words"`
	OnlyOn      string   `yaml:"only_on"`
	Lasts       string   `yaml:"lasts"`
	// DirectMarketing: the purpose is telling people about services (UK GDPR Art 21(2)).
	DirectMarketing bool `yaml:"direct_marketing"`
}

type rawCategory struct {
	Kind       string   `yaml:"kind"`
	Label      string   `yaml:"label"`
	Fields     []string `yaml:"fields"`
	Identifies []string `yaml:"identifies"`
}

type rawLabel struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
}

type rawRecipient struct {
	Name        string        `yaml:"name"`
	Description string        `yaml:"description"`
	Rules       []rawGrant    `yaml:"rules"`
	OnlyAbout   []string      `yaml:"only_about"`
	Withhold    []rawWithhold `yaml:"withhold"`
}

type rawWithhold struct {
	When       string   `yaml:"when"`
	Categories []string `yaml:"categories"`
	Refusal    string   `yaml:"refusal"`
	Words      string   `yaml:"words"`
}

type rawOccasion struct {
	Label   string `yaml:"label"`
	Refusal string `yaml:"refusal"`
}

type rawGrant struct {
	Purposes         []string `yaml:"purposes"`
	CaseTypes        []string `yaml:"case_types"`
	Scopes           []string `yaml:"scopes"`
	Categories       []string `yaml:"categories"`
	Condition        string   `yaml:"condition"`
	RecordRequired   bool     `yaml:"record_required"`
	SpecialCondition string   `yaml:"special_condition"`
	OnlyOn           string   `yaml:"only_on"`
}

type rawRetention struct {
	ID        string `yaml:"id"`
	AppliesTo string `yaml:"applies_to"`
	Keep      string `yaml:"keep"`
	From      string `yaml:"from"`
	When      string `yaml:"when"`
	Unless    string `yaml:"unless"`
	Then      string `yaml:"then"`
	ThenFrom  string `yaml:"then_from"`
	Words     string `yaml:"words"`
}

type rawWords struct {
	ID    string `yaml:"id"`
	Words string `yaml:"words"`
}

type rawStatistics struct {
	AnonymousOnly bool   `yaml:"anonymous_only"`
	SuppressBelow int    `yaml:"suppress_below"`
	Words         string `yaml:"words"`
}
