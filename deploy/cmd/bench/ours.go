package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/messaging"
)

// oursResult is the complaints service measured on one stack: saturated, then at half
// the saturated rate.
type oursResult struct {
	sat, half result
	// satLat and halfLat are from each event's occurred_at, satCommit and halfCommit from
	// its transaction's commit (see latencyProbe.fromCommit); the errors say why those are
	// missing, if they are.
	satLat, halfLat, partnerLat percentiles
	satCommit, halfCommit       percentiles
	satCommitErr, halfCommitErr error
	// messagesPerTransition is outbox rows written per committed transition (each needs
	// one broker publish), payloadBytes their mean payload size.
	messagesPerTransition float64
	payloadBytes          int
	streamShares          []float64 // fractions of the messages each stream received
	cost                  []string  // lines on what a transition costs (saturated phase)
	satTail, tail         []string  // lines on where the saturated and half-rate latency goes
	// satDelivered is domain events that reached the consumer during the saturated phase:
	// when the relay falls behind the commits, it is the lower figure.
	satDelivered int64
}

// satRate is transitions per second at saturation: committed, and also delivered to the
// consumer within the phase, as for the peer.
func (r oursResult) satRate() float64 {
	return float64(min(r.sat.committed, r.satDelivered)) / r.sat.elapsed.Seconds()
}

// measureOurs drives the stack's complaints service; detailed adds the cost and
// tail-latency lines.
func measureOurs(ctx context.Context, o options, st *rig, detailed bool) (oursResult, error) {
	var r oursResult
	nc, err := nats.Connect(st.natsURL(), nats.UserInfo("bench", st.acc.passwords["bench"]))
	if err != nil {
		return r, err
	}
	defer nc.Close()
	probe, err := newLatencyProbe(ctx, nc, "COMPLAINTS_EVENTS", "complaints.events.>")
	if err != nil {
		return r, err
	}
	defer probe.stop()
	partner, err := newPartnerProbe(ctx, st.natsURL(), st.acc.passwords[benchPartner])
	if err != nil {
		return r, err
	}
	defer partner.stop()
	driver, err := newDriver(st.base, o.key, o.workers, complaints)
	if err != nil {
		return r, err
	}
	ob, err := newObserver(ctx, o, st)
	if err != nil {
		return r, err
	}
	defer ob.close()

	driver.load(ctx, o.warmup, 0)

	before, err := ob.snap(ctx)
	if err != nil {
		return r, err
	}
	ob.resetStatements(ctx)
	probe.reset()
	r.sat = driver.load(ctx, o.duration, 0)
	r.satDelivered = int64(probe.count())
	// The phase's last events are still on their way: they arrive before the observer's
	// reads of the outbox and /proc compete with them for the two cores.
	r.satLat = probe.settle(ctx, r.sat.committed)
	r.satCommit, r.satCommitErr = probe.fromCommit(ctx, ob.db)
	after, err := ob.snap(ctx)
	if err != nil {
		return r, err
	}
	if r.sat.committed == 0 {
		return r, fmt.Errorf("no transition committed (first error: %s)", r.sat.firstErr)
	}
	r.messagesPerTransition = float64(after.outboxMsg-before.outboxMsg) / float64(r.sat.committed)
	if r.payloadBytes, r.streamShares, err = outboxShape(ctx, ob.db, nc); err != nil {
		return r, err
	}
	if detailed {
		r.cost = costLines(ctx, ob, r.sat, before, after, r.messagesPerTransition)
		r.satTail = tailLines(before, after, r.sat, percentiles{}, 0, 0)
	}

	before, err = ob.snap(ctx)
	if err != nil {
		return r, err
	}
	probe.reset()
	partner.reset()
	lag := startLagProbe()
	var disk *lagProbe
	if detailed {
		disk = startFsyncProbe(st.store)
	}
	gcBefore := gcPauses()
	r.half = driver.load(ctx, o.duration, float64(r.sat.committed)/r.sat.elapsed.Seconds()/2)
	benchLag := lag.finish()
	var diskSync probeSamples
	if disk != nil {
		diskSync = disk.finish()
	}
	benchGCs, benchGCMax := maxPauseSince(gcBefore)
	r.halfLat = probe.settle(ctx, r.half.committed)
	r.halfCommit, r.halfCommitErr = probe.fromCommit(ctx, ob.db)
	r.partnerLat = partner.settle(ctx, r.half.disclosed)
	after, err = ob.snap(ctx)
	if err != nil {
		return r, err
	}
	if detailed {
		r.tail = tailLines(before, after, r.half, benchLag.percentiles(), benchGCs, benchGCMax)
		to, from := probe.split()
		slow, windows, slowTo, slowFrom := probe.slowest()
		fsync := diskSync.percentiles()
		const stall = 20 * time.Millisecond
		fsyncHits, fsyncLongest := diskSync.windowsOver(stall, windows)
		lagHits, lagLongest := benchLag.windowsOver(stall, windows)
		r.tail = append(r.tail, fmt.Sprintf("tail        occurred_to_stream p50_ms=%.1f p99_ms=%.1f stream_to_consumer p50_ms=%.1f p99_ms=%.1f (at the stream's timestamp of each event); the slowest %d arrived in %d windows of 100 ms, medians %.1f ms before the stream and %.1f after it",
			to.p50, to.p99, from.p50, from.p99, slow, len(windows), msOf(slowTo), msOf(slowFrom)),
			fmt.Sprintf("tail        disk fsync of 300 bytes every 20 ms beside the broker's store p50_ms=%.1f p99_ms=%.1f longest_ms=%.1f (n=%d); of the %d windows, %d held or followed an fsync over 20 ms and %d a bench 5ms-sleep over 20 ms late (longest %.1f ms)",
				fsync.p50, fsync.p99, msOf(fsyncLongest), fsync.n, len(windows), fsyncHits, lagHits, msOf(lagLongest)))
	}
	return r, nil
}

// outboxMessagesSQL is the outbox's messages as the relay publishes them, each row's own
// and its companions', with their subjects and payload sizes. The alias names the bench's
// own reads of the outbox, which the cost lines leave out.
var outboxMessagesSQL = `(SELECT metadata->>'_casework_subject' AS subject, octet_length(payload::text) AS size FROM watermill_outbox
	UNION ALL
	SELECT c->>'subject', octet_length((c->'payload')::text)
	FROM watermill_outbox, json_array_elements((metadata->>'` + messaging.CompanionsKey + `')::json) c) bench_outbox_messages`

// outboxShape is the mean payload size of the outbox's messages and the share of them
// each stream captures.
func outboxShape(ctx context.Context, db *sqlx.DB, nc *nats.Conn) (int, []float64, error) {
	var size float64
	if err := db.GetContext(ctx, &size, `SELECT coalesce(avg(size), 0) FROM `+outboxMessagesSQL); err != nil {
		return 0, nil, err
	}
	var subjects []struct {
		Subject string `db:"subject"`
		N       int64  `db:"n"`
	}
	if err := db.SelectContext(ctx, &subjects, `SELECT subject, count(*) AS n FROM `+outboxMessagesSQL+` GROUP BY 1`); err != nil {
		return 0, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return 0, nil, err
	}
	byStream := map[string]int64{}
	var total int64
	for _, s := range subjects {
		name, err := js.StreamNameBySubject(ctx, s.Subject)
		if err != nil {
			return 0, nil, fmt.Errorf("stream of %s: %w", s.Subject, err)
		}
		byStream[name] += s.N
		total += s.N
	}
	var shares []float64
	for _, name := range slices.Sorted(maps.Keys(byStream)) {
		shares = append(shares, float64(byStream[name])/float64(total))
	}
	return int(size), shares, nil
}

func costLines(ctx context.Context, ob *observer, sat result, before, after snapshot, perTransition float64) []string {
	n := float64(sat.committed)
	requests := float64(sat.committed + sat.failed)
	per1000 := func(d time.Duration) float64 { return d.Seconds() / n * 1000 }
	allocs := (counter(after.families, "go_memstats_mallocs_total") - counter(before.families, "go_memstats_mallocs_total")) / requests
	lines := []string{fmt.Sprintf("cost        service cpu_s_per_1000=%.2f postgres_backends cpu_s_per_1000=%.2f broker cpu_s_per_1000=%.2f bench cpu_s_per_1000=%.2f allocs_per_request=%.0f messages_per_transition=%.2f",
		per1000(after.service.cpu-before.service.cpu), per1000(after.postgres.cpu-before.postgres.cpu),
		per1000(after.broker.cpu-before.broker.cpu), per1000(after.bench.cpu-before.bench.cpu), allocs, perTransition)}
	stmts, err := ob.statements(ctx)
	if err != nil {
		return append(lines, "cost        postgres: "+err.Error())
	}
	var total float64
	var calls int64
	for _, s := range stmts {
		total += s.TotalMs
		calls += s.Calls
	}
	lines = append(lines, fmt.Sprintf("cost        postgres exec_ms_per_transition=%.3f statements_per_transition=%.1f (pg_stat_statements, reset before the phase)",
		total/n, float64(calls)/n))
	for _, s := range stmts[:min(5, len(stmts))] {
		lines = append(lines, fmt.Sprintf("cost          %5.1f%% calls=%d mean_ms=%.3f %s", 100*s.TotalMs/total, s.Calls, s.MeanMs, s.Query))
	}
	return lines
}

func tailLines(before, after snapshot, phase result, benchLag percentiles, benchGCs uint64, benchGCMax time.Duration) []string {
	n := float64(phase.committed)
	perTransition := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
	relay := func(name, label, value string) histogram {
		return histogramDelta(before.families, after.families, name, label, value)
	}
	gcCount, gcSum := summaryCountSum(after.families, "go_gc_duration_seconds")
	gcCount0, gcSum0 := summaryCountSum(before.families, "go_gc_duration_seconds")
	lines := []string{
		"tail        relay round " + relay("casework_outbox_relay_round_seconds", "", "").String(),
		"tail        relay wake_wait " + relay("casework_outbox_relay_wake_wait_seconds", "", "").String(),
	}
	for _, step := range []string{"lock", "read", "publish", "advance", "unlock"} {
		lines = append(lines, fmt.Sprintf("tail        relay step %-8s %s", step, relay("casework_outbox_relay_step_seconds", "step", step)))
	}
	lines = append(lines,
		fmt.Sprintf("tail        run-queue wait ms per transition: service=%.2f postgres_backends=%.2f broker=%.2f bench=%.2f",
			perTransition(after.service.runQueue-before.service.runQueue),
			perTransition(after.postgres.runQueue-before.postgres.runQueue),
			perTransition(after.broker.runQueue-before.broker.runQueue),
			perTransition(after.bench.runQueue-before.bench.runQueue)),
		fmt.Sprintf("tail        service gc pauses=%d total_ms=%.1f", gcCount-gcCount0, (gcSum-gcSum0)*1000))
	if benchLag.n > 0 {
		lines[len(lines)-1] += fmt.Sprintf("; bench gc pauses=%d longest_ms<=%.2f; bench 5ms-sleep lateness p50_ms=%.1f p99_ms=%.1f",
			benchGCs, float64(benchGCMax.Microseconds())/1000, benchLag.p50, benchLag.p99)
	}
	return lines
}

func (r oursResult) print(st *rig) {
	name := "saturated"
	if !st.syncAlways {
		name = "default-fsync saturated"
	}
	fmt.Printf("bench: %-11s transitions=%d errors=%d per_s=%.0f delivered_in_phase=%d %s%s\n",
		name, r.sat.committed, r.sat.failed, float64(r.sat.committed)/r.sat.elapsed.Seconds(), r.satDelivered,
		latencies(r.satCommit, r.satCommitErr, r.satLat), firstError(r.sat))
	for _, l := range r.cost {
		fmt.Println("bench: " + l)
	}
	for _, l := range r.satTail {
		fmt.Println("bench: saturated " + l)
	}
	name = "half-rate"
	if !st.syncAlways {
		name = "default-fsync half-rate"
	}
	fmt.Printf("bench: %-11s transitions=%d errors=%d per_s=%.0f %s%s\n",
		name, r.half.committed, r.half.failed, float64(r.half.committed)/r.half.elapsed.Seconds(),
		latencies(r.halfCommit, r.halfCommitErr, r.halfLat), firstError(r.half))
	fmt.Printf("bench: %-11s occurred_to_partner p50_ms=%.1f p99_ms=%.1f (n=%d, %s's own account)\n",
		name, r.partnerLat.p50, r.partnerLat.p99, r.partnerLat.n, benchPartner)
	for _, l := range r.tail {
		fmt.Println("bench: " + l)
	}
}

// latencies says a phase's time from commit to consumer, then from occurred_at.
func latencies(fromCommit percentiles, commitErr error, fromOccurred percentiles) string {
	commit := fmt.Sprintf("commit_to_consumer unknown (%v)", commitErr)
	if commitErr == nil {
		commit = fmt.Sprintf("commit_to_consumer p50_ms=%.1f p99_ms=%.1f", fromCommit.p50, fromCommit.p99)
	}
	return fmt.Sprintf("%s occurred_to_consumer p50_ms=%.1f p99_ms=%.1f (n=%d)", commit, fromOccurred.p50, fromOccurred.p99, fromOccurred.n)
}

// halfRateLatency is the half-rate phase's time from commit to consumer, or from
// occurred_at when the commit's time is unknown.
func (r oursResult) halfRateLatency() percentiles {
	if r.halfCommitErr != nil {
		return r.halfLat
	}
	return r.halfCommit
}

func firstError(r result) string {
	if r.firstErr == "" {
		return ""
	}
	return fmt.Sprintf(" first_error=%q", r.firstErr)
}
