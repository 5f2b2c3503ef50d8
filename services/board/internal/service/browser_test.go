package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"casework.dev/pkg/testkit"
)

// TestTheBoardUpdatesInARealBrowser opens the board in headless Chromium, logs a complaint
// through the complaints service's API (the real binary, on the same database server and
// NATS), and sees the count change without a reload. It leaves a screenshot in docs/.
func TestTheBoardUpdatesInARealBrowser(t *testing.T) {
	board := newEnvAt(t, time.Now)
	complaints := startComplaints(t, board)

	browser := testkit.NewBrowser(t) // skipped without Chromium, failed under CI
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	token := board.token("maya", "complaints_manager")
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1200, 820),
		chromedp.Navigate(board.server.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SetValue(chromedp.ID("token"), token),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-figure="complaints/open"]`)),
	); err != nil {
		t.Fatalf("sign in and open the board: %v", err)
	}
	if open := testkit.PageText(t, ctx, `[data-figure="complaints/open"]`); open != "0" {
		t.Fatalf("open complaints before any: %q", open)
	}
	// Marks this page: a reload would lose it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById("updated").getAttribute("data-live") === "on"`)

	officer := board.token("olive", "complaints_officer")
	created := testkit.Must(t, http.StatusCreated, complaints, "POST", "/complaints", officer, map[string]any{
		"complainant": map[string]any{"name": "Ada Lovelace", "address": "1 High Street, Maidstone ME14 1AA", "email": "ada@example.org"},
		"details":     "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web",
	})
	reference, _ := created["reference"].(string)

	waitFor(t, ctx, `(document.querySelector('[data-figure="complaints/open"]') || {}).textContent === "1"`)
	stage1 := testkit.PageText(t, ctx, `[data-figure="complaints/open/stage1"]`)
	announced := testkit.PageText(t, ctx, `#live`)
	notReloaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	if err != nil {
		t.Fatal(err)
	}
	if stage1 != "1" || !notReloaded || !strings.Contains(announced, "Complaints, Stage 1: 1 open (was 0).") {
		t.Fatalf("stage 1 %q, not reloaded %v, announced %q", stage1, notReloaded, announced)
	}

	// The figure drills down to the complaint's reference, by keyboard alone.
	link := `a[href="/cases?figure=open&service=complaints"]`
	var focused string
	testkit.Eventually(t, 30*time.Second, "focus on "+link, func() (bool, string) { // the live feed may render the link again
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(link))); err != nil {
			return false, err.Error()
		}
		focused, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("href")`))
		return err == nil && focused == "/cases?figure=open&service=complaints", fmt.Sprint(focused, err)
	})
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`[data-reference]`))); err != nil {
		t.Fatalf("drill down: %v", err)
	}
	drilled := testkit.PageText(t, ctx, `[data-reference]`)
	if focused != "/cases?figure=open&service=complaints" || reference == "" || drilled != reference {
		t.Fatalf("focused %q, drilled to %q, want %q", focused, drilled, reference)
	}
	if err := chromedp.Do(ctx, chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`[data-figure="complaints/open"]`))); err != nil {
		t.Fatal(err)
	}

	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(screenshot, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("the screenshot is not a PNG (%d bytes)", len(screenshot))
	}
	// docs/board.png is refreshed on request only, so a test run leaves the work tree as it was.
	dir := t.TempDir()
	if os.Getenv("CASEWORK_UPDATE_SCREENSHOTS") == "1" {
		dir = filepath.Join(repoRoot(t), "docs")
	}
	if err := os.WriteFile(filepath.Join(dir, "board.png"), screenshot, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 740)); err != nil {
		t.Fatal(err)
	}
	if sideways, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || sideways {
		t.Errorf("on a phone the board scrolls sideways (%v)", err)
	}
}

// TestTheDPOSeesBreachDeadlinesInARealBrowser opens the board in headless Chromium as the
// DPO: the breaches whose report to the ICO or whose record's review is due this week or
// overdue drill down to tables that say which deadline is due, which have passed and when
// each record is reviewed; a report made moves the figure without a reload.
func TestTheDPOSeesBreachDeadlinesInARealBrowser(t *testing.T) {
	board := newEnv(t)
	board.seedBreaches()

	browser := testkit.NewBrowser(t) // skipped without Chromium, failed under CI
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1200, 820),
		chromedp.Navigate(board.server.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SetValue(chromedp.ID("token"), board.token("dora", "dpo")),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-figure="rights/overdue"]`)),
	); err != nil {
		t.Fatalf("sign in and open the board: %v", err)
	}
	for key, want := range map[string]string{"rights/open": "5", "rights/open/breach": "5", "rights/due_this_week": "2", "rights/overdue": "3"} {
		if got := testkit.PageText(t, ctx, `[data-figure="`+key+`"]`); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}

	header := []string{"Reference", "Stage", "Status", "Team", "Next deadline", "Due for", "Overdue", "Review due"}
	drill := func(figure string, want [][]string, reviewDates []string) {
		t.Helper()
		link := `a[href="/cases?figure=` + figure + `&service=rights"]`
		follow(t, ctx, link)
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[data-reference]`))); err != nil {
			t.Fatalf("drill down to %s: %v", figure, err)
		}
		table, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](
			`Array.from(document.querySelectorAll("table tr")).map(r => Array.from(r.cells).map(c => c.textContent.trim()))`))
		if err != nil {
			t.Fatal(err)
		}
		if want = append([][]string{header}, want...); !reflect.DeepEqual(table, want) {
			t.Errorf("%s:\n got %q\nwant %q", figure, table, want)
		}
		// Each review date is a machine-readable date, a dash where there is none.
		dates, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("[data-review-due]")).map(c => (c.querySelector("time") || {getAttribute: () => "–"}).getAttribute("datetime"))`))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(dates, reviewDates) {
			t.Errorf("%s: review dates %q, want %q", figure, dates, reviewDates)
		}
		if err := chromedp.Do(ctx, chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`[data-figure="rights/overdue"]`))); err != nil {
			t.Fatal(err)
		}
	}
	// The rights service names no team. A review is due by the end of its date in London.
	drill("overdue", [][]string{
		{"BR-4", "Breach", "Review due", "", "Tue 3 Mar 2026, 00:00", "Review", "Review", "Mon 2 Mar 2026"},
		{"BR-1", "Breach", "Open", "", "Tue 3 Mar 2026, 09:00", "ICO report", "ICO report", "–"},
		{"BR-6", "Breach", "Open", "", "Wed 4 Mar 2026, 09:00", "ICO report", "ICO report", "–"},
	}, []string{"2026-03-02", "–", "–"})
	drill("due_this_week", [][]string{
		{"BR-3", "Breach", "Review due", "", "Thu 5 Mar 2026, 00:00", "Review", "–", "Wed 4 Mar 2026"},
		{"BR-2", "Breach", "Open", "", "Thu 5 Mar 2026, 15:30", "ICO report", "–", "–"},
	}, []string{"2026-03-04", "–"})

	// BR-2 is reported to the ICO: no report is due, and the page says so by itself.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById("updated").getAttribute("data-live") === "on"`)
	board.publish("status.rights.breaches", "0409", breach("0409", "BR-2", "open", "breach.reported", nil, false, "", day(4, 11)))
	waitFor(t, ctx, `(document.querySelector('[data-figure="rights/due_this_week"]') || {}).textContent === "1"`)
	if notReloaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`)); err != nil || !notReloaded {
		t.Fatalf("the page reloaded (%v)", err)
	}
	drill("due_this_week", [][]string{
		{"BR-3", "Breach", "Review due", "", "Thu 5 Mar 2026, 00:00", "Review", "–", "Wed 4 Mar 2026"},
	}, []string{"2026-03-04"})
}

// TestSigningOutInOneTabLeavesTheBoardInEveryTab signs a manager in, opens the board in
// two tabs and a drill-down in a third, and signs out in the first: every tab leaves for the
// sign-in form. Before, the other tabs kept their figures, and the board its live figures,
// with the cookie gone, until the token expired.
func TestSigningOutInOneTabLeavesTheBoardInEveryTab(t *testing.T) {
	board := newEnv(t)
	board.seed()

	browser := testkit.NewBrowser(t) // skipped without Chromium, failed under CI
	first, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(first,
		chromedp.Navigate(board.server.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SetValue(chromedp.ID("token"), board.token("maya", "complaints_manager")),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-figure="complaints/open"]`)),
	); err != nil {
		t.Fatalf("sign in and open the board: %v", err)
	}
	second, _ := chromedp.NewContext(first) // another tab of the same browser
	third, _ := chromedp.NewContext(first)
	if err := chromedp.Do(second, chromedp.Navigate(board.server.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-figure="complaints/open"]`))); err != nil {
		t.Fatalf("the board in a second tab: %v", err)
	}
	waitFor(t, second, `document.getElementById("updated").getAttribute("data-live") === "on"`)
	if err := chromedp.Do(third, chromedp.Navigate(board.server.URL+"/cases?service=complaints&figure=open"),
		chromedp.WaitVisible(chromedp.CSS(`[data-reference]`))); err != nil {
		t.Fatalf("a drill-down in a third tab: %v", err)
	}

	if err := chromedp.Do(first, chromedp.Click(chromedp.CSS(`form.sign-out button`))); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	for name, tab := range map[string]context.Context{"first": first, "second": second, "third": third} {
		// Asked afresh each time: the page navigates away under a question already put.
		testkit.Eventually(t, 30*time.Second, "the "+name+" tab at the sign-in form", func() (bool, string) {
			at, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("token") ? location.pathname : ""`))
			return err == nil && at == "/sign-in", fmt.Sprint(at, err)
		})
		if shown, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector("[data-figure], [data-reference]") !== null`)); err != nil || shown {
			t.Errorf("the %s tab still shows the board after signing out (%v)", name, err)
		}
	}
}

// waitFor polls a JavaScript condition in the page.
// follow clicks the link selector names once it holds still: the board renders its figures
// again as the live feed delivers, and a link found just before that is gone by the click
// ("Could not find node with given id"). A click that lands navigates, and ends the tries.
func follow(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	testkit.Eventually(t, 30*time.Second, "a click on "+selector, func() (bool, string) {
		err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(selector)), chromedp.Click(chromedp.CSS(selector)))
		return err == nil, fmt.Sprint(err)
	})
}

func waitFor(t *testing.T, ctx context.Context, condition string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](condition, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", condition, err)
	}
}

// startComplaints builds and runs the complaints service's own binary against a fresh
// database on the test server and the board's NATS, and returns its URL.
func startComplaints(t *testing.T, board *env) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "complaints")
	build := exec.Command("go", "build", "-o", bin, "casework.dev/services/complaints/cmd/complaints")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build complaints: %v\n%s", err, out)
	}
	_, pg := testkit.NewDatabase(t) // the service migrates it itself
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(),
		"COMPLAINTS_HTTP_ADDR="+addr,
		"COMPLAINTS_DB_HOST="+pg.Host, "COMPLAINTS_DB_PORT="+strconv.Itoa(pg.Port), "COMPLAINTS_DB_NAME="+pg.Database,
		"COMPLAINTS_DB_USER="+pg.User, "COMPLAINTS_DB_PASSWORD="+pg.Password,
		"COMPLAINTS_NATS_URL="+board.nats.URL,
		"COMPLAINTS_AUTH_ISSUER="+board.auth.Issuer, "COMPLAINTS_AUTH_AUDIENCE="+board.auth.Audience,
		"COMPLAINTS_AUTH_DEV_SIGNING_KEY="+string(devKey),
		"COMPLAINTS_RELAY_POLL_INTERVAL=50ms", "COMPLAINTS_LOG_LEVEL=warn",
	)
	cmd.Stdout, cmd.Stderr = testkit.LogWriter{T: t}, testkit.LogWriter{T: t}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		if err := <-exited; err != nil && !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "interrupt") {
			t.Logf("complaints exited: %v", err)
		}
	})
	url := "http://" + addr
	testkit.Eventually(t, 60*time.Second, "complaints ready", func() (bool, string) {
		select {
		case err := <-exited:
			t.Fatalf("complaints exited: %v", err)
		default:
		}
		res, err := http.Get(url + "/readyz")
		if err != nil {
			return false, err.Error()
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK, res.Status
	})
	return url
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// repoRoot is the directory holding go.work.
func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOWORK").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("go env GOWORK: %v %s", err, out)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}
