package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"

	"casework.dev/migrations"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/postgres"
)

// The subject access benchmark's data: people drawn from small vocabularies, each holding
// a handful of records spread over the services, written straight into each service's
// database with one INSERT ... SELECT generate_series per table.
//
// Every record holds one or more person slots; slot g (numbered across all services, in
// sarHolders' order) belongs to person sarPersonOf(g, people). The same function is spelt
// in SQL (sarPersonSQL) for the loaders and in Go for the check of what a search found, so
// a loader that drifted from it makes the check fail rather than the figure look good.

// sarHolder is one service that answers the rights service's find, with how the bench loads
// its cases. Adding a service to the benchmark is one entry here and its load function.
type sarHolder struct {
	name   string // as in contracts/services.yaml
	prefix string // of its case references, e.g. CMP-2026-000042
	// slotsPerCase is how many person slots one case takes (complainants, or the people in a
	// community protection case); role is the role of slot j of case i, "" for an unused one.
	slotsPerCase int
	role         func(i, j int) string
	// load writes cases cases whose first slot is firstSlot, in one transaction.
	load func(ctx context.Context, tx *sqlx.Tx, cases, firstSlot, people int) error
}

var sarHolders = []sarHolder{
	{name: "complaints", prefix: "CMP", slotsPerCase: 1, load: loadComplaints,
		role: func(int, int) string { return "complainant" }},
	{name: "investigations", prefix: "INV", slotsPerCase: 3, load: loadInvestigations, role: investigationRole},
}

// investigationRole: a community protection case has a reporter and a subject, and every
// other one a witness (loadInvestigations writes the same).
func investigationRole(i, j int) string {
	switch {
	case j == 0:
		return "reporter"
	case j == 1:
		return "subject"
	case i%2 == 0:
		return "witness"
	}
	return ""
}

// sarRecordsPerPerson is about how many records one person holds across the services.
const sarRecordsPerPerson = 4

// The vocabularies: 101 first names and 60 x 40 = 2,400 surnames give 242,400 names, so at
// a million cases (500,000 people) a name is shared by about two people, as common names
// are; e-mail and phone are each person's own; 400 house numbers in 42 streets of 12 towns
// give 201,600 addresses, two or three people (a household) at each. A searched person's
// candidates are then their own records and those of about three others.
var (
	sarFirstNames = strings.Fields(`Aisha Alan Amelia Amir Ann Arjun Barbara Ben Bethany Carla Carol Charlotte Chloe
		Christopher Daniel David Deborah Dennis Eleanor Elliot Emily Emma Ethan Fatima Finn Freya Gary George Grace Hannah
		Harry Helen Ian Imran Isla Ivy Jack Jacob James Jane Jessica Joan John Joseph Julie Karen Kate Kevin Laura Leo
		Liam Lily Linda Lucy Luke Maisie Margaret Mark Martin Mary Matthew Mia Michael Mohammed Nadia Naomi Neil Noah
		Olivia Oscar Owen Patricia Paul Peter Phoebe Priya Rachel Rebecca Richard Robert Rosie Ruth Ryan Sam Sarah Scott
		Simon Sophie Stephen Susan Tariq Theo Thomas Tom Tracey Victoria Wendy William Yusuf Zara Zoe`)
	sarSurnamePrefixes = strings.Fields(`Ash Bar Bel Black Bright Brook Bur Cald Car Church Clay Cole Cross Dale Dun Elm
		Fair Farn Field Ford Gar Green Hale Hart Hay Hill Holl King Lang Lock Mar Marsh Mill Moor New North Oak Pen Pres
		Ray Rich Rock Row Shaw Stan Stone Sut Thorn Tren Under Wal West Whit Wil Win Wood Wor Yar Yeo Ald`)
	sarSurnameSuffixes = strings.Fields(`bury by combe croft den field ford gate ham hurst ington land ley low man more
		ridge sey shaw stead ton wald well wick worth ner ell ing brook cliffe dale hall holt lock mer ney port stock
		thwaite wood`)
	sarStreets = strings.Fields(`Acacia_Avenue Albion_Place Ashford_Road Bank_Street Bower_Lane Brewer_Street
		Buckland_Hill Church_Road College_Road Earl_Street Fant_Lane Gabriels_Hill Hart_Street Hayle_Road High_Street
		Holland_Road Hope_Street James_Street King_Street Knightrider_Street Lower_Stone_Street Lucerne_Street Marsham_Street
		Mill_Street Mote_Road Museum_Street Old_Tovil_Road Pudding_Lane Queen_Anne_Road Rocky_Hill Sandling_Road
		Sittingbourne_Road Square_Hill Station_Road Terrace_Road Tonbridge_Road Tufton_Street Union_Street Upper_Fant_Road
		Week_Street Wheeler_Street Wyatt_Street`)
	// sarTowns are towns with their postcode districts.
	sarTowns = strings.Fields(`Maidstone:ME14 Maidstone:ME15 Maidstone:ME16 Aylesford:ME20 Headcorn:TN27 Marden:TN12
		Lenham:ME17 Staplehurst:TN12 Bearsted:ME14 Coxheath:ME17 Harrietsham:ME17 Yalding:ME18`)
)

// sarSurnames is every prefix with every suffix.
func sarSurnames() []string {
	out := make([]string, 0, len(sarSurnamePrefixes)*len(sarSurnameSuffixes))
	for _, p := range sarSurnamePrefixes {
		for _, s := range sarSurnameSuffixes {
			out = append(out, p+s)
		}
	}
	return out
}

// sarPersonOf is the person slot g belongs to: a multiplicative hash, so one person's
// records are scattered over the services and over time.
func sarPersonOf(slot, people int) int {
	return int((uint64(slot) * 2654435761 % (1 << 32)) % uint64(people))
}

// sarPersonSQL is sarPersonOf in SQL over a bigint slot expression.
func sarPersonSQL(slot string) string {
	return fmt.Sprintf("((((%s) * 2654435761) %% 4294967296) %% $1::bigint)", slot)
}

// sarPerson is one person's details as the loaders store them (in a canonical form; the
// stored forms vary, see sarDetailsSQL) and as a search asks for them.
type sarPerson struct {
	Name, Email, Phone, Address, Postcode string
}

// sarPersonAt is person p, the Go twin of sarDetailsSQL.
func sarPersonAt(p int) sarPerson {
	surnames := sarSurnames()
	first := sarFirstNames[p%len(sarFirstNames)]
	last := surnames[(p/len(sarFirstNames))%len(surnames)]
	house := p%400 + 1
	street := strings.ReplaceAll(sarStreets[(p/400)%len(sarStreets)], "_", " ")
	town, district, _ := strings.Cut(sarTowns[(p/(400*len(sarStreets)))%len(sarTowns)], ":")
	postcode := fmt.Sprintf("%s %d%s", district, (p/400)%9+1, sarInward[(p/400)%len(sarInward)])
	return sarPerson{
		Name:     first + " " + last,
		Email:    fmt.Sprintf("%s.%s.%d@example.org", strings.ToLower(first), strings.ToLower(last), p),
		Phone:    fmt.Sprintf("07%09d", uint64(p)*7919%1_000_000_000),
		Address:  fmt.Sprintf("%d %s, %s %s", house, street, town, postcode),
		Postcode: postcode,
	}
}

// sarInward are the letters of a postcode's inward part.
var sarInward = strings.Fields("AA AB BD DE EF GH JL NP QR SW TU XY")

// sarVocabulary is the vocabularies as the loaders' parameters $2 to $6, after people ($1).
func sarVocabulary() []any {
	streets := make([]string, len(sarStreets))
	for i, s := range sarStreets {
		streets[i] = strings.ReplaceAll(s, "_", " ")
	}
	return []any{pq.StringArray(sarFirstNames), pq.StringArray(sarSurnames()), pq.StringArray(streets),
		pq.StringArray(sarTowns), pq.StringArray(sarInward)}
}

// sarDetailsSQL is a lateral subquery giving person p's name, email, phone, address and
// postcode (as d.*), stored in the forms people write them: some names in capitals or
// with doubled spaces, some e-mails in mixed case, phones with spaces or +44, addresses
// with or without commas. Searches normalise both sides (casework.dev/pkg/rightsdata).
// Parameters: $1 people, $2 first names, $3 surnames, $4 streets, $5 towns, $6 inward codes.
func sarDetailsSQL(person, variant string) string {
	return `LATERAL (SELECT
    CASE ` + variant + ` % 5 WHEN 0 THEN upper(f || ' ' || l) WHEN 1 THEN f || '  ' || l ELSE f || ' ' || l END AS name,
    CASE ` + variant + ` % 4 WHEN 0 THEN initcap(lower(f)) || '.' || lower(l) ELSE lower(f) || '.' || lower(l) END
        || '.' || p || '@example.org' AS email,
    CASE ` + variant + ` % 3 WHEN 0 THEN '+44 7' || substr(ph, 1, 3) || ' ' || substr(ph, 4)
        WHEN 1 THEN '07' || substr(ph, 1, 3) || ' ' || substr(ph, 4) ELSE '07' || ph END AS phone,
    (p % 400 + 1) || ' ' || street || CASE ` + variant + ` % 2 WHEN 0 THEN ', ' ELSE ' ' END || town || ' ' || postcode AS address,
    town, postcode
  FROM (SELECT p, ($2::text[])[1 + p % array_length($2::text[], 1)] AS f,
      ($3::text[])[1 + (p / array_length($2::text[], 1)) % array_length($3::text[], 1)] AS l,
      lpad(((p * 7919) % 1000000000)::text, 9, '0') AS ph,
      ($4::text[])[1 + (p / 400) % array_length($4::text[], 1)] AS street,
      split_part(tw, ':', 1) AS town,
      split_part(tw, ':', 2) || ' ' || ((p / 400) % 9 + 1) || ($6::text[])[1 + (p / 400) % array_length($6::text[], 1)] AS postcode
    FROM (SELECT ` + person + ` AS p) pp,
      LATERAL (SELECT ($5::text[])[1 + (p / (400 * array_length($4::text[], 1))) % array_length($5::text[], 1)] AS tw) t) v) d`
}

// loadComplaints writes complaints: seven in ten closed at stage 1, the rest acknowledged.
func loadComplaints(ctx context.Context, tx *sqlx.Tx, cases, firstSlot, people int) error {
	if _, err := tx.ExecContext(ctx, `
INSERT INTO complaints (id, reference, stage, status, service, channel, received_at, stage1_handler,
    stage1_outcome, stage1_responded_at, stage1_on_time, stage1_responded_by, closed_at, retention_due,
    created_at, updated_at, version)
SELECT md5('complaint:' || i)::uuid, 'CMP-' || extract(year FROM at AT TIME ZONE 'Europe/London') || '-' || lpad((i + 1)::text, 6, '0'),
    1, CASE WHEN closed THEN 'closed' ELSE 'stage1_acknowledged' END,
    (ARRAY['waste', 'council-tax', 'planning', 'parking', 'housing', 'street-cleansing', 'environmental-health'])[1 + i % 7],
    (ARRAY['email', 'phone', 'web', 'letter'])[1 + i % 4], at, 'officer-' || i % 40,
    CASE WHEN closed THEN (ARRAY['upheld', 'partly_upheld', 'not_upheld'])[1 + i % 3] END,
    CASE WHEN closed THEN at + interval '12 days' END, CASE WHEN closed THEN true END,
    CASE WHEN closed THEN 'officer-' || i % 40 END,
    CASE WHEN closed THEN at + interval '14 days' END,
    CASE WHEN closed THEN (at + interval '14 days' + interval '6 years')::date END,
    at, at, 1
FROM generate_series(0, $1::bigint - 1) i,
    LATERAL (SELECT `+sarReceivedSQL+` AS at, i % 10 < 7 AS closed) c`, cases); err != nil {
		return fmt.Errorf("complaints: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
INSERT INTO complaint_personal_data (complaint_id, name, address, phone, email, details)
SELECT md5('complaint:' || i)::uuid, d.name, d.address, d.phone, d.email,
    'Bench complaint ' || i || ': the collection was missed again and nobody called back.'
FROM generate_series(0, $7::bigint - 1) i, `+sarDetailsSQL(sarPersonSQL("$8::bigint + i"), "i"), sarPeopleArgs(people, cases, firstSlot)...); err != nil {
		return fmt.Errorf("complaint personal data: %w", err)
	}
	_, err := tx.ExecContext(ctx, `SELECT setval('complaint_reference_seq', $1)`, cases)
	return err
}

// loadInvestigations writes community protection cases, each with a reporter (all their
// details), a subject (name and address) and, in every other case, a witness (name and
// phone): the people a subject access request may find in any role.
func loadInvestigations(ctx context.Context, tx *sqlx.Tx, cases, firstSlot, people int) error {
	for _, q := range []string{`
INSERT INTO investigations (id, reference, area, status, need_to_know, assigned, received_at, closed_at, retention_due,
    retention_rule, next_erasure_due, channel, created_by, created_at, updated_at, version)
SELECT md5('investigation:' || i)::uuid, 'INV-' || extract(year FROM at AT TIME ZONE 'Europe/London') || '-' || lpad((i + 1)::text, 6, '0'),
    (ARRAY['noise', 'anti_social_behaviour', 'odour', 'smoke', 'light', 'drainage', 'vermin_and_pest_control'])[1 + i % 7],
    CASE WHEN closed THEN 'closed' ELSE (ARRAY['received', 'triaged', 'investigating'])[1 + i % 3] END,
    false, ARRAY['officer-' || i % 40], at,
    CASE WHEN closed THEN at + interval '30 days' END,
    CASE WHEN closed THEN (at + interval '30 days' + interval '6 years')::date END,
    CASE WHEN closed THEN 'closure_plus_6_years' ELSE '' END,
    CASE WHEN closed THEN (at + interval '30 days' + interval '6 years')::date END,
    (ARRAY['web', 'phone', 'email'])[1 + i % 3], 'officer-' || i % 40, at, at, 1
FROM generate_series(0, $1::bigint - 1) i, LATERAL (SELECT ` + sarReceivedSQL + ` AS at, i % 10 < 6 AS closed) c`, `
INSERT INTO investigation_case_file (investigation_id, matter_summary, matter_locations, matter_dates, matter_times)
SELECT md5('investigation:' || i)::uuid, 'Bench case ' || i || ': loud music late at night, most weekends.',
    ARRAY[(ARRAY['Week Street', 'Mote Park', 'Brenchley Gardens', 'Lockmeadow'])[1 + i % 4] || ', Maidstone'], '{}', '{}'
FROM generate_series(0, $1::bigint - 1) i`, `
INSERT INTO investigation_people (investigation_id, position, id, role)
SELECT md5('investigation:' || i)::uuid, j, md5('person:' || i || ':' || j)::uuid::text,
    (ARRAY['reporter', 'subject', 'witness'])[j + 1]
FROM generate_series(0, $1::bigint - 1) i, generate_series(0, 2) j WHERE j < 2 OR i % 2 = 0`} {
		if _, err := tx.ExecContext(ctx, q, cases); err != nil {
			return fmt.Errorf("investigations: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `
INSERT INTO investigation_person_data (investigation_id, position, name, address, town, phone, email, proof_of_identity,
    vehicle_registration, date_of_birth)
SELECT md5('investigation:' || i)::uuid, j, d.name,
    CASE WHEN j < 2 THEN d.address ELSE '' END, CASE WHEN j < 2 THEN d.town ELSE '' END,
    CASE WHEN j <> 1 THEN d.phone ELSE '' END, CASE WHEN j = 0 THEN d.email ELSE '' END, '', '', ''
FROM generate_series(0, $7::bigint - 1) i, generate_series(0, 2) j,
    `+sarDetailsSQL(sarPersonSQL("$8::bigint + i * 3 + j"), "(i + j)")+`
WHERE j < 2 OR i % 2 = 0`, sarPeopleArgs(people, cases, firstSlot)...); err != nil {
		return fmt.Errorf("investigation people: %w", err)
	}
	_, err := tx.ExecContext(ctx, `SELECT setval('investigation_reference_seq', $1)`, cases)
	return err
}

// sarReceivedSQL is when case i was received: spread over five years from sarStart, so
// every closed one is still within its retention period and no sweep erases it mid-run.
// sarReceived is its Go twin.
const sarReceivedSQL = `timestamptz '2021-12-01 09:00+00' + ((i * 7919) % 1826) * interval '24 hours' + (i % 480) * interval '1 minute'`

func sarReceived(i int) time.Time {
	return time.Date(2021, 12, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i*7919%1826).Add(time.Duration(i%480) * time.Minute)
}

// sarPeopleArgs are a people statement's parameters: $1 people, $2 to $6 the vocabularies,
// $7 cases, $8 the first slot.
func sarPeopleArgs(people, cases, firstSlot int) []any {
	return append(append([]any{people}, sarVocabulary()...), cases, firstSlot)
}

// sarLoaded is what loading wrote, for the line that reports it.
type sarLoaded struct {
	cases   map[string]int
	total   int
	people  int
	elapsed time.Duration
	took    map[string]time.Duration // by service
}

// loadHolders migrates each holder's fresh database with the service's own migration sets
// and loads its share of cases (total split evenly), then analyses it as autovacuum would.
func loadHolders(ctx context.Context, dbs map[string]postgres.Config, total int) (sarLoaded, error) {
	slots := 0
	shares := map[string]int{}
	for i, h := range sarHolders {
		shares[h.name] = total / len(sarHolders)
		if i < total%len(sarHolders) {
			shares[h.name]++
		}
		slots += shares[h.name] * h.slotsPerCase
	}
	loaded := sarLoaded{cases: shares, total: total, people: max(1, slots/sarRecordsPerPerson), took: map[string]time.Duration{}}
	started := time.Now()
	var (
		g  errgroup.Group
		mu sync.Mutex
	)
	firstSlot := 0
	for _, h := range sarHolders { // each database on its own connection, side by side
		first := firstSlot
		g.Go(func() error {
			began := time.Now()
			if err := loadHolder(ctx, h, dbs[h.name], shares[h.name], first, loaded.people); err != nil {
				return fmt.Errorf("load %s: %w", h.name, err)
			}
			mu.Lock()
			defer mu.Unlock()
			loaded.took[h.name] = time.Since(began)
			return nil
		})
		firstSlot += shares[h.name] * h.slotsPerCase
	}
	err := g.Wait()
	loaded.elapsed = time.Since(started)
	return loaded, err
}

func loadHolder(ctx context.Context, h sarHolder, cfg postgres.Config, cases, firstSlot, people int) error {
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	own, err := migrations.For(h.name)
	if err != nil {
		return err
	}
	if err := postgres.Migrate(ctx, db, bootstrap.CaseMigrations(h.name, own)...); err != nil {
		return err
	}
	if err := postgres.InTx(ctx, db, func(tx *sqlx.Tx) error { return h.load(ctx, tx, cases, firstSlot, people) }); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `ANALYZE`)
	return err
}
