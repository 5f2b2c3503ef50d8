// Package calendar is the one place every Casework deadline comes from.
//
// Instants are UTC; dates are civil dates reckoned in Europe/London. Working
// days skip weekends and England and Wales bank holidays, which come from a
// versioned table kept as data (holidays/england-and-wales.json) so that a newly
// announced holiday can move deadlines that are still running (see Recompute).
// A question that needs a day outside the table's years (before its first,
// after its last) is refused with *OutsideTableError rather than guessed: a
// library's rules know no one-off holidays, such as the 2012 Diamond Jubilee.
// The table must be extended before its last year ends.
//
// Every Deadline records how it was computed: the rule, the amount, the start,
// the days that were not counted and the holiday table version used.
package calendar
