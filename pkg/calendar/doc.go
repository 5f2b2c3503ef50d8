// Package calendar is the one place every Casework deadline comes from.
//
// Instants are UTC; dates are civil dates reckoned in Europe/London. Working
// days skip weekends and England and Wales bank holidays, which come from a
// versioned table kept as data (holidays/england-and-wales.json) so that a newly
// announced holiday can move deadlines that are still running (see Recompute).
// Years outside the table fall back to github.com/rickar/cal/v2/gb.
//
// Every Deadline records how it was computed: the rule, the amount, the start,
// the days that were not counted and the holiday table version used.
package calendar
