package ports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
)

// pages are the board's templates, each the layout with its own content.
type pages map[string]*template.Template

var pageNames = []string{"board", "cases", "sign-in", "error"}

func parsePages() (pages, error) {
	funcs := template.FuncMap{"label": label, "href": href, "london": london, "figureKey": figureKey, "deadline": deadline,
		"day": day, "deref": func(b *bool) bool { return b != nil && *b }}
	out := pages{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/figures.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("board page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

func (p pages) render(w io.Writer, name string, data pageData) error {
	return p[name].ExecuteTemplate(w, "layout.html", data)
}

// figures renders the board's figures alone, for a live update.
func (p pages) figures(s app.Summary) (string, error) {
	var b bytes.Buffer
	err := p["board"].ExecuteTemplate(&b, "figures", pageData{Summary: s})
	return b.String(), err
}

// pageData is what a page shows.
type pageData struct {
	Title     string
	SignedIn  *httpserver.Principal
	Summary   app.Summary
	Query     app.CaseQuery
	Cases     []app.CaseRow
	Limit     int
	Answers   bool // the cases are answers: show when and whether on time
	DueFor    bool // some case names what its next deadline is due for: show it
	Reviews   bool // some case is a record kept for review: show its review date
	Problem   *httpserver.Problem
	Error     string
	Notice    string
	RequestID string
}

func (h *handlers) sendPage(w http.ResponseWriter, status int, name string, data pageData) error {
	var b bytes.Buffer
	if err := h.pages.render(&b, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(b.Bytes())
	return err
}

func (h *handlers) board(w http.ResponseWriter, r *http.Request, s session) error {
	sum, err := h.cfg.Service.Summary(r.Context(), s.services)
	if err != nil {
		return err
	}
	return h.sendPage(w, http.StatusOK, "board", pageData{Title: "Casework board", SignedIn: &s.principal, Summary: sum})
}

func (h *handlers) cases(w http.ResponseWriter, r *http.Request, s session) error {
	q, err := h.figureOf(r, s)
	if err != nil {
		return err
	}
	rows, err := h.cfg.Service.Cases(r.Context(), q)
	if err != nil {
		return err
	}
	title := label(q.Service) + ": " + figureTitle(q.Figure)
	if q.Stage != "" {
		title += ", " + label(q.Stage)
	}
	data := pageData{Title: title, SignedIn: &s.principal, Query: q, Cases: rows, Limit: h.cfg.Service.Limit(),
		Answers: q.Figure == domain.FigureAnswered || q.Figure == domain.FigureAnsweredOnTime}
	// The columns only some services' cases fill are shown where a listed case fills them,
	// so a complaints manager's list gains no empty ones.
	for _, c := range rows {
		data.DueFor = data.DueFor || c.NextDue != ""
		data.Reviews = data.Reviews || c.ReviewDueOn != ""
	}
	return h.sendPage(w, http.StatusOK, "cases", data)
}

func (h *handlers) signInForm(w http.ResponseWriter, r *http.Request) error {
	data := pageData{Title: "Sign in to the board"}
	if r.URL.Query().Get("expired") != "" {
		data.Notice = "Your token has expired or is no longer valid. Sign in again with a new one."
	}
	return h.sendPage(w, http.StatusOK, "sign-in", data)
}

// signIn checks a pasted token and keeps it in the cookie; a refused token changes nothing.
func (h *handlers) signIn(w http.ResponseWriter, r *http.Request) error {
	if !sameOrigin(r) {
		return httpserver.Forbidden("the sign-in form must be posted from the board's own page")
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return httpserver.UnsupportedMediaType("sign in with a form (application/x-www-form-urlencoded) holding token")
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return httpserver.Validation("the form could not be read",
			httpserver.FieldError{Parameter: "token", Detail: fmt.Sprintf("at most %d bytes, form-encoded", MaxBodyBytes)})
	}
	if n := len(r.PostForm["token"]); n > 1 {
		return httpserver.Validation("the form gives the token more than once",
			httpserver.FieldError{Parameter: "token", Detail: fmt.Sprintf("given %d times; send one", n)})
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	refuse := func(status int, p *httpserver.Problem) error {
		if !wantsHTML(r) {
			return p
		}
		return h.sendPage(w, status, "sign-in", pageData{Title: "Sign in to the board", Error: p.Detail})
	}
	if token == "" {
		return refuse(http.StatusBadRequest, httpserver.Validation("paste your bearer token to sign in",
			httpserver.FieldError{Parameter: "token", Detail: "is required"}))
	}
	p, err := h.cfg.Auth.Authenticate(r.Context(), token)
	if err != nil {
		return refuse(http.StatusUnauthorized, httpserver.Unauthenticated("this token was refused: "+err.Error()))
	}
	if len(app.Visible(h.cfg.Services, p.Roles)) == 0 {
		return refuse(http.StatusForbidden, forbiddenNoBoard(h.cfg.Services))
	}
	h.setCookie(w, token, 0)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (h *handlers) signOut(w http.ResponseWriter, r *http.Request) error {
	if !sameOrigin(r) {
		return httpserver.Forbidden("sign out from the board's own page")
	}
	h.setCookie(w, "", -1)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

func (h *handlers) summaryJSON(w http.ResponseWriter, r *http.Request, s session) error {
	sum, err := h.cfg.Service.Summary(r.Context(), s.services)
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, sum)
}

func (h *handlers) casesJSON(w http.ResponseWriter, r *http.Request, s session) error {
	q, err := h.figureOf(r, s)
	if err != nil {
		return err
	}
	rows, err := h.cfg.Service.Cases(r.Context(), q)
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"service": q.Service, "figure": q.Figure, "stage": q.Stage, "cases": rows})
}

var stageNumber = regexp.MustCompile(`^stage(\d+)$`)

// label turns a service, stage or area name into words: "stage1" is "Stage 1",
// "noise_nuisance" is "Noise nuisance".
func label(name string) string {
	if m := stageNumber.FindStringSubmatch(name); m != nil {
		return "Stage " + m[1]
	}
	words := strings.ReplaceAll(name, "_", " ")
	if words == "" {
		return ""
	}
	return strings.ToUpper(words[:1]) + words[1:]
}

func figureTitle(f domain.Figure) string {
	switch f {
	case domain.FigureOpen:
		return "open cases"
	case domain.FigureDueThisWeek:
		return "due this week"
	case domain.FigureOverdue:
		return "overdue"
	case domain.FigureAnsweredOnTime:
		return "answered on time this month"
	case domain.FigureAnswered:
		return "answered this month"
	}
	return string(f)
}

// href is the drill-down page of a figure.
func href(service string, figure domain.Figure, stage string) string {
	q := url.Values{"service": {service}, "figure": {string(figure)}}
	if stage != "" {
		q.Set("stage", stage)
	}
	return "/cases?" + q.Encode()
}

// figureKey names one number on the page, for the live update and for tests.
func figureKey(service string, figure domain.Figure, stage string) string {
	key := service + "/" + string(figure)
	if stage != "" {
		key += "/" + stage
	}
	return key
}

// deadlineWords are the named deadlines in words; any other name is shown as it is (a
// complaint's stage1.respond, a rights request's due).
var deadlineWords = map[string]string{"ico_report": "ICO report", "review": "Review"}

// deadline says which deadline a name is, in words.
func deadline(name string) string {
	if w, ok := deadlineWords[name]; ok {
		return w
	}
	return name
}

// day shows a date (YYYY-MM-DD) as a council officer reads it; anything else as it is.
func day(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return d.Format("Mon 2 Jan 2006")
}

// london shows an instant (a time.Time or *time.Time) as a council officer reads it.
func london(v any) string {
	var t time.Time
	switch v := v.(type) {
	case time.Time:
		t = v
	case *time.Time:
		if v == nil {
			return ""
		}
		t = *v
	default:
		return ""
	}
	return t.In(domain.London).Format("Mon 2 Jan 2006, 15:04")
}
