package contracts_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	"gopkg.in/yaml.v3"

	"casework.dev/contracts/events"
)

// The AsyncAPI document is generated from the Go types of contracts/events and the
// recipients of the notices; this test fails while the committed file differs. Regenerate
// with: cd contracts && go test -run AsyncAPI -update-asyncapi
var updateAsyncAPI = flag.Bool("update-asyncapi", false, "rewrite contracts/asyncapi/casework.yaml")

const asyncAPIFile = "asyncapi/casework.yaml"

// eventServices are the services whose subjects contracts/events defines, with their types.
var eventServices = []struct {
	name                        string
	event, status, disclosure   any
	eventSummary, statusSummary string
	statusParam                 string
}{
	{"complaints", events.ComplaintEvent{}, events.ComplaintStatus{}, events.ComplaintDisclosure{},
		"A change to a complaint: ids, reference, stage, status, deadlines and outcomes; no personal data.",
		"Where a complaint stands, for managers and the board: no personal data.", "stage"},
	{"investigations", events.InvestigationEvent{}, events.InvestigationStatus{}, events.InvestigationDisclosure{},
		"A change to an investigation: ids, reference, area, status and outcomes; no personal data.",
		"Where an investigation stands, for managers and the board: no personal data.", "area"},
}

func TestAsyncAPIDocumentIsGeneratedFromTheEventTypes(t *testing.T) {
	want, err := generateAsyncAPI()
	if err != nil {
		t.Fatal(err)
	}
	if *updateAsyncAPI {
		if err := os.WriteFile(asyncAPIFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(asyncAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale against contracts/events and the notices: regenerate it with\n"+
			"  cd contracts && go test -run AsyncAPI -update-asyncapi", asyncAPIFile)
	}
}

// TestAsyncAPIDocumentIsWellFormed checks the committed document's structure as AsyncAPI
// 3.0 defines it: every reference resolves, every operation sends a message of its own
// channel, every channel parameter appears in its address, and no domain or status event
// has a field that would carry personal data.
func TestAsyncAPIDocumentIsWellFormed(t *testing.T) {
	raw, err := os.ReadFile(asyncAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["asyncapi"] != "3.0.0" {
		t.Fatalf("asyncapi %v, want 3.0.0", doc["asyncapi"])
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil {
		t.Fatal("info needs title and version")
	}
	walkRefs(t, doc, doc, "#")

	channels, _ := doc["channels"].(map[string]any)
	if len(channels) == 0 {
		t.Fatal("no channels")
	}
	for name, c := range channels {
		ch := c.(map[string]any)
		address, _ := ch["address"].(string)
		if address == "" || len(ch["messages"].(map[string]any)) == 0 {
			t.Errorf("channel %s needs an address and messages", name)
		}
		params, _ := ch["parameters"].(map[string]any)
		for p := range params {
			if !strings.Contains(address, "{"+p+"}") {
				t.Errorf("channel %s: parameter %s is not in %s", name, p, address)
			}
		}
		if strings.Count(address, "{") != len(params) {
			t.Errorf("channel %s: %s has parameters the channel does not describe", name, address)
		}
	}
	operations, _ := doc["operations"].(map[string]any)
	for name, o := range operations {
		op := o.(map[string]any)
		if op["action"] != "send" && op["action"] != "receive" {
			t.Errorf("operation %s: action %v", name, op["action"])
		}
		channel := op["channel"].(map[string]any)["$ref"].(string)
		for _, m := range op["messages"].([]any) {
			ref := m.(map[string]any)["$ref"].(string)
			if !strings.HasPrefix(ref, channel+"/messages/") {
				t.Errorf("operation %s sends %s, not a message of %s", name, ref, channel)
			}
		}
	}
	for _, family := range []string{"Event", "Status"} {
		for _, s := range eventServices {
			schema := resolve(t, doc, "#/components/schemas/"+reflect.TypeOf(pick(s, family)).Name())
			for field := range schema["properties"].(map[string]any) {
				for _, personal := range []string{"name", "email", "address", "phone", "details", "data"} {
					if field == personal || strings.HasPrefix(field, personal+"_") {
						t.Errorf("%s %s carries %q: personal data leaves only as a disclosure", s.name, family, field)
					}
				}
			}
		}
	}
}

func pick(s struct {
	name                        string
	event, status, disclosure   any
	eventSummary, statusSummary string
	statusParam                 string
}, family string) any {
	if family == "Event" {
		return s.event
	}
	return s.status
}

func walkRefs(t *testing.T, doc map[string]any, node any, at string) {
	t.Helper()
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			if k == "$ref" {
				resolve(t, doc, v.(string))
				continue
			}
			walkRefs(t, doc, v, at+"/"+k)
		}
	case []any:
		for i, v := range n {
			walkRefs(t, doc, v, fmt.Sprintf("%s/%d", at, i))
		}
	}
}

func resolve(t *testing.T, doc map[string]any, ref string) map[string]any {
	t.Helper()
	if !strings.HasPrefix(ref, "#/") {
		t.Fatalf("reference %s leaves the document", ref)
	}
	var node any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := node.(map[string]any)
		if !ok {
			t.Fatalf("reference %s does not resolve", ref)
		}
		if node, ok = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(part)]; !ok {
			t.Fatalf("reference %s does not resolve at %s", ref, part)
		}
	}
	out, ok := node.(map[string]any)
	if !ok {
		t.Fatalf("reference %s is not an object", ref)
	}
	return out
}

// generateAsyncAPI builds the document.
func generateAsyncAPI() ([]byte, error) {
	channels := map[string]any{}
	operations := map[string]any{}
	messages := map[string]any{}
	schemas := map[string]any{}

	addSchema := func(v any) (string, error) {
		name := reflect.TypeOf(v).Name()
		s, err := schemaOf(v)
		if err != nil {
			return "", err
		}
		schemas[name] = s
		return name, nil
	}
	addChannel := func(id, address, description string, params map[string]any, message, summary string, headers string) {
		ch := map[string]any{"address": address, "description": description,
			"messages": map[string]any{message: ref("#/components/messages/" + message)}}
		if len(params) > 0 {
			ch["parameters"] = params
		}
		channels[id] = ch
		operations["send"+upper(id)] = map[string]any{"action": "send", "channel": ref("#/channels/" + id),
			"summary": summary, "messages": []any{ref("#/channels/" + id + "/messages/" + message)}}
	}
	message := func(name, payload, summary, headers string) {
		m := map[string]any{"name": name, "title": name, "summary": summary, "contentType": "application/json",
			"payload": ref("#/components/schemas/" + payload)}
		if headers != "" {
			m["headers"] = ref("#/components/schemas/" + headers)
		}
		messages[name] = m
	}
	schemas["RelayHeaders"] = map[string]any{"type": "object", "properties": map[string]any{
		"Nats-Msg-Id":             map[string]any{"type": "string", "description": "The event id: the stream drops a duplicate within its window."},
		"_watermill_message_uuid": map[string]any{"type": "string", "description": "The event id again, read by consumers built on watermill; their deduplication key."},
		"Casework-Event-Type":     map[string]any{"type": "string", "description": "The subject the event was published on."},
	}, "required": []any{"Nats-Msg-Id", "_watermill_message_uuid"}}
	schemas["DeadLetterHeaders"] = map[string]any{"type": "object", "properties": map[string]any{
		"reason_poisoned":         map[string]any{"type": "string", "description": "Why the consumer gave up on the message."},
		"_watermill_message_uuid": map[string]any{"type": "string", "description": "The event id of the original message."},
	}, "required": []any{"reason_poisoned"}}
	schemas["DeadLetter"] = map[string]any{"description": "The original message's payload, unchanged: a domain or status event (no personal data)."}

	for _, s := range eventServices {
		event, err := addSchema(s.event)
		if err != nil {
			return nil, err
		}
		status, err := addSchema(s.status)
		if err != nil {
			return nil, err
		}
		disclosure, err := addSchema(s.disclosure)
		if err != nil {
			return nil, err
		}
		message(event, event, s.eventSummary, "RelayHeaders")
		message(status, status, s.statusSummary, "RelayHeaders")
		message(disclosure, disclosure, "Personal data for one recipient and purpose: only the categories the "+s.name+
			" notice allows it (contracts/notices/"+s.name+".yaml); the payload's data object holds them.", "RelayHeaders")

		addChannel(s.name+"Events", s.name+".events.{type}", "Domain events of "+s.name+", kept a year on stream "+
			strings.ToUpper(s.name)+"_EVENTS.", map[string]any{"type": param("What changed, e.g. stage1.received or closed; the payload's type.")},
			event, "Publish a domain event of "+s.name+" (through the outbox relay).", "")
		addChannel(s.name+"Status", "status."+s.name+".{"+s.statusParam+"}", "Status events of "+s.name+" for managers, kept a year on stream "+
			strings.ToUpper(s.name)+"_STATUS; the board follows them.", map[string]any{s.statusParam: param("The case's " + s.statusParam + ".")},
			status, "Publish where a case of "+s.name+" stands.", "")

		recipients, err := noticeRecipients(s.name)
		if err != nil {
			return nil, err
		}
		for _, r := range recipients {
			addChannel(s.name+"Share"+upper(camel(r.id)), "share."+r.id+"."+s.name+".{purpose}",
				"Disclosures of "+s.name+" to "+r.id+" only, on stream "+strings.ToUpper(s.name)+"_SHARE (interest retention: "+
					"kept only until delivered). A partner on NATS reads them in its own account.",
				map[string]any{"purpose": map[string]any{"enum": stringsToAny(r.purposes), "description": "The purpose the notice allows this recipient."}},
				disclosure, "Disclose a case of "+s.name+" to "+r.id+", as its notice allows.", "")
		}
		addChannel(s.name+"DeadLetters", "deadletter."+s.name+".{subject}",
			"Messages a consumer of the "+s.name+" streams gave up on, with the reason; kept 30 days on stream "+strings.ToUpper(s.name)+"_DEADLETTER.",
			map[string]any{"subject": param("The consumer's own suffix, e.g. its name.")}, "DeadLetter", "Set aside a message no retry could apply.", "")
	}
	message("DeadLetter", "DeadLetter", "A message set aside by a consumer, unchanged, with the reason in its headers.", "DeadLetterHeaders")
	addChannel("boardDeadLetters", "deadletter.board.status.{service}", "Status events the board could not read, kept 30 days on stream BOARD_DEADLETTER.",
		map[string]any{"service": param("The service whose status event it was.")}, "DeadLetter", "Set aside a status event the board could not read.", "")

	doc := map[string]any{
		"asyncapi": "3.0.0",
		"info": map[string]any{
			"title":   "Casework events",
			"version": "1.0.0",
			"description": "Every subject family Casework publishes on NATS JetStream: domain events and status events " +
				"(no personal data), disclosures (personal data minimised to what a notice allows one recipient for one purpose, " +
				"on that recipient's subjects only) and dead letters. Generated from contracts/events and contracts/notices by " +
				"contracts/asyncapi_test.go; do not edit by hand.",
		},
		"defaultContentType": "application/json",
		"servers": map[string]any{"council": map[string]any{"host": "127.0.0.1:4222", "protocol": "nats",
			"description": "The council's NATS account (make run); each partner has its own account importing only share.<partner>.>."}},
		"channels":   channels,
		"operations": operations,
		"components": map[string]any{"messages": messages, "schemas": schemas},
	}
	// Through JSON, so YAML sees plain maps and writes them with sorted keys: one text for one document.
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var plain map[string]any
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# Generated from contracts/events and contracts/notices by contracts/asyncapi_test.go: do not edit.\n")
	b.WriteString("# Regenerate: cd contracts && go test -run AsyncAPI -update-asyncapi\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(plain); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// schemaOf is the JSON Schema of a Go payload type, from its json tags: a field with
// omitempty is optional.
func schemaOf(v any) (map[string]any, error) {
	r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, AllowAdditionalProperties: true}
	raw, err := json.Marshal(r.Reflect(v))
	if err != nil {
		return nil, err
	}
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	delete(s, "$schema")
	delete(s, "$id")
	return s, nil
}

type recipient struct {
	id       string
	purposes []string
}

// noticeRecipients lists a service's recipients and their purposes from its notice.
func noticeRecipients(service string) ([]recipient, error) {
	raw, err := os.ReadFile("notices/" + service + ".yaml")
	if err != nil {
		return nil, err
	}
	var n struct {
		Recipients map[string]struct {
			Rules []struct {
				Purposes []string `yaml:"purposes"`
			} `yaml:"rules"`
		} `yaml:"recipients"`
	}
	if err := yaml.Unmarshal(raw, &n); err != nil {
		return nil, fmt.Errorf("notice %s: %w", service, err)
	}
	var out []recipient
	for id, r := range n.Recipients {
		var purposes []string
		for _, rule := range r.Rules {
			for _, p := range rule.Purposes {
				if !slices.Contains(purposes, p) {
					purposes = append(purposes, p)
				}
			}
		}
		slices.Sort(purposes)
		if len(purposes) > 0 {
			out = append(out, recipient{id: id, purposes: purposes})
		}
	}
	slices.SortFunc(out, func(a, b recipient) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

func ref(to string) map[string]any { return map[string]any{"$ref": to} }

func param(description string) map[string]any { return map[string]any{"description": description} }

func upper(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// camel makes a recipient id ("kent-police") part of a channel id ("kentPolice").
func camel(id string) string {
	parts := strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' })
	for i := 1; i < len(parts); i++ {
		parts[i] = upper(parts[i])
	}
	return strings.Join(parts, "")
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
