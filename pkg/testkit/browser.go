package testkit

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium; deploy/local/chromium.sh installs it and make test runs
// that first.
const ChromiumPath = "/usr/bin/chromium"

// NewBrowser starts headless Chromium for a test and returns its context; it stops with the
// test. Without Chromium the test fails under CI (which must have installed it) and is
// skipped elsewhere.
func NewBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must run deploy/local/chromium.sh (make test does)", ChromiumPath)
		}
		t.Skipf("%s is missing: run deploy/local/chromium.sh (make test does)", ChromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // as root, as CI runs
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		// The machine has no network: without these Chromium keeps trying to reach its hosts.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline on it
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// PageText is the trimmed text of the first element selector matches, once one does. It is
// read in the page in one step: a live page may replace the element between a query and a
// separate read of its text.
func PageText(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	quoted, err := json.Marshal(selector)
	if err != nil {
		t.Fatal(err)
	}
	// One element in an array, so that an empty text is still truthy and ends the poll.
	expr := `(() => { const e = document.querySelector(` + string(quoted) + `); return e ? [e.textContent] : null })()`
	text, err := chromedp.Run(ctx, chromedp.Poll[[]string](expr))
	if err != nil || len(text) != 1 {
		t.Fatalf("text of %s: %v", selector, err)
	}
	return strings.TrimSpace(text[0])
}
