package main

import (
	"fmt"
	"strings"
	"time"

	"casework.dev/pkg/httpserver"
)

const devIssuer = "casework-dev"

type devUser struct {
	env, subject, name string
	roles              []string
}

var devUsers = []devUser{
	{"OFFICER", "alice", "Alice Officer", []string{"complaints_officer"}},
	{"OFFICER2", "bob", "Bob Officer", []string{"complaints_officer"}},
	{"MANAGER", "maria", "Maria Manager", []string{"complaints_manager"}},
	{"LGO", "lucy", "Lucy Ombudsman Handler", []string{"complaints_lgo"}},
	{"NOROLE", "nora", "Nora No-Role", []string{"planning_officer"}},
	{"INV_OFFICER", "ivan", "Ivan Investigator", []string{"investigations_officer"}},
	{"INV_OFFICER2", "irene", "Irene Investigator", []string{"investigations_officer"}},
	{"INV_MANAGER", "ines", "Ines Investigations Manager", []string{"investigations_manager"}},
}

// extra sections (e.g. partner feeds) are printed after the requests.
func quickStart(key, natsURL string, services []service, extra ...string) (string, error) {
	cfg := httpserver.AuthConfig{Issuer: devIssuer, Audience: "casework", DevSigningKey: []byte(key)}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("")
	line("================ Casework is running ================")
	for _, s := range services {
		line("  %-11s http://127.0.0.1:%d   (contract /openapi.yaml, privacy notice /notice)", s.name, s.port)
	}
	line("  NATS        %s   (JetStream; status events on status.complaints.>)", natsURL)
	for _, s := range services {
		if s.name == "board" {
			line("  Managers' board: open http://127.0.0.1:%d in a browser and sign in with the token of $MANAGER", s.port)
			line("    (complaints) or $INV_MANAGER (investigations); its figures update as cases move.")
		}
	}
	line("")
	line("Dev tokens (12 hours), paste into your shell:")
	for _, u := range devUsers {
		tok, err := httpserver.IssueDevToken(cfg, u.subject, u.name, u.roles, 12*time.Hour, time.Now())
		if err != nil {
			return "", err
		}
		line("  export %s=%s   # %s: %s", u.env, tok, u.subject, strings.Join(u.roles, ","))
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", services[0].port)
	line("  export CW=%s", base)
	line("")
	line("Quick start (complaints, stage 1 -> stage 2 -> stage 3 with the Ombudsman):")
	line(`  # 1. Log a complaint (an officer); keep its id`)
	line(`  ID=$(curl -s -X POST $CW/complaints -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"complainant":{"name":"Ada Lovelace","email":"ada@example.org","address":"1 High Street, Maidstone"},"details":"Bins not collected for three weeks.","service":"waste","channel":"web","consent_to":["ward-councillor","subject-of-complaint"]}' \`)
	line(`    | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'); echo $ID`)
	line(`  # 2. Acknowledge, respond, see the deadlines and how they were computed`)
	line(`  curl -s -X POST $CW/complaints/$ID/acknowledge -H "Authorization: Bearer $OFFICER"`)
	line(`  curl -s -X POST $CW/complaints/$ID/respond -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"outcome":"partly_upheld","summary":"Collections were missed; crews rescheduled.","remedies":["apology"]}'`)
	line(`  # 3. Escalate to stage 2 (the stage 1 handler may not handle it: try "alice" for a 409)`)
	line(`  curl -s -X POST $CW/complaints/$ID/escalate -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"further_details":"Still not collected.","handler":"bob"}'`)
	line(`  curl -s -X POST $CW/complaints/$ID/acknowledge -H "Authorization: Bearer $OFFICER2"`)
	line(`  # 4. Sharing follows the notice: consent recorded for the councillor (its NATS feed) and the person complained`)
	line(`  #    about (a signed webhook, see [webhook-receiver] below), none for Kent County Council (403)`)
	line(`  curl -s -X POST $CW/complaints/$ID/disclosures -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"recipient":"ward-councillor","purpose":"complaint_handling"}'`)
	line(`  curl -s -X POST $CW/complaints/$ID/disclosures -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"recipient":"subject-of-complaint","purpose":"complaint_handling"}'`)
	line(`  curl -s -X POST $CW/complaints/$ID/disclosures -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"recipient":"kent-county-council","purpose":"complaint_handling"}'`)
	line(`  # 5. The case with its full history; the list; anonymous statistics (manager); a role without rights (403)`)
	line(`  curl -s $CW/complaints/$ID -H "Authorization: Bearer $OFFICER"`)
	line(`  curl -s "$CW/complaints?stage=2" -H "Authorization: Bearer $MANAGER"`)
	line(`  curl -s $CW/statistics -H "Authorization: Bearer $MANAGER"`)
	line(`  curl -s $CW/complaints -H "Authorization: Bearer $NOROLE"`)
	// Stage 3 dates must be real ones: first knowing two months ago, a response due in four weeks.
	knew, due := time.Now().AddDate(0, -2, 0).Format(time.DateOnly), time.Now().AddDate(0, 0, 28).Format(time.DateOnly)
	line(`  # 6. Stage 3: stage 2 answered, the complainant goes to the Ombudsman (warnings, never refusals), an enquiry,`)
	line(`  #    and the response that sends the case file to the LGO as the notice allows (share.lgo.complaints.ombudsman_referral)`)
	line(`  curl -s -X POST $CW/complaints/$ID/respond -H "Authorization: Bearer $OFFICER2" -H 'Content-Type: application/json' -d '{"outcome":"upheld","summary":"Fault found."}'`)
	line(`  curl -s -X POST $CW/complaints/$ID/lgo/referral -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' -d '{"lgo_reference":"25 012 345","first_knew_on":"%s","process_completed":true,"details":"Still not collected."}'`, knew)
	line(`  curl -s -X POST $CW/complaints/$ID/lgo/enquiries -H "Authorization: Bearer $LGO" -H 'Content-Type: application/json' -d '{"questions":"Send your stage 2 response.","response_due_on":"%s"}'`, due)
	line(`  curl -s -X POST $CW/complaints/$ID/lgo/enquiries/1/response -H "Authorization: Bearer $LGO" -H 'Content-Type: application/json' -d '{"documents":["Stage 2 response letter"]}'`)
	line(`  curl -s $CW/complaints/$ID/disclosures -H "Authorization: Bearer $LGO"`)
	line(`  # 7. Bad input answers RFC 9457 problem+json and changes nothing`)
	line(`  curl -s -X POST $CW/complaints -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' -d '{"details":"x","details":"y"}'`)
	for _, s := range services {
		if s.name != "investigations" {
			continue
		}
		line("")
		line("Quick start (community protection investigations; referrals follow the notice, /notice):")
		line(`  export INV=http://127.0.0.1:%d`, s.port)
		line(`  IID=$(curl -s -X POST $INV/investigations -H "Authorization: Bearer $INV_OFFICER" -H 'Content-Type: application/json' \`)
		line(`    -d '{"area":"noise","people":[{"role":"reporter","name":"Rita Reporter","phone":"01622 111111"},{"role":"subject","name":"Sam Subject","address":"3 Mill Lane, Maidstone","town":"Maidstone"}],"matter":{"summary":"Loud music every night","locations":["Mill Lane, Maidstone"]}}' \`)
		line(`    | sed -n 's/.*"id":"\([^"]*\)","reference".*/\1/p'); echo $IID`)
		line(`  # The police without a recorded request: 403 naming the rule; then record it and refer (share.kent-police.investigations.>)`)
		line(`  curl -s -X POST $INV/investigations/$IID/referrals -H "Authorization: Bearer $INV_OFFICER" -H 'Content-Type: application/json' -d '{"recipient":"kent-police","purpose":"prevention_and_detection_of_crime"}'`)
		line(`  curl -s -X POST $INV/investigations/$IID/conditions -H "Authorization: Bearer $INV_OFFICER" -H 'Content-Type: application/json' -d '{"recipient":"kent-police","condition":"crime_prevention","reason":"PC 1234 request ref KP/1"}'`)
		line(`  curl -s -X POST $INV/investigations/$IID/referrals -H "Authorization: Bearer $INV_OFFICER" -H 'Content-Type: application/json' -d '{"recipient":"kent-police","purpose":"prevention_and_detection_of_crime"}'`)
		line(`  # The subject is not told who reported; an illegal step answers 409 with the allowed ones`)
		line(`  curl -s -X POST $INV/investigations/$IID/referrals -H "Authorization: Bearer $INV_OFFICER" -H 'Content-Type: application/json' -d '{"recipient":"subject-of-investigation","purpose":"investigation"}'`)
		line(`  curl -s -X POST $INV/investigations/$IID/prosecute -H "Authorization: Bearer $INV_OFFICER"`)
	}
	line("")
	for _, e := range extra {
		b.WriteString(e)
	}
	line("Press Ctrl-C to stop everything.")
	return b.String(), nil
}
