package events

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The payloads that promise no personal data, and those that are personal data leaving as
// a disclosure the notice allowed. Every struct type of the package is one or the other.
var (
	noPersonalData = []any{ComplaintEvent{}, ComplaintStatus{}, InvestigationEvent{}, InvestigationStatus{},
		DebtEvent{}, DebtStatus{}, PublicationEvent{}, PublicationStatus{}, RightsEvent{}, RightsStatus{}}
	disclosures = []any{Disclosure{}, ComplaintDisclosure{}, InvestigationDisclosure{}, PublicationOutcome{}, DebtDisclosure{}, PublicationDisclosure{}, RightsDisclosure{}}
)

// TestEveryPayloadIsClassified: a new payload type must be put in one list or the other,
// so none escapes the check below.
func TestEveryPayloadIsClassified(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				_, isStruct := ts.Type.(*ast.StructType)
				_, isDefined := ts.Type.(*ast.Ident) // type A B: a payload of its own name
				if (isStruct || isDefined && !ts.Assign.IsValid()) && ts.Name.IsExported() {
					declared = append(declared, ts.Name.Name)
				}
			}
			return true
		})
	}
	var classified []string
	for _, v := range append(slices.Clone(noPersonalData), disclosures...) {
		classified = append(classified, reflect.TypeOf(v).Name())
	}
	classified = append(classified, "Value") // this file's own helper, not a payload
	sort.Strings(declared)
	sort.Strings(classified)
	if !slices.Equal(declared, classified) {
		t.Fatalf("struct types %v, classified %v: put each payload in noPersonalData or disclosures", declared, classified)
	}
}

// TestEventFieldsAreControlled walks every field of every payload that promises no
// personal data: each is a number, a boolean, an instant, or a string (or list of strings)
// tagged with a known vocabulary. A free-text field fails here.
func TestEventFieldsAreControlled(t *testing.T) {
	for _, payload := range noPersonalData {
		typ := reflect.TypeOf(payload)
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			isText := f.Type.Kind() == reflect.String || (f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String)
			switch vocab := f.Tag.Get("vocab"); {
			case isText && !slices.Contains(Vocabularies, vocab):
				t.Errorf("%s.%s is text with vocabulary %q: it must be an id or a value from a controlled list", typ.Name(), f.Name, vocab)
			case !isText && vocab != "":
				t.Errorf("%s.%s is not text but declares vocabulary %q", typ.Name(), f.Name, vocab)
			case !isText && !carriesNoText(f.Type):
				t.Errorf("%s.%s is a %s: only numbers, booleans, instants and tagged strings may appear", typ.Name(), f.Name, f.Type)
			}
		}
	}
}

// TestValues lists tagged and untagged strings alike, so a checker sees both.
func TestValues(t *testing.T) {
	got := Values(&ComplaintStatus{EventID: "e", Team: "waste", Overdue: []string{"stage1.respond", "stage1.acknowledge"}})
	want := []Value{{"event_id", VocabMessageID, "e"}, {"team", VocabService, "waste"},
		{"overdue", VocabDeadline, "stage1.respond"}, {"overdue", VocabDeadline, "stage1.acknowledge"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Values = %+v, want %+v", got, want)
	}
	type free struct {
		Note string `json:"note,omitempty"`
	}
	if got := Values(free{Note: "Jo at 1 High St"}); !reflect.DeepEqual(got, []Value{{"note", "", "Jo at 1 High St"}}) {
		t.Fatalf("untagged: %+v", got)
	}
}

// TestCheck refuses members the type does not declare and values outside their lists.
func TestCheck(t *testing.T) {
	valid := map[string]func(string) bool{VocabMessageID: UUIDPattern.MatchString, VocabEventType: EventTypePattern.MatchString,
		VocabCaseID: UUIDPattern.MatchString, VocabCaseReference: ReferencePattern.MatchString,
		VocabStatus: func(v string) bool { return v == "received" }, VocabCaseType: func(v string) bool { return v == "noise" }}
	good := `{"event_id":"0193a4b2-0000-7000-8000-000000000000","type":"received","occurred_at":"2026-03-02T10:00:00Z",
		"investigation_id":"0193a4b2-0000-7000-8000-000000000001","reference":"INV-2026-000001","area":"noise","status":"received"}`
	if problems := Check([]byte(good), &InvestigationEvent{}, valid); len(problems) != 0 {
		t.Fatalf("valid event: %v", problems)
	}
	for _, bad := range []string{
		strings.Replace(good, `"area":"noise"`, `"area":"noise at Jo's, 1 High St"`, 1),
		strings.Replace(good, `"status":"received"`, `"status":"received","note":"Jo"`, 1),
		strings.Replace(good, `"status":"received"`, `"status":"received","recipient":"kent-police"`, 1), // no check for its list
	} {
		if problems := Check([]byte(bad), &InvestigationEvent{}, valid); len(problems) != 1 {
			t.Errorf("%s: %v, want one problem", bad, problems)
		}
	}
}
