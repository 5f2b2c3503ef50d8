package ports

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"

	"casework.dev/services/rights/internal/app"
)

// responseTemplate is the readable answer to a subject access request: per service, what
// is held, why, where it came from, to whom it was disclosed, how long it is kept and which
// rights apply to it; then whom to complain to about the answer (UK GDPR Art 15(1)).
var responseTemplate = template.Must(template.New("response").Funcs(template.FuncMap{
	"fields": sortedFields,
}).Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Your personal data - {{.Reference}}</title></head>
<body>
<h1>The personal data {{.Controller}} holds about {{.Person}}</h1>
<p>Our reference: {{.Reference}}. Compiled on {{.GeneratedAt.Format "2 January 2006"}} from every service's answer.</p>
{{range .Services}}
<section>
<h2>{{.Title}}</h2>
{{if .Refused}}<p><strong>This service could not answer:</strong> {{.Refused}}</p>{{end}}
{{if not .Records}}<p>We hold no personal data about you in this service.</p>{{else}}
{{range .Records}}
<h3>{{.Kind}} {{.Reference}} (you are the {{.Role}})</h3>
{{with fields .Provided}}<h4>What you gave us</h4><dl>{{range .}}<dt>{{.Name}}</dt><dd>{{.Value}}</dd>{{end}}</dl>{{end}}
{{with fields .Held}}<h4>What we hold about you</h4><dl>{{range .}}<dt>{{.Name}}</dt><dd>{{.Value}}</dd>{{end}}</dl>{{end}}
{{with .Redactions}}<h4>What we left out</h4><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Disclosures}}<h4>Who we shared it with</h4><ul>{{range .Disclosures}}<li>{{.Recipient}}, for {{.Purpose}}, on {{.DisclosedAt.Format "2 January 2006"}}: {{range $i, $c := .Categories}}{{if $i}}, {{end}}{{$c}}{{end}}</li>{{end}}</ul>{{else}}<p>We have not shared this record with anyone.</p>{{end}}
{{if .KeptUntil}}<p>We keep it until {{.KeptUntil}}.</p>{{end}}
{{end}}
<h4>Why we use it</h4><ul>{{range .Purposes}}<li>{{.Label}} ({{.Basis}}): {{.Words}}</li>{{end}}</ul>
<h4>Where it came from</h4><p>You gave it to us, or it came from: {{range $i, $s := .Sources}}{{if $i}}; {{end}}{{$s}}{{end}}.</p>
{{with .Recipients}}<h4>Organisations that received it</h4><ul>{{range .}}<li>{{.Name}}</li>{{end}}</ul>{{end}}
<h4>How long we keep it</h4><ul>{{range .Retention}}<li>{{.}}</li>{{end}}</ul>
{{end}}
{{with .Rights}}<h4>Your rights over this data</h4><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>
{{end}}
<section>
<h2>If you are unhappy with our answer</h2>
{{with .DPO}}<p>Please tell our Data Protection Officer first:</p><ul>{{template "contact" .}}</ul>{{end}}
{{with .Supervisor}}<p>If you are unhappy with how we have dealt with your request, you can ask the {{.Name}} to review our response:</p><ul>{{template "contact" .}}</ul>{{end}}
</section>
</body>
</html>
{{define "contact"}}{{with .Name}}<li>{{.}}</li>{{end}}{{with .Address}}<li>Address: {{.}}</li>{{end}}{{with .Phone}}<li>Phone: {{.}}</li>{{end}}{{with .Email}}<li>Email: {{.}}</li>{{end}}{{with .Website}}<li>Website: {{.}}</li>{{end}}{{end}}`))

type field struct {
	Name  string
	Value any
}

func sortedFields(m map[string]any) []field {
	out := make([]field, 0, len(m))
	for k, v := range m {
		out = append(out, field{Name: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func renderResponse(c *app.Compiled) ([]byte, error) {
	var buf bytes.Buffer
	if err := responseTemplate.Execute(&buf, c); err != nil {
		return nil, fmt.Errorf("render response %s: %w", c.Reference, err)
	}
	return buf.Bytes(), nil
}
