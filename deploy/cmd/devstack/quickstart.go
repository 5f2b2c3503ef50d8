package main

import (
	"fmt"
	"slices"
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
	{"PUB_OFFICER", "paula", "Paula Publication Officer", []string{"publication_officer"}},
	{"PUB_MANAGER", "mandy", "Mandy Publication Manager", []string{"publication_manager"}},
	{"DEBT_OFFICER", "olive", "Olive Enforcement Officer", []string{"enforcement_officer"}},
	{"DEBT_AGENT", "arthur", "Arthur Enforcement Agent", []string{"enforcement_agent"}},
	{"DEBT_MANAGER", "mona", "Mona Enforcement Manager", []string{"enforcement_manager"}},
	// Client councils' users: each sees and acts on its own client's cases only.
	{"SWALE", "sam-swale", "Sam at Swale council tax", []string{"debt_client", "debt_client:swale-council-tax"}},
	{"MAIDSTONE", "mo-maidstone", "Mo at Maidstone council tax", []string{"debt_client", "debt_client:maidstone-council-tax"}},
	{"DPO", "dora", "Dora Data Protection Officer", []string{"dpo"}},
	{"DPO_OFFICER", "olly", "Olly Information Rights Officer", []string{"dpo_officer"}},
}

// quickStart is what the stack prints once every service is ready: each service's URL and
// public documents, dev tokens for every role, the requests of the services that have a quick
// start here, then the extra sections (partner feeds, webhooks).
func quickStart(key, natsURL string, services []service, extra ...string) (string, error) {
	cfg := httpserver.AuthConfig{Issuer: devIssuer, Audience: "casework", DevSigningKey: []byte(key)}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("")
	line("================ Casework is running ================")
	for _, s := range services {
		docs := "contract /openapi.yaml"
		if s.Notice {
			docs += ", privacy notice /notice"
		}
		line("  %-15s http://127.0.0.1:%d   (%s)", s.Name, s.port, docs)
	}
	line("  %-15s %s   (JetStream; status events for managers on status.>, see below)", "NATS", natsURL)
	if board, ok := running(services, "board"); ok {
		line("  Managers' board: open http://127.0.0.1:%d in a browser and sign in with the token of $MANAGER", board.port)
		line("    (complaints) or $INV_MANAGER (investigations); its figures update as cases move.")
	}
	line("")
	line("Dev tokens (12 hours), paste into your shell:")
	for _, u := range devTokenUsers(services) {
		tok, err := httpserver.IssueDevToken(cfg, u.subject, u.name, u.roles, 12*time.Hour, time.Now())
		if err != nil {
			return "", err
		}
		line("  export %s=%s   # %s: %s", u.env, tok, u.subject, strings.Join(u.roles, ","))
	}
	if complaints, ok := running(services, "complaints"); ok {
		complaintsQuickStart(line, complaints.port)
	}
	if investigations, ok := running(services, "investigations"); ok {
		investigationsQuickStart(line, investigations.port)
	}
	if publication, ok := running(services, "publication"); ok {
		// Convicted today: a conviction may not predate the report it follows.
		line("")
		line(publicationQuickStart(publication.port, time.Now().Format(time.DateOnly)))
	}
	if debt, ok := running(services, "debt"); ok {
		// Ordered a month ago: a liability order may not postdate its referral.
		line("")
		line("%s", debtQuickStart(debt.port, time.Now().AddDate(0, -1, 0).Format(time.DateOnly))) // it holds % signs
	}
	if rights, ok := running(services, "rights"); ok {
		line("")
		line(rightsQuickStart(rights.port, time.Now().UTC().Add(-2*time.Hour).Format(time.RFC3339)))
	}
	line("")
	for _, e := range extra {
		b.WriteString(e)
	}
	line("Press Ctrl-C to stop everything.")
	return b.String(), nil
}

// devTokenUsers are the named dev users the quick starts use, then one user for each role
// of a running service that none of them has (a new service's, say), its token exported as
// the role's name in capitals.
func devTokenUsers(services []service) []devUser {
	users := slices.Clone(devUsers)
	for _, s := range services {
		for _, role := range s.Roles {
			if !slices.ContainsFunc(users, func(u devUser) bool { return slices.Contains(u.roles, role) }) {
				users = append(users, devUser{strings.ToUpper(role), "dev-" + strings.ReplaceAll(role, "_", "-"), "Dev " + role, []string{role}})
			}
		}
	}
	return users
}

func running(services []service, name string) (service, bool) {
	i := slices.IndexFunc(services, func(s service) bool { return s.Name == name })
	if i < 0 {
		return service{}, false
	}
	return services[i], true
}

// complaintsQuickStart: a complaint through stage 1, stage 2 and stage 3, sharing as the
// notice allows. Its id is $CID, so pasting it again starts a new complaint.
func complaintsQuickStart(line func(string, ...any), port int) {
	line("  export CW=http://127.0.0.1:%d", port)
	line("")
	line("Quick start (complaints, stage 1 -> stage 2 -> stage 3 with the Ombudsman):")
	line(`  # 1. Log a complaint (an officer); keep its id in $CID`)
	line(`  CID=$(curl -s -X POST $CW/complaints -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"complainant":{"name":"Ada Lovelace","email":"ada@example.org","address":"1 High Street, Maidstone"},"details":"Bins not collected for three weeks.","service":"waste","channel":"web","consent_to":["ward-councillor","subject-of-complaint"]}' \`)
	line(`    | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'); echo $CID`)
	line(`  # 2. Acknowledge, respond, see the deadlines and how they were computed`)
	line(`  curl -s -X POST $CW/complaints/$CID/acknowledge -H "Authorization: Bearer $OFFICER"`)
	line(`  curl -s -X POST $CW/complaints/$CID/respond -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"outcome":"partly_upheld","summary":"Collections were missed; crews rescheduled.","remedies":["apology"]}'`)
	line(`  # 3. Escalate to stage 2 (the stage 1 handler may not handle it: try "alice" for a 409)`)
	line(`  curl -s -X POST $CW/complaints/$CID/escalate -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"further_details":"Still not collected.","handler":"bob"}'`)
	line(`  curl -s -X POST $CW/complaints/$CID/acknowledge -H "Authorization: Bearer $OFFICER2"`)
	line(`  # 4. Sharing follows the notice: consent recorded for the councillor (its NATS feed) and the person complained`)
	line(`  #    about (a signed webhook, see [webhook-receiver] below), none for Kent County Council (403)`)
	line(`  curl -s -X POST $CW/complaints/$CID/disclosures -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"recipient":"ward-councillor","purpose":"complaint_handling"}'`)
	line(`  curl -s -X POST $CW/complaints/$CID/disclosures -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"recipient":"subject-of-complaint","purpose":"complaint_handling"}'`)
	line(`  curl -s -X POST $CW/complaints/$CID/disclosures -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"recipient":"kent-county-council","purpose":"complaint_handling"}'`)
	line(`  # 5. The case with its full history; the list; anonymous statistics (manager); a role without rights (403)`)
	line(`  curl -s $CW/complaints/$CID -H "Authorization: Bearer $OFFICER"`)
	line(`  curl -s "$CW/complaints?stage=2" -H "Authorization: Bearer $MANAGER"`)
	line(`  curl -s $CW/statistics -H "Authorization: Bearer $MANAGER"`)
	line(`  curl -s $CW/complaints -H "Authorization: Bearer $NOROLE"`)
	// Stage 3 dates must be real ones: first knowing two months ago, a response due in four weeks.
	knew, due := time.Now().AddDate(0, -2, 0).Format(time.DateOnly), time.Now().AddDate(0, 0, 28).Format(time.DateOnly)
	line(`  # 6. Stage 3: stage 2 answered, the complainant goes to the Ombudsman (warnings, never refusals), an enquiry,`)
	line(`  #    and the response that sends the case file to the LGO as the notice allows (share.lgo.complaints.ombudsman_referral)`)
	line(`  curl -s -X POST $CW/complaints/$CID/respond -H "Authorization: Bearer $OFFICER2" -H 'Content-Type: application/json' -d '{"outcome":"upheld","summary":"Fault found."}'`)
	line(`  curl -s -X POST $CW/complaints/$CID/lgo/referral -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' -d '{"lgo_reference":"25 012 345","first_knew_on":"%s","process_completed":true,"details":"Still not collected."}'`, knew)
	line(`  curl -s -X POST $CW/complaints/$CID/lgo/enquiries -H "Authorization: Bearer $LGO" -H 'Content-Type: application/json' -d '{"questions":"Send your stage 2 response.","response_due_on":"%s"}'`, due)
	line(`  curl -s -X POST $CW/complaints/$CID/lgo/enquiries/1/response -H "Authorization: Bearer $LGO" -H 'Content-Type: application/json' -d '{"documents":["Stage 2 response letter"]}'`)
	line(`  curl -s $CW/complaints/$CID/disclosures -H "Authorization: Bearer $LGO"`)
	line(`  # 7. Bad input answers RFC 9457 problem+json and changes nothing`)
	line(`  curl -s -X POST $CW/complaints -H "Authorization: Bearer $OFFICER" -H 'Content-Type: application/json' -d '{"details":"x","details":"y"}'`)
}

// investigationsQuickStart: a noise case referred to the police as the notice allows. Its id
// is $IID.
func investigationsQuickStart(line func(string, ...any), port int) {
	line("")
	line("Quick start (community protection investigations; referrals follow the notice, /notice):")
	line(`  export INV=http://127.0.0.1:%d`, port)
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

// publicationQuickStart follows the investigation above to a conviction, a decision, the
// register and an appeal that takes the entry down. convicted is a real recent date.
func publicationQuickStart(port int, convicted string) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("Quick start (publication decisions: a conviction, the decision, the public register, an appeal):")
	line(`  export PUB=http://127.0.0.1:%d`, port)
	line(`  # 1. Take the investigation to court; its conviction goes to the publication service as a decision to make`)
	line(`  for step in triage investigate prosecute; do curl -s -o /dev/null -X POST $INV/investigations/$IID/$step -H "Authorization: Bearer $INV_OFFICER"; done`)
	line(`  curl -s -X POST $INV/investigations/$IID/outcome -H "Authorization: Bearer $INV_OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"outcome":"conviction","offence":"Breach of a noise abatement notice","court":"Maidstone Magistrates Court","date":"%s","sentence":"Fine of GBP 1,200","sentence_length":"none"}'`, convicted)
	line(`  PID=$(sleep 1; curl -s "$PUB/decisions?status=to_decide" -H "Authorization: Bearer $PUB_OFFICER" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p'); echo $PID`)
	line(`  # 2. The officer weighs the four factors and the offender's side and submits; the manager (not the drafter) approves`)
	line(`  curl -s -X POST $PUB/decisions/$PID/draft -H "Authorization: Bearer $PUB_OFFICER" -H 'Content-Type: application/json' -d '{"factors":{` +
		`"significance":{"rating":"high","reason":"Repeated breach of a notice."},"community_effect":{"rating":"high","reason":"A whole street affected."},` +
		`"frequency":{"rating":"medium","reason":"Rising in the borough."},"publicity":{"rating":"low","reason":"None so far."}},` +
		`"offender":{"age_at_conviction":41},"sentence":{"type":"fine"},"proportionality":{"proportionate":true,"conclusion":"Deterrence outweighs the intrusion."},` +
		`"outcome":"publish_and_press","reasons":"Deters further breaches."}'`)
	line(`  curl -s -X POST $PUB/decisions/$PID/approve -H "Authorization: Bearer $PUB_MANAGER"   # takedown date and how it was computed`)
	line(`  # 3. The public register, no token: JSON, Atom, HTML (name, town, offence, court, date, sentence and nothing else)`)
	line(`  curl -s $PUB/public/prosecutions; curl -s $PUB/public/prosecutions.atom; echo "open $PUB/public/prosecutions.html"`)
	line(`  # 4. The appeal succeeds: the entry is gone from every format at once (a takedown event on publication.events.taken_down)`)
	line(`  curl -s -X POST $PUB/decisions/$PID/appeal -H "Authorization: Bearer $PUB_OFFICER" -H 'Content-Type: application/json' \`)
	line(`    -d '{"decided_on":"%s","court":"Maidstone Crown Court"}'`, time.Now().Format(time.DateOnly))
	line(`  curl -s $PUB/public/prosecutions`)
	return b.String()
}
