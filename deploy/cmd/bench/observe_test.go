package main

import (
	"os"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

func TestWeightedRoundRobinKeepsTheSharesEvenlyInterleaved(t *testing.T) {
	next := weightedRoundRobin([]float64{0.45, 0.1, 0.45})
	counts := make([]int, 3)
	longestRun, run, previous := 0, 0, -1
	for range 200 {
		i := next()
		counts[i]++
		if i == previous {
			run++
		} else {
			run = 1
		}
		previous = i
		longestRun = max(longestRun, run)
	}
	if counts[0] != 90 || counts[1] != 20 || counts[2] != 90 {
		t.Fatalf("counts %v over 200 picks, want [90 20 90]", counts)
	}
	if longestRun > 2 {
		t.Fatalf("a stream was picked %d times in a row: the shares are not interleaved", longestRun)
	}
}

func family(name string, sum float64, count uint64, cumulative ...uint64) map[string]*dto.MetricFamily {
	h := &dto.Histogram{SampleCount: proto.Uint64(count), SampleSum: proto.Float64(sum)}
	for i, c := range cumulative {
		h.Bucket = append(h.Bucket, &dto.Bucket{UpperBound: proto.Float64(0.001 * float64(int(1)<<i)), CumulativeCount: proto.Uint64(c)})
	}
	return map[string]*dto.MetricFamily{name: {Name: proto.String(name), Metric: []*dto.Metric{{Histogram: h}}}}
}

func TestHistogramDeltaIsTheObservationsBetweenTwoScrapes(t *testing.T) {
	// Buckets of 1, 2, 4 and 8 ms. Before: 10 observations, all under 1 ms. Between the
	// scrapes: 100 more, 50 under 1 ms, 48 in (1, 2], 2 in (4, 8].
	before := family("x", 0.005, 10, 10, 10, 10, 10)
	after := family("x", 0.005+0.120, 110, 60, 108, 108, 110)
	h := histogramDelta(before, after, "x", "", "")
	if h.count != 100 || h.meanMs() < 1.199 || h.meanMs() > 1.201 {
		t.Fatalf("count %d mean %.3f ms, want 100 and 1.2", h.count, h.meanMs())
	}
	if p50, p98, p99 := h.quantileMs(0.5), h.quantileMs(0.98), h.quantileMs(0.99); p50 != 1 || p98 != 2 || p99 != 8 {
		t.Fatalf("p50 %v p98 %v p99 %v ms, want 1, 2 and 8", p50, p98, p99)
	}
	if empty := histogramDelta(before, before, "x", "", ""); empty.count != 0 || empty.quantileMs(0.99) != 0 {
		t.Fatalf("no observations between equal scrapes: %+v", empty)
	}
}

func TestProcessTimesSeeThisProcessUseACore(t *testing.T) {
	start := processTimes(os.Getpid())
	deadline := time.Now().Add(20 * time.Second)
	for x := 0; time.Now().Before(deadline); x++ {
		if x%1_000_000 == 0 && processTimes(os.Getpid()).cpu-start.cpu >= 50*time.Millisecond {
			return
		}
	}
	t.Fatalf("20 s of spinning and /proc shows %s of CPU more", processTimes(os.Getpid()).cpu-start.cpu)
}
