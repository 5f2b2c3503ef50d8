package ports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"net/http"
	"strings"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// registerEntry is the whole of what the public register shows of a conviction: these six
// fields and nothing else, in every format.
type registerEntry struct {
	Name     string `json:"name"`
	Town     string `json:"town"`
	Offence  string `json:"offence"`
	Court    string `json:"court"`
	Date     string `json:"date"` // YYYY-MM-DD, date of conviction
	Sentence string `json:"sentence"`
}

func entryOf(c domain.Conviction) registerEntry {
	date := ""
	if !c.Date.IsZero() {
		date = c.Date.String()
	}
	return registerEntry{Name: c.Name, Town: c.Town, Offence: c.Offence, Court: c.Court, Date: date, Sentence: c.Sentence}
}

// title is an Atom entry's title: the name, "of" the town when there is one (as the press
// release words it), and the offence.
func (e registerEntry) title() string {
	who := e.Name
	if e.Town != "" {
		who += " of " + e.Town
	}
	return who + ": " + e.Offence
}

// registerMaxAge bounds how long a cache may serve the register: a takedown reaches every
// reader within five minutes.
const registerMaxAge = "public, max-age=300"

// Register is the public register of successful prosecutions: JSON, an Atom feed and an
// accessible HTML page, for anyone, with no token.
type Register struct {
	svc *app.Service
}

// NewRegister serves svc's register.
func NewRegister(svc *app.Service) Register { return Register{svc: svc} }

func (g Register) entries(r *http.Request) ([]registerEntry, error) {
	convictions, err := g.svc.Register(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]registerEntry, len(convictions))
	for i, c := range convictions {
		out[i] = entryOf(c)
	}
	return out, nil
}

// JSON is GET /public/prosecutions.
func (g Register) JSON(w http.ResponseWriter, r *http.Request) error {
	entries, err := g.entries(r)
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string][]registerEntry{"prosecutions": entries})
	if err != nil {
		return err
	}
	return serveCached(w, r, "application/json", append(body, '\n'))
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Content atomText `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// Atom is GET /public/prosecutions.atom.
func (g Register) Atom(w http.ResponseWriter, r *http.Request) error {
	entries, err := g.entries(r)
	if err != nil {
		return err
	}
	controller := g.svc.Notice().Controller.Name
	feed := atomFeed{ID: "urn:casework:publication:register", Title: "Successful prosecutions - " + controller,
		Updated: g.svc.Now().Truncate(24 * time.Hour).Format(time.RFC3339), Author: atomPerson{Name: controller},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: "prosecutions.atom"},
			{Rel: "alternate", Type: "text/html", Href: "prosecutions.html"}}}
	for _, e := range entries {
		feed.Entries = append(feed.Entries, atomEntry{ID: entryID(e), Title: e.title(),
			Updated: e.Date + "T00:00:00Z", Content: atomText{Type: "text", Text: "Convicted at " + e.Court + " on " + e.Date + ". Sentence: " + e.Sentence + "."}})
	}
	body, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	return serveCached(w, r, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), append(body, '\n')...))
}

// entryID is a stable Atom id made from the entry's own six fields, so the feed carries no
// identifier beyond what it shows.
func entryID(e registerEntry) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{e.Name, e.Town, e.Offence, e.Court, e.Date, e.Sentence}, "\x00")))
	return "urn:casework:publication:entry:" + hex.EncodeToString(sum[:12])
}

var page = template.Must(template.New("register").Funcs(template.FuncMap{"longDate": longDate}).Parse(`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Successful prosecutions - {{.Controller}}</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:72rem;padding:1rem;color:#0b0c0c;background:#fff}
a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
.skip{position:absolute;left:-999px}.skip:focus{position:static}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:bold;padding:.5rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.5rem;text-align:left;vertical-align:top}
</style>
</head>
<body>
<a class="skip" href="#main">Skip to the register</a>
<header><p>{{.Controller}}</p></header>
<main id="main">
<h1>Successful prosecutions</h1>
<p>The council publishes the outcome of successful prosecutions it brings, after deciding in each case that publishing is in the public interest and fair to the person convicted. Each entry stays for a limited time and is removed when the conviction becomes spent or an appeal succeeds.</p>
{{if .Entries}}
<table>
<caption>Prosecutions currently published ({{len .Entries}})</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Town</th><th scope="col">Offence</th><th scope="col">Court</th><th scope="col">Date of conviction</th><th scope="col">Sentence</th></tr></thead>
<tbody>
{{range .Entries}}<tr><td>{{.Name}}</td><td>{{.Town}}</td><td>{{.Offence}}</td><td>{{.Court}}</td><td><time datetime="{{.Date}}">{{longDate .Date}}</time></td><td>{{.Sentence}}</td></tr>
{{end}}</tbody>
</table>
{{else}}
<p>No prosecutions are published at the moment.</p>
{{end}}
<p>Also available as <a href="prosecutions">JSON</a> and as an <a href="prosecutions.atom">Atom feed</a>. <a href="/notice">How we use personal data in publishing prosecutions</a>.</p>
</main>
</body>
</html>
`))

func longDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}

// HTML is GET /public/prosecutions.html.
func (g Register) HTML(w http.ResponseWriter, r *http.Request) error {
	entries, err := g.entries(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, map[string]any{"Controller": g.svc.Notice().Controller.Name, "Entries": entries}); err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	return serveCached(w, r, "text/html; charset=utf-8", buf.Bytes())
}

// serveCached writes a register body with a strong ETag, answering 304 to a matching
// If-None-Match, and lets caches keep it only briefly.
func serveCached(w http.ResponseWriter, r *http.Request, contentType string, body []byte) error {
	return httpserver.ServeBody(w, r, contentType, registerMaxAge, body)
}
