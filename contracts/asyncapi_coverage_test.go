package contracts_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"casework.dev/contracts"
	"casework.dev/contracts/events"
	"casework.dev/contracts/rights"
)

// These tests read the committed document against the sources it must cover, not against
// the generator: a subject or payload field a service publishes and the document lacks
// fails here with its name.

// TestAsyncAPIDocumentHasEverySubjectOfContractsEvents: every subject and subject prefix
// contracts/events declares is an address (or an address's fixed start) of the document.
func TestAsyncAPIDocumentHasEverySubjectOfContractsEvents(t *testing.T) {
	channels := readChannels(t)
	consts, err := eventConstants()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for name, value := range consts {
		if !strings.Contains(value, ".") {
			continue // a purpose or vocabulary, not a subject
		}
		checked++
		if !channels.cover(value) {
			t.Errorf("events.%s = %q is on no channel of %s", name, value, asyncAPIFile)
		}
	}
	if checked < 20 {
		t.Fatalf("only %d subjects found in contracts/events", checked)
	}
}

// TestAsyncAPIDocumentHasEveryFamilyEveryServicePublishes: each family services.yaml says a
// service publishes has its channel, and each recipient and purpose a notice allows has
// the channel its disclosures travel on, carrying the service's disclosure payload.
func TestAsyncAPIDocumentHasEveryFamilyEveryServicePublishes(t *testing.T) {
	channels := readChannels(t)
	services, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range services {
		for _, family := range svc.Publishes {
			switch family {
			case contracts.FamilyEvents:
				channels.want(t, svc.Name+".events.", svc.Name+"Events")
			case contracts.FamilyStatus:
				channels.want(t, "status."+svc.Name+".", svc.Name+"Status")
			case contracts.FamilyDeadLetter:
				channels.want(t, "deadletter."+svc.Name+".", svc.Name+"DeadLetters")
			case contracts.FamilyShare:
				recipients, err := noticeRecipients(svc.Name)
				if err != nil {
					t.Fatal(err)
				}
				if len(recipients) == 0 {
					t.Errorf("%s publishes disclosures but its notice names no recipient", svc.Name)
				}
				for _, r := range recipients {
					for _, suffix := range shareSubjectSuffixes(svc.Name, r.purposes) {
						subject := events.ShareSubject(r.id, svc.Name, suffix)
						c := channels.matching(subject)
						if c == nil {
							t.Errorf("%s: no channel for the disclosures to %s (%s)", svc.Name, r.id, subject)
							continue
						}
						if !strings.HasSuffix(c.message, "Disclosure") && !strings.Contains(c.message, "DisclosureWith") {
							t.Errorf("%s carries %s, not a disclosure", subject, c.message)
						}
					}
				}
			default:
				t.Errorf("%s publishes family %q, which this test does not know", svc.Name, family)
			}
		}
	}
}

// TestAsyncAPIDocumentHasEveryPayloadField reads the payload types from source: each struct
// of contracts/events, the requests and replies of contracts/rights and pkg/rightsreply's
// envelope. The document has a schema for each whose properties are exactly its JSON
// fields, required unless omitempty.
func TestAsyncAPIDocumentHasEveryPayloadField(t *testing.T) {
	doc := readAsyncAPI(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	payloads, err := payloadFields("events/*.go")
	if err != nil {
		t.Fatal(err)
	}
	delete(payloads, "Value")      // vocab.go's helper, not a payload
	delete(payloads, "Disclosure") // the shape each service's disclosure is defined as, published under the service's name
	if len(payloads) < 16 {
		t.Fatalf("only %d payload types found in contracts/events", len(payloads))
	}
	protocol, err := payloadFields("rights/rights.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rightsVerbs {
		for _, typ := range []string{reflect.TypeOf(v.request).Name(), reflect.TypeOf(v.reply).Name()} {
			payloads[typ] = protocol[typ]
		}
	}
	envelope, err := payloadFields("../pkg/rightsreply/rightsreply.go")
	if err != nil {
		t.Fatal(err)
	}
	payloads["RightsReply"], payloads["RightsReplyRefusal"] = envelope["envelope"], envelope["Refusal"]
	for typ, fields := range payloads {
		if len(fields) == 0 {
			t.Errorf("%s: no JSON fields read from its source", typ)
			continue
		}
		s, ok := schemas[typ].(map[string]any)
		if !ok {
			t.Errorf("%s is a payload with no schema in %s", typ, asyncAPIFile)
			continue
		}
		props, _ := s["properties"].(map[string]any)
		var wantRequired, gotRequired []string
		for _, f := range fields {
			if _, ok := props[f.name]; !ok {
				t.Errorf("%s.%s is not in the document's schema", typ, f.name)
			}
			if !f.optional {
				wantRequired = append(wantRequired, f.name)
			}
		}
		for p := range props {
			if !slices.ContainsFunc(fields, func(f payloadField) bool { return f.name == p }) {
				t.Errorf("the document's %s has %s, which the Go type does not", typ, p)
			}
		}
		required, _ := s["required"].([]any)
		for _, r := range required {
			gotRequired = append(gotRequired, r.(string))
		}
		slices.Sort(wantRequired)
		slices.Sort(gotRequired)
		if !slices.Equal(gotRequired, wantRequired) {
			t.Errorf("the document's %s requires %v, the Go type %v", typ, gotRequired, wantRequired)
		}
	}
}

// TestAsyncAPIDocumentHasTheRightsProtocol: every verb the rights service may ask each case
// service is a channel of the document, with a reply.
func TestAsyncAPIDocumentHasTheRightsProtocol(t *testing.T) {
	channels := readChannels(t)
	services, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	operations := readAsyncAPI(t)["operations"].(map[string]any)
	for _, svc := range services {
		if !svc.CaseService || svc.Name == "rights" {
			continue
		}
		for _, verb := range rights.Verbs {
			c := channels.matching(rights.Subject(svc.Name, verb))
			if c == nil {
				t.Errorf("no channel for %s", rights.Subject(svc.Name, verb))
				continue
			}
			op, _ := operations["ask"+strings.ToUpper(verb[:1])+verb[1:]].(map[string]any)
			if op == nil || op["channel"].(map[string]any)["$ref"] != "#/channels/"+c.id || op["reply"] == nil {
				t.Errorf("%s: no operation asking on %s and awaiting a reply", verb, c.id)
			}
		}
	}
}

// TestAsyncAPIDocumentHasEverySubjectTheServicesWrite: a subject a service spells out in
// its own code (a dead-letter subject, say) is on a channel of the document.
func TestAsyncAPIDocumentHasEverySubjectTheServicesWrite(t *testing.T) {
	channels := readChannels(t)
	services, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	roots := []string{"deadletter.", "status.", "share."}
	for _, name := range services.Names() {
		roots = append(roots, name+".events.")
	}
	found := 0
	err = filepath.WalkDir("../services", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || strings.ContainsAny(s, "*> ") || !slices.ContainsFunc(roots, func(r string) bool { return strings.HasPrefix(s, r) }) {
				return true
			}
			found++
			if !slices.Contains(roots, s) && !channels.cover(s) {
				t.Errorf("%s publishes on %q, which no channel of %s describes", path, s, asyncAPIFile)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no subject found in ../services: is the test running in contracts/?")
	}
}

// TestChannelsMatchSubjects holds the matching the tests above rely on to what the
// addresses say, so a loose match cannot hide a missing channel.
func TestChannelsMatchSubjects(t *testing.T) {
	channels := readChannels(t)
	for subject, covered := range map[string]bool{
		"complaints.events.stage1.received":                                  true,
		"complaints.events.":                                                 true,
		"share.lgo.complaints.ombudsman_referral":                            true,
		"share.lgo.complaints.marketing":                                     false, // not a purpose the notice allows
		"share.nobody.complaints.ombudsman_referral":                         false,
		"share.publication-service.investigations.publication_decision":      true,
		"share.publication-service.investigations.publication_decision.x":    false,
		"share.ico.rights.article19":                                         true,
		"share.ico.rights.article19_notification":                            false, // travels as article19
		"deadletter.publication.convictions":                                 true,
		"deadletter.publication.article19":                                   true,
		"deadletter.board.status.":                                           true,
		"status.rights.requests":                                             true,
		"status.delivery.x":                                                  false,
		"delivery.events.x":                                                  false,
		"investigations.events":                                              false,
		"share.kent-police.investigations.prevention_and_detection_of_crime": true,
		"rights.complaints.erase":                                            true,
		"rights.complaints.shred":                                            false,
	} {
		if got := channels.cover(subject); got != covered {
			t.Errorf("cover(%q) = %t, want %t", subject, got, covered)
		}
	}
}

// docChannel is one channel of the committed document, as the tests above match subjects.
type docChannel struct {
	id, address, fixed, message string
	pattern                     *regexp.Regexp
}

type docChannels []docChannel

func readAsyncAPI(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(asyncAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

var addressParam = regexp.MustCompile(`\{([^}]+)\}`)

// readChannels compiles each address to a pattern: a parameter with an enum matches one of
// its values; any other matches one or more tokens.
func readChannels(t *testing.T) docChannels {
	t.Helper()
	var out docChannels
	for id, c := range readAsyncAPI(t)["channels"].(map[string]any) {
		ch := c.(map[string]any)
		address, ok := ch["address"].(string)
		if !ok {
			continue // a reply's inbox
		}
		params, _ := ch["parameters"].(map[string]any)
		var pattern strings.Builder
		rest := address
		for _, loc := range addressParam.FindAllStringSubmatchIndex(address, -1) {
			pattern.WriteString(regexp.QuoteMeta(address[len(address)-len(rest) : loc[0]]))
			rest = address[loc[1]:]
			p, _ := params[address[loc[2]:loc[3]]].(map[string]any)
			if enum, ok := p["enum"].([]any); ok {
				var alts []string
				for _, v := range enum {
					alts = append(alts, regexp.QuoteMeta(v.(string)))
				}
				pattern.WriteString("(?:" + strings.Join(alts, "|") + ")")
			} else {
				pattern.WriteString(`[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*`)
			}
		}
		pattern.WriteString(regexp.QuoteMeta(rest))
		fixed, _, _ := strings.Cut(address, "{")
		var message string
		for m := range ch["messages"].(map[string]any) {
			message = m
		}
		out = append(out, docChannel{id: id, address: address, fixed: fixed, message: message,
			pattern: regexp.MustCompile("^" + pattern.String() + "$")})
	}
	return out
}

// matching is the channel whose address matches subject, or nil.
func (cs docChannels) matching(subject string) *docChannel {
	for i := range cs {
		if cs[i].pattern.MatchString(subject) {
			return &cs[i]
		}
	}
	return nil
}

// cover reports whether subject is on a channel, or is the fixed start of an address that
// a service completes with a parameter (a prefix constant such as "complaints.events.").
func (cs docChannels) cover(subject string) bool {
	return cs.matching(subject) != nil || slices.ContainsFunc(cs, func(c docChannel) bool {
		return strings.HasSuffix(subject, ".") && c.fixed == subject
	})
}

// want fails unless the channel id exists and its address starts with prefix.
func (cs docChannels) want(t *testing.T, prefix, id string) {
	t.Helper()
	i := slices.IndexFunc(cs, func(c docChannel) bool { return c.id == id })
	if i < 0 || !strings.HasPrefix(cs[i].address, prefix) {
		t.Errorf("no channel %s on %s... in %s", id, prefix, asyncAPIFile)
	}
}

// eventConstants are the string constants of contracts/events, by name, read from source.
func eventConstants() (map[string]string, error) {
	out := map[string]string{}
	err := eachGoFile("events/*.go", func(f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out[name.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
			return true
		})
	})
	return out, err
}

// eventTypeExamples are, per service, the event types its subject constants name: the part
// of <service>.events.<type> after the prefix.
func eventTypeExamples() (map[string][]string, error) {
	consts, err := eventConstants()
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, v := range consts {
		if service, typ, ok := strings.Cut(v, ".events."); ok && typ != "" && !strings.Contains(service, ".") {
			out[service] = append(out[service], typ)
		}
	}
	for _, types := range out {
		slices.Sort(types)
	}
	return out, nil
}

type payloadField struct {
	name     string
	optional bool
}

// payloadFields are the JSON fields of every struct type of the Go files glob matches,
// read from source, so the check does not depend on the reflection that generates the
// schemas.
func payloadFields(glob string) (map[string][]payloadField, error) {
	out := map[string][]payloadField{}
	definedAs := map[string]string{} // type A B: A has B's fields
	err := eachGoFile(glob, func(f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if base, ok := ts.Type.(*ast.Ident); ok && !ts.Assign.IsValid() {
				definedAs[ts.Name.Name] = base.Name
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			fields := []payloadField{}
			for _, fld := range st.Fields.List {
				if fld.Tag == nil {
					continue
				}
				tag, _ := strconv.Unquote(fld.Tag.Value)
				name, opts, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
				if name == "" || name == "-" {
					continue
				}
				fields = append(fields, payloadField{name: name, optional: slices.Contains(strings.Split(opts, ","), "omitempty")})
			}
			out[ts.Name.Name] = fields
			return true
		})
	})
	for name, base := range definedAs {
		if fields, ok := out[base]; ok {
			out[name] = fields
		}
	}
	return out, err
}

func eachGoFile(glob string, fn func(*ast.File)) error {
	files, err := filepath.Glob(glob)
	if err != nil {
		return err
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			return err
		}
		fn(f)
	}
	return nil
}
