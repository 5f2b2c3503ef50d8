package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"casework.dev/pkg/postgres"
)

// observer reads, around a phase, what a transition costs and where its time goes: the
// service's /metrics (allocations, GC, the relay's round steps), /proc (CPU time and time
// spent runnable but waiting for a core, for the service, its PostgreSQL backends, the
// broker and the bench itself) and pg_stat_statements.
type observer struct {
	st    *rig
	db    *sqlx.DB // the bench database, as the service's user
	admin *sqlx.DB // superuser on the bench database, for pg_stat_statements; nil without
	why   string   // why admin is nil
}

func newObserver(ctx context.Context, o options, st *rig) (*observer, error) {
	// The observer's counts read every outbox row, and PostgreSQL compiled each (13-27 ms
	// of CPU, three a phase) while the phase's last events were on their way.
	cfg := st.db
	cfg.RuntimeParams = map[string]string{"jit": "off"}
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	ob := &observer{st: st, db: db}
	cfg.User, cfg.Password, cfg.MaxOpenConns = o.pgAdmin, "", 2
	admin, err := postgres.Open(ctx, cfg)
	if err == nil {
		_, err = admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`)
		if err != nil {
			admin.Close()
		}
	}
	if err != nil {
		ob.why = err.Error()
		return ob, nil
	}
	ob.admin = admin
	return ob, nil
}

func (ob *observer) close() {
	ob.db.Close()
	if ob.admin != nil {
		ob.admin.Close()
	}
}

// snapshot is what the observer read at one moment.
type snapshot struct {
	at        time.Time
	families  map[string]*dto.MetricFamily
	service   procTimes
	postgres  procTimes
	broker    procTimes
	bench     procTimes
	outboxMsg int64
}

// procTimes are a set of processes' CPU time and run-queue wait (/proc/<pid>/stat, schedstat).
type procTimes struct{ cpu, runQueue time.Duration }

func (ob *observer) snap(ctx context.Context) (snapshot, error) {
	s := snapshot{at: time.Now()}
	var err error
	if s.families, err = scrape(ctx, ob.st.base+"/metrics"); err != nil {
		return s, err
	}
	s.service = processTimes(ob.st.svc.cmd.Process.Pid)
	s.broker = processTimes(ob.st.broker.pid())
	s.bench = processTimes(os.Getpid())
	var pids []int
	if err := ob.db.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		return s, fmt.Errorf("backends: %w", err)
	}
	for _, pid := range pids {
		t := processTimes(pid)
		s.postgres.cpu += t.cpu
		s.postgres.runQueue += t.runQueue
	}
	if err := ob.db.GetContext(ctx, &s.outboxMsg, `SELECT count(*) FROM `+outboxMessagesSQL); err != nil {
		return s, fmt.Errorf("count outbox: %w", err)
	}
	return s, nil
}

// resetStatements clears pg_stat_statements for the bench database before a phase.
func (ob *observer) resetStatements(ctx context.Context) {
	if ob.admin != nil {
		_, _ = ob.admin.ExecContext(ctx, `SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)`)
	}
}

type statement struct {
	Query   string  `db:"query"`
	Calls   int64   `db:"calls"`
	TotalMs float64 `db:"total_ms"`
	MeanMs  float64 `db:"mean_ms"`
}

// statements returns the bench database's statements since the reset, costliest first.
func (ob *observer) statements(ctx context.Context) ([]statement, error) {
	if ob.admin == nil {
		return nil, fmt.Errorf("pg_stat_statements unavailable: %s", ob.why)
	}
	var out []statement
	err := ob.admin.SelectContext(ctx, &out, `SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS query,
			calls, total_exec_time AS total_ms, mean_exec_time AS mean_ms
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%bench_outbox_messages%'
		ORDER BY total_exec_time DESC`)
	return out, err
}

func scrape(ctx context.Context, url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer res.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	return parser.TextToMetricFamilies(res.Body)
}

// counter is a counter's (or an untyped or gauge metric's) value, summed over its series.
func counter(f map[string]*dto.MetricFamily, name string) float64 {
	var sum float64
	if fam := f[name]; fam != nil {
		for _, m := range fam.GetMetric() {
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue() + m.GetUntyped().GetValue()
		}
	}
	return sum
}

// summaryCountSum reads a summary's count and sum.
func summaryCountSum(f map[string]*dto.MetricFamily, name string) (uint64, float64) {
	if fam := f[name]; fam != nil && len(fam.GetMetric()) > 0 {
		s := fam.GetMetric()[0].GetSummary()
		return s.GetSampleCount(), s.GetSampleSum()
	}
	return 0, 0
}

// histogram is the observations of one histogram series between two scrapes.
type histogram struct {
	bounds []float64 // upper bounds, seconds
	counts []uint64  // cumulative
	count  uint64
	sum    float64
}

func histogramDelta(before, after map[string]*dto.MetricFamily, name, label, value string) histogram {
	find := func(f map[string]*dto.MetricFamily) *dto.Histogram {
		fam := f[name]
		if fam == nil {
			return nil
		}
		for _, m := range fam.GetMetric() {
			if label == "" || slices.ContainsFunc(m.GetLabel(), func(l *dto.LabelPair) bool {
				return l.GetName() == label && l.GetValue() == value
			}) {
				return m.GetHistogram()
			}
		}
		return nil
	}
	a := find(after)
	if a == nil {
		return histogram{}
	}
	b := find(before)
	h := histogram{count: a.GetSampleCount(), sum: a.GetSampleSum()}
	if b != nil {
		h.count -= b.GetSampleCount()
		h.sum -= b.GetSampleSum()
	}
	for i, bk := range a.GetBucket() {
		c := bk.GetCumulativeCount()
		if b != nil && i < len(b.GetBucket()) {
			c -= b.GetBucket()[i].GetCumulativeCount()
		}
		h.bounds = append(h.bounds, bk.GetUpperBound())
		h.counts = append(h.counts, c)
	}
	return h
}

// quantileMs is the upper bound of the bucket holding quantile q, in milliseconds (the
// histogram's resolution: a bucket is twice the one before).
func (h histogram) quantileMs(q float64) float64 {
	if h.count == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.count)))
	for i, c := range h.counts {
		if c >= rank {
			return h.bounds[i] * 1000
		}
	}
	return math.Inf(1)
}

func (h histogram) meanMs() float64 {
	if h.count == 0 {
		return 0
	}
	return h.sum / float64(h.count) * 1000
}

// over is how many observations exceeded the bucket bound at or above ms milliseconds.
func (h histogram) over(ms float64) uint64 {
	for i, b := range h.bounds {
		if b*1000 >= ms {
			return h.count - h.counts[i]
		}
	}
	return 0
}

// String gives the count, mean and quantiles, and how many took over 32 ms: a stall of a
// few rounds hides below a p99 of thousands.
func (h histogram) String() string {
	return fmt.Sprintf("n=%d mean=%.1f p50<=%s p99<=%s over_32ms=%d", h.count, h.meanMs(), ms(h.quantileMs(0.5)),
		ms(h.quantileMs(0.99)), h.over(32))
}

func ms(v float64) string {
	if math.IsInf(v, 1) {
		return "inf"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat (100 on Linux).
const clockTicks = 100

// processTimes sums CPU time (utime+stime) and run-queue wait over all threads of pid;
// zero for a process that is gone.
func processTimes(pid int) procTimes {
	var t procTimes
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return t
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(fields) > 12 {
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		t.cpu = time.Duration(utime+stime) * time.Second / clockTicks
	}
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	for _, task := range tasks {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, task.Name()))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(raw)); len(f) >= 2 {
			wait, _ := strconv.ParseInt(f[1], 10, 64)
			t.runQueue += time.Duration(wait)
		}
	}
	return t
}

// lagProbe measures the bench's own scheduling: how late a 5 ms sleep wakes, and the
// bench process's GC pauses (runtime/metrics), during a phase.
type lagProbe struct {
	stop chan struct{}
	done chan []timedSample
}

// timedSample is one measurement of a probe and when it ended, to set beside the times
// the slowest events arrived.
type timedSample struct {
	at   time.Time
	took time.Duration
}

// probeSamples is what a lagProbe measured over a phase.
type probeSamples []timedSample

func (s probeSamples) percentiles() percentiles {
	d := make([]time.Duration, len(s))
	for i, x := range s {
		d[i] = x.took
	}
	return percentilesOf(d)
}

// windowsOver is how many of the given 100 ms windows hold, or follow, a sample that took
// longer than limit, and the longest sample of all.
func (s probeSamples) windowsOver(limit time.Duration, windows map[int64]bool) (hit int, longest time.Duration) {
	slow := map[int64]bool{}
	for _, x := range s {
		longest = max(longest, x.took)
		if x.took > limit {
			// A stall ending at x.at began x.took before it: mark every window it spans.
			for w := window(x.at.Add(-x.took)); w <= window(x.at); w++ {
				slow[w] = true
			}
		}
	}
	for w := range windows {
		if slow[w] || slow[w-1] {
			hit++
		}
	}
	return hit, longest
}

func startLagProbe() *lagProbe {
	p := &lagProbe{stop: make(chan struct{}), done: make(chan []timedSample, 1)}
	go func() {
		var lags []timedSample
		const period = 5 * time.Millisecond
		for {
			select {
			case <-p.stop:
				p.done <- lags
				return
			default:
			}
			t := time.Now()
			time.Sleep(period)
			now := time.Now()
			lags = append(lags, timedSample{at: now, took: now.Sub(t) - period})
		}
	}()
	return p
}

// startFsyncProbe measures the disk under the broker's store (dir) as a broker with
// sync_interval always uses it: 300 bytes appended and fsynced every 20 ms, 50 a second
// beside the broker's several hundred. At half rate each event waits for such an fsync,
// and one that is slow holds up every message of the stream behind it.
func startFsyncProbe(dir string) *lagProbe {
	p := &lagProbe{stop: make(chan struct{}), done: make(chan []timedSample, 1)}
	go func() {
		var took []timedSample
		defer func() { p.done <- took }()
		f, err := os.CreateTemp(dir, "fsync-probe-")
		if err != nil {
			<-p.stop
			return
		}
		defer os.Remove(f.Name())
		defer f.Close()
		record := make([]byte, 300)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
			t := time.Now()
			if _, err := f.Write(record); err != nil || f.Sync() != nil {
				<-p.stop
				return
			}
			now := time.Now()
			took = append(took, timedSample{at: now, took: now.Sub(t)})
		}
	}()
	return p
}

func (p *lagProbe) finish() probeSamples {
	close(p.stop)
	return <-p.done
}

// gcPauses reads the bench process's own GC pause histogram (runtime/metrics).
func gcPauses() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	return s[0].Value.Float64Histogram()
}

// maxPauseSince is the longest GC pause of this process since before (a bucket's upper bound).
func maxPauseSince(before *metrics.Float64Histogram) (count uint64, longest time.Duration) {
	after := gcPauses()
	if before == nil || after == nil {
		return 0, 0
	}
	for i := range after.Counts {
		if d := after.Counts[i] - before.Counts[i]; d > 0 {
			count += d
			if b := after.Buckets[i+1]; !math.IsInf(b, 1) {
				longest = time.Duration(b * float64(time.Second))
			}
		}
	}
	return count, longest
}

// postgresPageSize is the page size of the PostgreSQL server's shared memory, as a backend
// reads its own memory map (pg_read_file, so as the server's superuser, admin; it works
// wherever the server runs): on 4 kB pages every backend takes a page fault on each page
// of the shared buffers it first touches, which moves the backends' CPU by about a quarter.
func postgresPageSize(ctx context.Context, cfg postgres.Config, admin string) string {
	cfg.User, cfg.Password, cfg.MaxOpenConns = admin, "", 1
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer db.Close()
	var smaps string
	if err := db.GetContext(ctx, &smaps, `SELECT pg_read_file('/proc/self/smaps')`); err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for line := range strings.Lines(smaps) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "KernelPageSize:" && f[1] != "4" {
			return f[1] + " kB huge pages"
		}
	}
	return "4 kB pages (no huge pages reserved: deploy/local/postgres.sh)"
}
