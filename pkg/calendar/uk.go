package calendar

import _ "embed"

//go:embed holidays/united-kingdom.json
var unitedKingdomTable []byte

// UnitedKingdomHolidays is the table of days that are a bank holiday in any part of the
// United Kingdom: the England and Wales table plus the days only Scotland or Northern
// Ireland keep. Pass it as Config.Holidays for a calendar that counts working days as the
// Freedom of Information Act 2000 s10(6) and the Environmental Information Regulations 2004
// reg 2(1) define them: not a Saturday, Sunday, Christmas Day, Good Friday or "a bank
// holiday under the Banking and Financial Dealings Act 1971 in any part of the United
// Kingdom" (ICO line to take LTT47: St Patrick's Day is a non-working day in Kent too).
func UnitedKingdomHolidays() []byte { return append([]byte(nil), unitedKingdomTable...) }
