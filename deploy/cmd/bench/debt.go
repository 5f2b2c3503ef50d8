package main

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/deploy/internal/stack"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/postgres"
)

// debtRows is the size of the bulk referral the debt phase sends, and copies.
const debtRows = 100_000

// debtClient is the client the bench refers for.
const debtClient = "maidstone-council-tax"

// debtPhase refers debtRows debts as one streamed CSV file through the debt service's HTTP
// API, then, on the same database, COPYs the rows it stored (case rows and personal data
// rows) into tables of the same shape: every column, index, key and check. That is the
// ceiling: the database's own cost of keeping these referrals as the service keeps them,
// with none of HTTP, parsing, validation, the procedure, events or audit; the ratio is
// what the service adds. For comparison it also COPYs the file's rows into one table of
// the file's six columns with one key (the ceiling of session 2, which no store with the
// rights search's indexes can approach). It prints the service's resident memory before
// the upload and at its peak (VmHWM), which stays flat when the file is streamed. The
// service gets its own database and its own NATS server: the bench's accounts have no
// debt user, and its relay publishing every referral's events is part of its work either
// way.
//
// The machine's speed drifts by half from one minute to the next (the same upload took from
// 13.6 to 23.5 s, its every process using more CPU for the same work), so the phase runs
// o.debtRounds rounds, each on a fresh database and service, and its last line is the round
// with the median ratio.
func debtPhase(ctx context.Context, o options, dbCfg postgres.Config, key string) error {
	var rounds []debtRates
	n := max(o.debtRounds, 1)
	for round := 1; round <= n; round++ {
		rates, err := debtRound(ctx, o, dbCfg, key, fmt.Sprintf("round %d/%d", round, n))
		if err != nil {
			return err
		}
		rounds = append(rounds, rates)
	}
	ratios := make([]string, len(rounds))
	for i, r := range rounds {
		ratios[i] = fmt.Sprintf("%.2f", r.ratio())
	}
	slices.SortFunc(rounds, func(a, b debtRates) int { return cmp.Compare(a.ratio(), b.ratio()) })
	median := rounds[len(rounds)/2]
	fmt.Printf("bench: debt_referrals_per_s=%.0f copy_rows_per_s=%.0f ratio=%.2f (the median of %d rounds' ratios %s)\n",
		median.referPerS, median.copyPerS, median.ratio(), len(rounds), strings.Join(ratios, " "))
	return nil
}

// debtRates are one round's referrals a second through the service and rows a second of
// the ceiling's COPY.
type debtRates struct{ referPerS, copyPerS float64 }

func (r debtRates) ratio() float64 { return r.referPerS / r.copyPerS }

// debtRound is one round of the debt phase, its lines labelled.
func debtRound(ctx context.Context, o options, dbCfg postgres.Config, key, label string) (debtRates, error) {
	dbCfg = dbCfg.WithDatabase(dbCfg.Database + "_debt")
	if err := freshDebtDatabase(ctx, dbCfg); err != nil {
		return debtRates{}, err
	}
	defer dropDatabase(dbCfg)
	loadBefore := loadAverage()
	store, err := os.MkdirTemp("", "casework-bench-debt-nats-")
	if err != nil {
		return debtRates{}, err
	}
	defer os.RemoveAll(store)
	ns, err := natsserver.Start(natsserver.Config{Port: -1, StoreDir: store, ServerName: "casework-bench-debt"})
	if err != nil {
		return debtRates{}, err
	}
	defer ns.Shutdown()
	port, err := stack.FreePort()
	if err != nil {
		return debtRates{}, err
	}
	svc := exec.Command(filepath.Join(o.binDir, "debt"))
	svc.Env = append(os.Environ(),
		"DEBT_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(port),
		"DEBT_DB_PORT="+strconv.Itoa(o.pgPort),
		"DEBT_DB_NAME="+dbCfg.Database,
		"DEBT_NATS_URL="+ns.ClientURL(),
		"DEBT_AUTH_ISSUER=casework-bench",
		"DEBT_AUTH_DEV_SIGNING_KEY="+key,
		"DEBT_LOG_LEVEL=warn",
	)
	svc.Stdout, svc.Stderr = os.Stderr, os.Stderr
	if err := svc.Start(); err != nil {
		return debtRates{}, fmt.Errorf("start %s (run make build first): %w", svc.Path, err)
	}
	defer func() {
		_ = svc.Process.Signal(syscall.SIGTERM)
		_ = svc.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitReady(ctx, base+"/readyz"); err != nil {
		return debtRates{}, err
	}
	rssStart, err := procStatusKiB(svc.Process.Pid, "VmRSS")
	if err != nil {
		return debtRates{}, err
	}

	if err := quiesce(ctx, dbCfg, o.pgAdmin); err != nil {
		return debtRates{}, err
	}
	serviceBefore, postgresBefore, benchBefore, machineBefore := processTimes(svc.Process.Pid), postgresCPU(), processTimes(os.Getpid()), machineBusy()
	report, elapsed, err := referInBulk(ctx, base, key)
	if err != nil {
		return debtRates{}, err
	}
	serviceCPU, postgresUsed, benchCPU, machineCPU := processTimes(svc.Process.Pid).cpu-serviceBefore.cpu, postgresCPU()-postgresBefore,
		processTimes(os.Getpid()).cpu-benchBefore.cpu, machineBusy()-machineBefore
	if report.Accepted != debtRows {
		return debtRates{}, fmt.Errorf("bulk referral accepted %d of %d rows (already referred %d, refused %d)", report.Accepted, debtRows, report.AlreadyReferred, report.Refused)
	}
	peak, err := procStatusKiB(svc.Process.Pid, "VmHWM")
	if err != nil {
		return debtRates{}, err
	}
	// The ceiling starts as the upload did: nothing of the service's left to relay, no
	// checkpoint owed. Its better of two copies is the one the ratio is against.
	uploaded := time.Now()
	if err := quiesce(ctx, dbCfg, o.pgAdmin); err != nil {
		return debtRates{}, err
	}
	quiet := time.Since(uploaded)
	var copies []time.Duration
	for range 2 {
		took, err := copyStoredReferrals(ctx, dbCfg)
		if err != nil {
			return debtRates{}, err
		}
		copies = append(copies, took)
		if err := quiesce(ctx, dbCfg, o.pgAdmin); err != nil {
			return debtRates{}, err
		}
	}
	storedElapsed := min(copies[0], copies[1])
	fileElapsed, err := copyReferrals(ctx, dbCfg)
	if err != nil {
		return debtRates{}, err
	}
	referRate, copyRate, fileRate := debtRows/elapsed.Seconds(), debtRows/storedElapsed.Seconds(), debtRows/fileElapsed.Seconds()
	fmt.Printf("bench: debt %s bulk referral rows=%d in %.1fs (one streamed CSV upload); service rss_mib before=%.0f peak=%.0f (VmHWM); load average %s before, %s after\n",
		label, debtRows, elapsed.Seconds(), float64(rssStart)/1024, float64(peak)/1024, loadBefore, loadAverage())
	fmt.Printf("bench: debt %s bulk referral cpu_s service=%.1f postgres=%.1f bench_and_broker=%.1f machine=%.1f of %.1f (%d cores, busy or waiting on the disk)\n",
		label, serviceCPU.Seconds(), postgresUsed.Seconds(), benchCPU.Seconds(), machineCPU.Seconds(), elapsed.Seconds()*float64(runtime.NumCPU()), runtime.NumCPU())
	fmt.Printf("bench: debt %s copy of the file's rows into one table of the file's six columns (one key) in %.1fs rows_per_s=%.0f ratio=%.2f\n",
		label, fileElapsed.Seconds(), fileRate, referRate/fileRate)
	fmt.Printf("bench: debt %s relayed, vacuumed and checkpointed %.1fs after the upload; copy of the stored rows into tables of the service's shape (cases and personal data, every index, key and check) in %.1fs and %.1fs\n",
		label, quiet.Seconds(), copies[0].Seconds(), copies[1].Seconds())
	fmt.Printf("bench: debt %s referrals_per_s=%.0f copy_rows_per_s=%.0f ratio=%.2f\n", label, referRate, copyRate, referRate/copyRate)
	return debtRates{referRate, copyRate}, nil
}

// quiesce waits until the service's relay has published every committed outbox row, then
// vacuums and checkpoints, so a timed phase neither shares the machine with the last one's
// leftovers (an autovacuum of its 100,000 rows made one copy take 30% longer than the next)
// nor pays for its checkpoint.
func quiesce(ctx context.Context, cfg postgres.Config, admin string) error {
	cfg.User, cfg.Password = admin, "" // CHECKPOINT is a superuser's
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		pending, err := messaging.Pending(ctx, db)
		if err != nil {
			return fmt.Errorf("outbox pending: %w", err)
		}
		if pending == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	for _, statement := range []string{`VACUUM (ANALYZE)`, `CHECKPOINT`} {
		if _, err := db.ExecContext(ctx, statement); err != nil {
			return fmt.Errorf("%s: %w", statement, err)
		}
	}
	return nil
}

// freshDebtDatabase retries freshDatabase for a while: autovacuum, still working on the last
// run's 100,000 rows, is a superuser process that DROP DATABASE ... WITH (FORCE) may not end.
func freshDebtDatabase(ctx context.Context, cfg postgres.Config) error {
	var err error
	for attempt := 0; attempt < 30; attempt++ {
		if err = freshDatabase(ctx, cfg); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
	return err
}

// machineBusy is the time the machine's cores spent on anything but idling (/proc/stat's
// first line: every field but idle), so a phase's figure holds PostgreSQL and the bench too.
func machineBusy() time.Duration {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	var busy int64
	for i, field := range strings.Fields(line)[1:] {
		ticks, _ := strconv.ParseInt(field, 10, 64)
		if i != 3 && i < 8 { // idle is the fourth; guest times are already in user and nice
			busy += ticks
		}
	}
	return time.Duration(busy) * time.Second / clockTicks
}

// postgresCPU is the CPU time of every PostgreSQL process on the machine: the backends, and
// the autovacuum workers, WAL writer and checkpointer their writes set to work.
func postgresCPU() time.Duration {
	var total time.Duration
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if comm, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			total += processTimes(pid).cpu
		}
	}
	return total
}

// loadAverage is the machine's one-minute load average, to say how quiet the run was.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if fields := strings.Fields(string(raw)); err == nil && len(fields) > 0 {
		return fields[0]
	}
	return "unknown"
}

// debtRow is row i of the referral file: the same rows go through HTTP and through COPY.
func debtRow(i int) []string {
	return []string{fmt.Sprintf("BENCH-%06d", i), "2026-01-12", fmt.Sprintf("LO-%06d", i), fmt.Sprintf("Bench Debtor %d", i),
		fmt.Sprintf("%d Bench Street, Maidstone ME14 1AA", i), strconv.Itoa(10_000 + i%500_000)}
}

var debtColumns = []string{"client_reference", "order_date", "order_reference", "debtor_name", "address", "amount_pence"}

type referralReport struct {
	Accepted        int `json:"accepted"`
	AlreadyReferred int `json:"already_referred"`
	Refused         int `json:"refused"`
}

// referInBulk streams the file as it is generated and reads the streamed report; the time
// runs from the first byte sent to the last byte of the report.
func referInBulk(ctx context.Context, base, key string) (referralReport, time.Duration, error) {
	auth := httpserver.AuthConfig{Issuer: "casework-bench", Audience: "casework", DevSigningKey: []byte(key)}
	token, err := httpserver.IssueDevToken(auth, "bench-"+debtClient, "Bench Client", []string{"debt_client", "debt_client:" + debtClient}, 2*time.Hour, time.Now())
	if err != nil {
		return referralReport{}, 0, err
	}
	body, w := io.Pipe()
	go func() {
		out := bufio.NewWriterSize(w, 64<<10)
		fmt.Fprintln(out, strings.Join(debtColumns, ","))
		for i := 1; i <= debtRows; i++ {
			fmt.Fprintf(out, "%s,%s,%s,%s,\"%s\",%s\n", toAny(debtRow(i))...)
		}
		w.CloseWithError(out.Flush())
	}()
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/referrals", body)
	if err != nil {
		return referralReport{}, 0, err
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	started := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return referralReport{}, 0, fmt.Errorf("bulk referral: %w", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	elapsed := time.Since(started)
	if err != nil || res.StatusCode != http.StatusOK {
		return referralReport{}, 0, fmt.Errorf("bulk referral: %d %v: %.300s", res.StatusCode, err, raw)
	}
	var report referralReport
	if err := json.Unmarshal(raw, &report); err != nil {
		return referralReport{}, 0, fmt.Errorf("bulk referral report: %w: ...%.300s", err, raw[max(0, len(raw)-300):])
	}
	return report, elapsed, nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// copyReferrals COPYs the same rows, typed, into a table keyed like the service's cases.
func copyReferrals(ctx context.Context, cfg postgres.Config) (time.Duration, error) {
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_referral_copy (client_id TEXT NOT NULL, client_reference TEXT NOT NULL,
		order_date DATE NOT NULL, order_reference TEXT NOT NULL, debtor_name TEXT NOT NULL, address TEXT NOT NULL,
		amount_pence BIGINT NOT NULL, PRIMARY KEY (client_id, client_reference))`); err != nil {
		return 0, fmt.Errorf("copy table: %w", err)
	}
	started := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("bench_referral_copy", append([]string{"client_id"}, debtColumns...)...))
	if err != nil {
		return 0, fmt.Errorf("copy: %w", err)
	}
	for i := 1; i <= debtRows; i++ {
		if _, err := stmt.ExecContext(ctx, append([]any{debtClient}, toAny(debtRow(i))...)...); err != nil {
			return 0, fmt.Errorf("copy row %d: %w", i, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return 0, fmt.Errorf("copy: %w", err)
	}
	if err := stmt.Close(); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(started), nil
}

// copyStoredReferrals COPYs the rows the service stored for the referrals (its case rows and
// personal data rows, read back untimed) into new tables of the same shape: every column,
// default, check, index (the rights search's expression indexes too) and foreign key. It is
// the database's own cost of storing these referrals as the service keeps them, without
// HTTP, validation, the procedure, events or audit: what the service adds is the ratio.
func copyStoredReferrals(ctx context.Context, cfg postgres.Config) (time.Duration, error) {
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	tables := []struct{ from, to, keys string }{
		{"debt_cases", "bench_cases_copy", "FOREIGN KEY (client_id) REFERENCES debt_clients (id)"},
		{"debt_personal_data", "bench_personal_copy", "FOREIGN KEY (case_id) REFERENCES bench_cases_copy (id)"},
	}
	columns := make([][]string, len(tables))
	rows := make([][][]any, len(tables))
	if _, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS bench_personal_copy, bench_cases_copy`); err != nil {
		return 0, err
	}
	for i, t := range tables {
		if _, err := db.ExecContext(ctx, `CREATE TABLE `+t.to+` (LIKE `+t.from+` INCLUDING ALL, `+t.keys+`)`); err != nil {
			return 0, fmt.Errorf("copy table %s: %w", t.to, err)
		}
		if err := db.SelectContext(ctx, &columns[i], `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, t.from); err != nil {
			return 0, err
		}
		if rows[i], err = readAsText(ctx, db, t.from, columns[i]); err != nil {
			return 0, err
		}
	}
	started := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for i, t := range tables {
		stmt, err := tx.PrepareContext(ctx, pq.CopyIn(t.to, columns[i]...))
		if err != nil {
			return 0, fmt.Errorf("copy %s: %w", t.to, err)
		}
		for _, row := range rows[i] {
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				return 0, fmt.Errorf("copy %s: %w", t.to, err)
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			return 0, fmt.Errorf("copy %s: %w", t.to, err)
		}
		if err := stmt.Close(); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(started), nil
}

// readAsText reads every row of table in PostgreSQL's text form (nil for NULL), which is
// what COPY's text format takes back.
func readAsText(ctx context.Context, db *sqlx.DB, table string, columns []string) ([][]any, error) {
	casts := make([]string, len(columns))
	for i, c := range columns {
		casts[i] = pq.QuoteIdentifier(c) + "::text"
	}
	res, err := db.QueryContext(ctx, `SELECT `+strings.Join(casts, ", ")+` FROM `+table)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer res.Close()
	var rows [][]any
	for res.Next() {
		values := make([]sql.NullString, len(columns))
		dest := make([]any, len(columns))
		for i := range values {
			dest[i] = &values[i]
		}
		if err := res.Scan(dest...); err != nil {
			return nil, err
		}
		row := make([]any, len(columns))
		for i, v := range values {
			if v.Valid {
				row[i] = v.String
			}
		}
		rows = append(rows, row)
	}
	return rows, res.Err()
}

// procStatusKiB reads one "Name: N kB" line of /proc/<pid>/status.
func procStatusKiB(pid int, name string) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, name)
}
