module casework.dev/tests/e2e

go 1.26.0

require (
	casework.dev/contracts v0.0.0
	casework.dev/pkg v0.0.0
	casework.dev/services/complaints v0.0.0
	casework.dev/services/debt v0.0.0
	casework.dev/services/investigations v0.0.0
	casework.dev/services/publication v0.0.0
	casework.dev/services/rights v0.0.0
)

// The sibling modules live in this repository; these let the module build without the
// workspace file.
replace (
	casework.dev/contracts => ../../contracts
	casework.dev/migrations => ../../migrations
	casework.dev/pkg => ../../pkg
	casework.dev/services/complaints => ../../services/complaints
	casework.dev/services/debt => ../../services/debt
	casework.dev/services/investigations => ../../services/investigations
	casework.dev/services/publication => ../../services/publication
	casework.dev/services/rights => ../../services/rights
)
