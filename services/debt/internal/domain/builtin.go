package domain

import _ "embed"

//go:embed fee_schedules.json
var builtInSchedules []byte

// BuiltInSchedules are the fee schedules in force by statute, as data (fee_schedules.json);
// a deployment adds later ones (DEBT_FEES_FILE) without a code change.
func BuiltInSchedules() Schedules {
	s, err := ParseSchedules(builtInSchedules)
	if err != nil {
		panic(err) // the file is embedded above; a failure is a build defect
	}
	return s
}
