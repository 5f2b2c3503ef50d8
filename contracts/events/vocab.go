package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"time"
)

// Every string of a domain or status event is tagged `vocab:"..."` with the kind of value
// it holds: an id or reference the service made, or a value from a controlled list. Free
// text, which could carry personal data, has no vocabulary and so has no place in them.
const (
	VocabMessageID     = "message_id"        // a UUID the service made for the message
	VocabCaseID        = "case_id"           // a UUID the service made for the case
	VocabCaseReference = "case_reference"    // the reference the service made, e.g. CMP-2026-000001
	VocabEventType     = "event_type"        // the service's names for its changes, e.g. stage1.acknowledged
	VocabStatus        = "status"            // the service's case statuses
	VocabOutcome       = "outcome"           // the service's outcome and action lists
	VocabDeadline      = "deadline"          // which deadline, e.g. stage1.respond, stage3.enquiry:1
	VocabService       = "service_catalogue" // an id of contracts/catalogue/services.yaml
	VocabRecipient     = "notice_recipient"  // a recipient id the service's notice names
	VocabCaseType      = "notice_case_type"  // a case type id the service's notice names
	VocabStage         = "stage"             // the service's procedure stages, e.g. compliance, enforcement
	VocabClient        = "client"            // an id of the service's list of clients (debt: a council and debt type)
	VocabDate          = "date"              // a calendar date, YYYY-MM-DD
	VocabKind          = "kind"              // the service's kinds of case, e.g. access, breach, foi
	VocabCasework      = "casework_service"  // a service name of contracts/services.yaml
)

// Vocabularies lists every vocabulary an event field may be tagged with.
var Vocabularies = []string{VocabMessageID, VocabCaseID, VocabCaseReference, VocabEventType, VocabStatus,
	VocabOutcome, VocabDeadline, VocabService, VocabRecipient, VocabCaseType, VocabStage, VocabClient, VocabDate,
	VocabKind, VocabCasework}

// Shapes the service-made vocabularies take; the controlled lists are checked against the
// lists themselves.
var (
	UUIDPattern      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	ReferencePattern = regexp.MustCompile(`^[A-Z]{3}-[0-9]{4}-[0-9]{6}$`)
	EventTypePattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)
	DatePattern      = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	DeadlinePattern  = regexp.MustCompile(`^stage[1-3]\.(acknowledge|respond|enquiry:[1-9][0-9]*|remedy:[1-9][0-9]*)$`)
)

// Value is one string an event carries, with the vocabulary its field declares.
type Value struct {
	Field string // the JSON name
	Vocab string
	Value string
}

// Values lists the strings event (a struct or a pointer to one) carries, empty ones left
// out. A string field without a vocab tag is listed with an empty Vocab, so a caller
// checking the values refuses it.
func Values(event any) []Value {
	v := reflect.Indirect(reflect.ValueOf(event))
	var out []Value
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		name, vocab := jsonName(f), f.Tag.Get("vocab")
		switch fv := v.Field(i); {
		case fv.Kind() == reflect.String && fv.String() != "":
			out = append(out, Value{Field: name, Vocab: vocab, Value: fv.String()})
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			for j := 0; j < fv.Len(); j++ {
				out = append(out, Value{Field: name, Vocab: vocab, Value: fv.Index(j).String()})
			}
		}
	}
	return out
}

func jsonName(f reflect.StructField) string {
	name := f.Tag.Get("json")
	for i := range len(name) {
		if name[i] == ',' {
			return name[:i]
		}
	}
	return name
}

// carriesNoText reports whether t can hold no text at all: numbers, booleans and instants.
func carriesNoText(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return t == reflect.TypeFor[time.Time]()
}

// Check decodes data strictly into payload (a pointer to an event type: a member it does not
// declare is refused) and checks each string it carries with the check given for its
// field's vocabulary. It returns every problem found; none means every value is an id or a
// value of its list. Tests of each service use it on what they publish.
func Check(data []byte, payload any, valid map[string]func(string) bool) []error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(payload); err != nil {
		return []error{fmt.Errorf("not a %T: %w", payload, err)}
	}
	var problems []error
	for _, v := range Values(payload) {
		if ok := valid[v.Vocab]; ok == nil || !ok(v.Value) {
			problems = append(problems, fmt.Errorf("%s = %q is not a %q value", v.Field, v.Value, v.Vocab))
		}
	}
	return problems
}
