package main

import (
	"fmt"
	"strings"
)

// debtQuickStart is one debt referred by Swale's council tax client as a file, read by its
// client and refused to another, a visit refused inside the notice period, paid in two
// parts (apportioned) and remitted. ordered is a real recent date (the liability order).
// Its case id is $DID and its client reference new on every paste, so pasting again refers
// a new debt.
func debtQuickStart(port int, ordered string) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("Quick start (debt recovery, Mid Kent Enforcement: a referral file, the notice of enforcement, payments, remittance):")
	line(`  export DEBT=http://127.0.0.1:%d`, port)
	line(`  # 1. Swale refers a council tax debt as a CSV file (streamed, with a per-row report; the same client reference again`)
	line(`  #    creates nothing new); keep the case id in $DID`)
	line(`  DREF=CT-$RANDOM$RANDOM`)
	line(`  DID=$(printf 'client_reference,order_date,order_reference,debtor_name,address,amount_pence\n%%s,%s,LO-%%s,Dora Debtor,"1 High Street, Sittingbourne ME10 1AA",85000\n' $DREF $DREF \`, ordered)
	line(`    | curl -s -X POST $DEBT/referrals -H "Authorization: Bearer $SWALE" -H 'Content-Type: text/csv' --data-binary @- \`)
	line(`    | sed -n 's/.*"case_id":"\([^"]*\)".*/\1/p'); echo $DID`)
	line(`  # 2. The case as Swale sees it: the compliance fee and the notice of enforcement's dates, with how the calendar`)
	line(`  #    computed them; Maidstone's user is told there is no such case (404, and the attempt is audited)`)
	line(`  curl -s $DEBT/cases/$DID -H "Authorization: Bearer $SWALE"`)
	line(`  curl -s $DEBT/cases/$DID -H "Authorization: Bearer $MAIDSTONE"`)
	line(`  # 3. An agent may not visit before the earliest date to take control (409 naming the rule; the time is to the`)
	line(`  #    microsecond, as stored, since a visit cannot come before the referral)`)
	line(`  curl -s -X POST $DEBT/cases/$DID/visits -H "Authorization: Bearer $DEBT_AGENT" -H 'Content-Type: application/json' \`)
	line(`    -d "{\"at\":\"$(date -u +%%Y-%%m-%%dT%%H:%%M:%%S.%%6NZ)\",\"outcome\":\"no_contact\",\"body_worn_video\":\"BWV-001\"}"`)
	line(`  # 4. A part payment, apportioned between fees and debt as the Fees Regulations 2014 reg 13 require; then the rest:`)
	line(`  #    the case is paid and returned to Swale`)
	line(`  curl -s -X POST $DEBT/cases/$DID/payments -H "Authorization: Bearer $DEBT_OFFICER" -H 'Content-Type: application/json' -d '{"amount_pence":20000}'`)
	line(`  curl -s -X POST $DEBT/cases/$DID/payments -H "Authorization: Bearer $DEBT_OFFICER" -H 'Content-Type: application/json' -d '{"amount_pence":72500}'`)
	line(`  # 5. Swale's remittance statement (debt and fees apart) and its anonymous statistics`)
	line(`  curl -s $DEBT/remittance -H "Authorization: Bearer $SWALE"`)
	line(`  curl -s $DEBT/statistics -H "Authorization: Bearer $SWALE"`)
	line(`  # 6. Bad input answers RFC 9457 problem+json and changes nothing: a negative amount, an agent taking a payment`)
	line(`  curl -s -X POST $DEBT/cases/$DID/payments -H "Authorization: Bearer $DEBT_OFFICER" -H 'Content-Type: application/json' -d '{"amount_pence":-500}'`)
	line(`  curl -s -X POST $DEBT/cases/$DID/payments -H "Authorization: Bearer $DEBT_AGENT" -H 'Content-Type: application/json' -d '{"amount_pence":500}'`)
	return b.String()
}
