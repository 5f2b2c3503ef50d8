package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"casework.dev/pkg/testkit"
)

// TestRegisterPageInARealBrowser opens the public register as a resident would, in headless
// Chromium: the published entry is in an accessible table of exactly the six columns, the
// skip link leads to it by keyboard, and after a successful appeal the page no longer shows it.
func TestRegisterPageInARealBrowser(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-0000000000b1", "", aConviction())
	id := e.waitForDecisions(1)[0]
	e.publish(id, aDraft())

	browser := testkit.NewBrowser(t)
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	page := e.Server.URL + "/public/prosecutions.html"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("table"))); err != nil {
		t.Fatalf("open the register: %v", err)
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil || lang != "en-GB" {
		t.Errorf("page language %q (%v)", lang, err)
	}
	headers, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("thead th[scope=col]")].map(th => th.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Name|Town|Offence|Court|Date of conviction|Sentence"; strings.Join(headers, "|") != want {
		t.Fatalf("columns %q, want %s", headers, want)
	}
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("tbody tr td")].map(td => td.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Sam Subject", "Maidstone", "Breach of a noise abatement notice (EPA 1990 s80(4))",
		"Maidstone Magistrates' Court", "20 February 2026", "Fine of GBP 1,200"}
	if strings.Join(cells, "|") != strings.Join(want, "|") {
		t.Fatalf("the one row shows %q, want %q", cells, want)
	}
	// Keyboard: the first Tab reaches the skip link, which names where it leads.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("href")`))
	if err != nil || focused != "#main" {
		t.Errorf("first Tab focuses %q (%v), want the skip link to #main", focused, err)
	}

	e.Must(200, "POST", "/decisions/"+id+"/appeal", e.officer("olive"),
		map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court"})
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	if body := testkit.PageText(t, ctx, "main"); strings.Contains(body, "Sam Subject") || !strings.Contains(body, "No prosecutions are published") {
		t.Fatalf("after the appeal the page still reads: %s", body)
	}
}
