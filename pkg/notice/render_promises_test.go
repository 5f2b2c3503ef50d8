package notice

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// These tests read the rendered notice back, as a reader would, into what it
// promises each recipient, and compare that with what Decide allows for every
// recipient, purpose, case type, scope, occasion, recorded condition and fact.
// A renderer that states a limit loosely ("or" where the engine means "and")
// or leaves one out fails here.

// noticesUnderTest are every notice the services enforce and the test notices.
func noticesUnderTest(t *testing.T) map[string]*Notice {
	t.Helper()
	files, err := filepath.Glob("../../contracts/notices/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("contracts/notices: %v %v", files, err)
	}
	files = append(files, "testdata/sample.yaml", "testdata/sharing.yaml")
	out := map[string]*Notice{}
	for _, f := range files {
		n, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = n
	}
	return out
}

func TestRenderedNoticePromisesWhatTheEngineAllows(t *testing.T) {
	for file, n := range noticesUnderTest(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			problems, checked := comparePromises(n, n.Render())
			for _, p := range problems {
				t.Error(p)
			}
			// Every recipient's every rule is asked about many times over (purposes x case
			// types x scopes x occasions x conditions); a small notice has fewer combinations.
			if checked < 20*len(n.Recipients) {
				t.Errorf("compared only %d requests for %d recipients", checked, len(n.Recipients))
			}
		})
	}
}

// The example from issue 8: Viking Oak is limited to dog cases AND to stray
// dogs, and the notice must say both, joined by "and".
func TestRenderedNoticeStatesEveryLimitOfViking(t *testing.T) {
	n, err := LoadFile("../../contracts/notices/investigations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := n.Render()
	want := "### Viking Oak\n\nOur contractor for stray dogs.\n\n" +
		"- For having a contractor carry out work for us in a particular area (only dangerous and nuisance dogs cases, and of those only stray dog data), " +
		"only with a contract with the data controller: name; the identity of the person who reported the matter; address; phone number; " +
		"the nature of the matter that requires investigation, including locations, times, dates and the individuals involved.\n"
	if !strings.Contains(out, want) {
		t.Errorf("rendered notice lacks\n%s", want)
	}
	if strings.Contains(out, "stray dog or dangerous") {
		t.Error("rendered notice still joins the case type and the scope with \"or\"")
	}
	for _, w := range []string{
		"Information about the person who reported the matter, including anything they gave us, goes only to a recipient that may receive the identity of the person who reported the matter.",
		"- They receive information only about the person whose conduct is being investigated and the person who reported the matter.",
		"We use it for this only when a conviction is recorded.",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("rendered notice lacks %q", w)
		}
	}
}

// The comparison must fail when the rendered text and the engine part: each
// edit below makes the notice promise more, or less, than Decide allows.
func TestPromiseComparisonCatchesAWrongRendering(t *testing.T) {
	invest, err := LoadFile("../../contracts/notices/investigations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	complaints, err := LoadFile("../../contracts/notices/complaints.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		n        *Notice
		old, new string
		want     string
	}{
		{"a scope left out promises dangerous dogs", invest, " (only dangerous and nuisance dogs cases, and of those only stray dog data)", " (only dangerous and nuisance dogs cases)",
			"viking-oak for contracted_services (dangerous_and_nuisance_dogs, dangerous_dog"},
		{"case type and scope joined by or cannot be read", invest, "(only dangerous and nuisance dogs cases, and of those only stray dog data)", "(stray dog or dangerous and nuisance dogs cases only)",
			"viking-oak: cannot read"},
		{"a category left out", invest, "in a particular area (only vermin and pest control cases), only with a contract with the data controller: name; the identity of the person who reported the matter; address;",
			"in a particular area (only vermin and pest control cases), only with a contract with the data controller: name; address;",
			"goodwin-pest-management for contracted_services (vermin_and_pest_control"},
		{"a limit to some people left out", invest, "- They receive information only about the person whose conduct is being investigated and the person who reported the matter.\n", "",
			"subject-of-investigation for investigation"},
		{"a withholding left out", complaints, "- Never, when the complainant asked not to be identified to the person complained about: name; postal address; phone number; email address.\n", "",
			"subject-of-complaint for complaint_handling (, stage_1, , recorded [consent], facts [anonymity_requested])"},
		{"an occasion left out", complaints, ", and only with the council's response to an enquiry from the Ombudsman", "",
			"lgo for ombudsman_referral (, stage_3, , recorded [complainant_request]"},
		{"a special condition misstated", complaints, "only with an officer's recorded finding that the Ombudsman needs it to consider the complaint as well.",
			"only with the complainant's recorded explicit consent to share that sensitive information as well.",
			"lgo for ombudsman_referral (, stage_3, enquiry_response, recorded [complainant_request consent contract crime_prevention explicit_consent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := tc.n.Render()
			wrong := strings.Replace(out, tc.old, tc.new, 1)
			if wrong == out {
				t.Fatalf("edit %q does not apply to the rendered notice", tc.old)
			}
			problems, _ := comparePromises(tc.n, wrong)
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("no problem mentions %q; got %d:\n%s", tc.want, len(problems), strings.Join(firstFew(problems, 5), "\n"))
			}
		})
	}
}

func firstFew(s []string, n int) []string { return s[:min(n, len(s))] }

// promised is what the rendered notice says one recipient may receive.
type promised struct {
	grants []promisedGrant
	about  []string            // people it hears about; empty: anyone
	never  map[string][]string // fact: categories it never receives then
}

type promisedGrant struct {
	purposes, caseTypes, scopes, categories, special []string
	condition, specialCondition, occasion            string
	recordRequired                                   bool
}

// comparePromises reads the recipients section of a rendered notice and
// compares its promises with Decide over every request the vocabulary allows.
// It returns the problems found and how many requests it compared.
func comparePromises(n *Notice, rendered string) ([]string, int) {
	g := newNoticeGrammar(n)
	promises, identifies, problems := g.readRecipients(rendered)
	if len(problems) > 0 {
		return problems, 0
	}
	conditions := sortedIDs(defaultConditionWords)
	// Nothing, each condition alone, all but each one, and all of them.
	recordedSets := [][]string{nil, conditions}
	for _, c := range conditions {
		allBut := slices.DeleteFunc(slices.Clone(conditions), func(x string) bool { return x == c })
		recordedSets = append(recordedSets, []string{c}, allBut)
	}
	factSets := [][]string{nil}
	for _, f := range n.Facts {
		factSets = append(factSets, []string{f.ID})
	}
	if len(n.Facts) > 1 {
		factSets = append(factSets, labelIDs(n.Facts))
	}
	checked := 0
	for _, rec := range n.Recipients {
		p := promises[rec.ID]
		for _, purpose := range n.Purposes {
			for _, ct := range append([]string{""}, labelIDs(n.CaseTypes)...) {
				for _, sc := range append([]string{""}, labelIDs(n.Scopes)...) {
					for _, occ := range append([]string{""}, occasionIDs(n.Occasions)...) {
						for _, recorded := range recordedSets {
							for _, facts := range factSets {
								req := Request{Recipient: rec.ID, Purpose: purpose.ID, CaseType: ct, Scope: sc, Occasion: occ, Recorded: recorded, Facts: facts}
								d := n.Decide(req)
								var got, gotPeople []string
								if d.Allowed {
									got, gotPeople = d.Categories, d.People
								}
								want, wantPeople := p.allows(n, req, identifies)
								checked++
								if !slices.Equal(got, want) || !slices.Equal(gotPeople, wantPeople) {
									problems = append(problems, fmt.Sprintf("%s for %s (%s, %s, %s, recorded %v, facts %v): the notice promises %v about %v, the engine allows %v about %v (%s)",
										rec.ID, purpose.ID, ct, sc, occ, recorded, facts, want, wantPeople, got, gotPeople, d.Reason))
								}
							}
						}
					}
				}
			}
		}
	}
	return problems, checked
}

// allows is what the promises give a request: categories and people, sorted.
func (p promised) allows(n *Notice, r Request, identifies map[string]string) ([]string, []string) {
	var cats []string
	for _, g := range p.grants {
		if !slices.Contains(g.purposes, r.Purpose) ||
			len(g.caseTypes) > 0 && !slices.Contains(g.caseTypes, r.CaseType) ||
			len(g.scopes) > 0 && !slices.Contains(g.scopes, r.Scope) ||
			g.occasion != "" && g.occasion != r.Occasion ||
			!slices.Contains(r.Recorded, g.condition) && (!standingConditions[g.condition] || g.recordRequired) {
			continue
		}
		cats = append(cats, g.categories...)
		if slices.Contains(r.Recorded, g.specialCondition) {
			cats = append(cats, g.special...)
		}
	}
	for fact, held := range p.never {
		if slices.Contains(r.Facts, fact) {
			cats = slices.DeleteFunc(cats, func(c string) bool { return slices.Contains(held, c) })
		}
	}
	if len(cats) == 0 {
		return nil, nil
	}
	sort.Strings(cats)
	cats = slices.Compact(cats)
	var people []string
	if len(n.People) > 0 {
		people = []string{}
	}
	for _, person := range labelIDs(n.People) {
		if len(p.about) > 0 && !slices.Contains(p.about, person) {
			continue
		}
		if c, ok := identifies[person]; ok && !slices.Contains(cats, c) {
			continue
		}
		people = append(people, person)
	}
	sort.Strings(people)
	return cats, people
}

// readRecipients splits the "Who we share it with" section into the
// recipients' promises and the people each category identifies.
func (g noticeGrammar) readRecipients(rendered string) (map[string]promised, map[string]string, []string) {
	_, section, ok := strings.Cut(rendered, "## Who we share it with, and when\n\n")
	if !ok {
		return nil, nil, []string{"the rendered notice has no recipients section"}
	}
	section, _, _ = strings.Cut(section, "\n## ")
	byHeading := map[string]string{}
	for _, r := range g.n.Recipients {
		byHeading[upperFirst(r.Name)] = r.ID
	}
	var problems []string
	promises := map[string]promised{}
	identifies := map[string]string{}
	parts := strings.Split(section, "### ")
	for _, line := range strings.Split(parts[0], "\n") {
		if line == "" {
			continue
		}
		got, err := g.read(g.identifies, line)
		if err != nil {
			problems = append(problems, "intro: "+err.Error())
			continue
		}
		for _, person := range got["people"] {
			identifies[person] = got["category"][0]
		}
	}
	for _, part := range parts[1:] {
		heading, body, _ := strings.Cut(part, "\n")
		id, ok := byHeading[heading]
		if !ok {
			problems = append(problems, fmt.Sprintf("heading %q names no recipient", heading))
			continue
		}
		if _, dup := promises[id]; dup {
			problems = append(problems, id+": two sections")
		}
		p := promised{never: map[string][]string{}}
		for _, line := range strings.Split(body, "\n") {
			text, isPromise := strings.CutPrefix(line, "- ")
			if !isPromise {
				continue
			}
			if got, err := g.read(g.grant, text); err == nil {
				p.grants = append(p.grants, promisedGrant{purposes: got["purposes"], caseTypes: got["case_types"], scopes: got["scopes"],
					categories: got["categories"], special: got["special"], condition: one(got["condition"]),
					specialCondition: one(got["special_condition"]), occasion: one(got["occasion"]), recordRequired: got["record_required"] != nil})
			} else if got, err2 := g.read(g.about, text); err2 == nil {
				p.about = got["about"]
			} else if got, err3 := g.read(g.never, text); err3 == nil {
				p.never[got["fact"][0]] = got["categories"]
			} else {
				problems = append(problems, fmt.Sprintf("%s: %v", id, err))
			}
		}
		promises[id] = p
	}
	for _, r := range g.n.Recipients {
		if len(promises[r.ID].grants) == 0 {
			problems = append(problems, r.ID+": the rendered notice promises it nothing")
		}
	}
	return promises, identifies, problems
}

func one(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// noticeGrammar holds the sentences the renderer writes, built from the
// notice's words; reading one back yields the ids its words stand for.
type noticeGrammar struct {
	n                               *Notice
	grant, about, never, identifies phrase
}

func newNoticeGrammar(n *Notice) noticeGrammar {
	words := func(labels []Label) map[string]string {
		out := map[string]string{}
		for _, l := range labels {
			out[l.Label] = l.ID
		}
		return out
	}
	purposes, categories, conditions, occasions := map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	for _, p := range n.Purposes {
		purposes[p.Label] = p.ID
	}
	special := map[string]string{}
	for _, c := range n.Categories {
		categories[c.Label] = c.ID
		special[c.Label], special[upperFirst(c.Label)] = c.ID, c.ID // the list starts a sentence
	}
	for c := range defaultConditionWords {
		conditions[n.ConditionWords(c)] = c
	}
	for _, o := range n.Occasions {
		occasions[o.Label] = o.ID
	}
	caseTypes, scopes, people, facts := words(n.CaseTypes), words(n.Scopes), words(n.People), words(n.Facts)
	return noticeGrammar{
		n: n,
		grant: seq(lit("For "), list("purposes", purposes, " and for "),
			opt(seq(lit(" ("), alt(
				seq(lit("only "), list("case_types", caseTypes, ", ", " or "), lit(" cases"),
					opt(seq(lit(", and of those only "), list("scopes", scopes, ", ", " or "), lit(" data")))),
				seq(lit("only "), list("scopes", scopes, ", ", " or "), lit(" data"))),
				lit(")"))),
			lit(", only with "), oneOf("condition", conditions),
			opt(flag("record_required", ", recorded for the case")),
			opt(seq(lit(", and only "), oneOf("occasion", occasions))),
			opt(seq(lit(": "), list("categories", categories, "; "))),
			lit("."),
			opt(seq(lit(" "), list("special", special, "; "), lit(" only with "), oneOf("special_condition", conditions), lit(" as well.")))),
		about: seq(lit("They receive information only about "), list("about", people, ", ", " and "), lit(".")),
		never: seq(lit("Never, when "), oneOf("fact", facts), lit(": "), list("categories", categories, "; "), lit(".")),
		identifies: seq(lit("Information about "), list("people", people, ", ", " and "),
			lit(", including anything they gave us, goes only to a recipient that may receive "), oneOf("category", categories), lit(".")),
	}
}

// read parses the whole of text with p and wants exactly one reading.
func (g noticeGrammar) read(p phrase, text string) (captures, error) {
	var whole []captures
	for _, r := range p(text, captures{}) {
		if r.rest == "" && !slices.ContainsFunc(whole, func(c captures) bool { return fmt.Sprint(c) == fmt.Sprint(r.got) }) {
			whole = append(whole, r.got)
		}
	}
	switch len(whole) {
	case 1:
		return whole[0], nil
	case 0:
		return nil, fmt.Errorf("cannot read %q", text)
	}
	return nil, fmt.Errorf("%q reads %d ways: %v", text, len(whole), whole)
}

// A phrase matches the start of s in every way it can.
type phrase func(s string, got captures) []reading

type reading struct {
	rest string
	got  captures
}

// captures maps a name to the ids read for it.
type captures map[string][]string

func (c captures) with(name string, ids ...string) captures {
	out := make(captures, len(c)+1)
	for k, v := range c {
		out[k] = v
	}
	out[name] = append(slices.Clone(c[name]), ids...)
	return out
}

func lit(text string) phrase {
	return func(s string, got captures) []reading {
		if rest, ok := strings.CutPrefix(s, text); ok {
			return []reading{{rest, got}}
		}
		return nil
	}
}

func flag(name, text string) phrase {
	return func(s string, got captures) []reading {
		if rest, ok := strings.CutPrefix(s, text); ok {
			return []reading{{rest, got.with(name, "yes")}}
		}
		return nil
	}
}

// oneOf reads one of the words (words to id) and captures its id.
func oneOf(name string, words map[string]string) phrase {
	return func(s string, got captures) []reading {
		var out []reading
		for w, id := range words {
			if rest, ok := strings.CutPrefix(s, w); ok {
				out = append(out, reading{rest, got.with(name, id)})
			}
		}
		return out
	}
}

// list reads one or more of the words joined by any of seps.
func list(name string, words map[string]string, seps ...string) phrase {
	item := oneOf(name, words)
	var more phrase
	more = func(s string, got captures) []reading {
		var out []reading
		for _, r := range item(s, got) {
			out = append(out, r)
			for _, sep := range seps {
				if rest, ok := strings.CutPrefix(r.rest, sep); ok {
					out = append(out, more(rest, r.got)...)
				}
			}
		}
		return out
	}
	return more
}

func seq(ps ...phrase) phrase {
	return func(s string, got captures) []reading {
		readings := []reading{{s, got}}
		for _, p := range ps {
			var next []reading
			for _, r := range readings {
				next = append(next, p(r.rest, r.got)...)
			}
			readings = next
		}
		return readings
	}
}

func alt(ps ...phrase) phrase {
	return func(s string, got captures) []reading {
		var out []reading
		for _, p := range ps {
			out = append(out, p(s, got)...)
		}
		return out
	}
}

func opt(p phrase) phrase {
	return func(s string, got captures) []reading { return append([]reading{{s, got}}, p(s, got)...) }
}

func labelIDs(labels []Label) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = l.ID
	}
	return out
}

func occasionIDs(occasions []Occasion) []string {
	out := make([]string, len(occasions))
	for i, o := range occasions {
		out[i] = o.ID
	}
	return out
}

func sortedIDs[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
