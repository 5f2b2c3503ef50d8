package main

import (
	"fmt"
	"strings"
)

// rightsQuickStart is a subject access request for the complainant of the complaints quick
// start, a breach and an FOI request. received is a real recent instant (RFC 3339).
func rightsQuickStart(port int, received string) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("Quick start (information rights: a subject access request, a breach, an FOI request):")
	line(`  export RTS=http://127.0.0.1:%d`, port)
	line(`  # 1. Ada's subject access request, identity checked: its month and how it was computed`)
	line(`  RID=$(curl -s -X POST $RTS/requests -H "Authorization: Bearer $DPO_OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"kind":"access","received_at":"%s","requester":{"name":"Ada Lovelace","email":"ada@example.org"},"subject":{"name":"Ada Lovelace","email":"ada@example.org"},"identity_method":"passport and council tax bill seen"}' \`, received)
	line(`    | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'); echo $RID`)
	line(`  # 2. Ask every service (rights.<service>.find); the request shows which answered and which are pending,`)
	line(`  #    asks again those that did not, and never compiles a partial answer (409)`)
	line(`  curl -s -X POST $RTS/requests/$RID/search -H "Authorization: Bearer $DPO_OFFICER"`)
	line(`  curl -s $RTS/requests/$RID -H "Authorization: Bearer $DPO_OFFICER"`)
	line(`  #    Once every service has answered and the DPO has confirmed the matches, the compiled answer (JSON, or HTML):`)
	line(`  #    curl -s $RTS/requests/$RID/response -H "Authorization: Bearer $DPO_OFFICER"`)
	line(`  # 3. A breach found on Friday afternoon: 72 elapsed hours to report; assessed, reported to the ICO (share.ico.rights.breach_report)`)
	line(`  BID=$(curl -s -X POST $RTS/breaches -H "Authorization: Bearer $DPO_OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"confirmed":true,"discovered_at":"%s","aware_at":"%s","nature":"Letter sent to the wrong address.","released":"name and address","released_to":"a neighbour","categories_affected":["identity","contact"],"people_affected":1,"records_affected":1,"reported_by":{"name":"Olly Officer"}}' \`, received, received)
	line(`    | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'); echo $BID`)
	line(`  curl -s -X POST $RTS/breaches/$BID/assessment -H "Authorization: Bearer $DPO" -H 'Content-Type: application/json' -d '{"reportable":true,"reason":"Home address disclosed.","high_risk":false,"tell_people":false}'`)
	line(`  curl -s -X POST $RTS/breaches/$BID/report -H "Authorization: Bearer $DPO" -H 'Content-Type: application/json' -d '{"consequences":"Risk of unwanted contact.","measures":"Letter recovered."}'`)
	line(`  # 4. An FOI request: 20 working days (no UK bank holiday counts), answered part by part, in the public disclosure log`)
	line(`  FID=$(curl -s -X POST $RTS/foi -H "Authorization: Bearer $DPO_OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"regime":"foi","received_at":"%s","requester":{"name":"Fred Asker","email":"fred@example.org"},"details":"How many fly-tipping reports in 2025?","summary":"Fly-tipping reports in 2025"}' \`, received)
	line(`    | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'); echo $FID`)
	line(`  curl -s -X POST $RTS/foi/$FID/respond -H "Authorization: Bearer $DPO_OFFICER" -H 'Content-Type: application/json' -d '{"publish":true,"parts":[{"description":"reports in 2025","outcome":"released"}]}'`)
	line(`  curl -s $RTS/public/foi-disclosure-log`)
	return b.String()
}
