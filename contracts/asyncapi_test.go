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

	"casework.dev/contracts"
	"casework.dev/contracts/events"
	"casework.dev/contracts/rights"
)

// The AsyncAPI document is generated from the Go types of contracts/events and the
// recipients of the notices; this test fails while the committed file differs. Regenerate
// with: cd contracts && go test -run AsyncAPI -update-asyncapi
var updateAsyncAPI = flag.Bool("update-asyncapi", false, "rewrite contracts/asyncapi/casework.yaml")

const asyncAPIFile = "asyncapi/casework.yaml"

// eventService gives the payload types of a service that publishes domain events, status
// events and disclosures, and how its status subjects end.
type eventService struct {
	name                        string
	event, status, disclosure   any
	eventSummary, statusSummary string
	// statusParam names the last token of status.<name>.{statusParam}.
	statusParam, statusDescription string
	statusExamples                 []string
}

// eventServices are the payload types of every service services.yaml says publishes events,
// status or share; generation fails for a service that publishes them and is missing here.
var eventServices = []eventService{
	{"complaints", events.ComplaintEvent{}, events.ComplaintStatus{}, events.ComplaintDisclosure{},
		"A change to a complaint: ids, reference, stage, status, deadlines and outcomes; no personal data.",
		"Where a complaint stands, for managers and the board: no personal data.",
		"stage", "The complaint's stage.", []string{"stage1", "stage2", "stage3"}},
	{"investigations", events.InvestigationEvent{}, events.InvestigationStatus{}, events.InvestigationDisclosure{},
		"A change to an investigation: ids, reference, area, status and outcomes; no personal data.",
		"Where an investigation stands, for managers and the board: no personal data.",
		"area", "The investigation's area: a case type of the investigations notice.", []string{"noise", "anti_social_behaviour"}},
	{"publication", events.PublicationEvent{}, events.PublicationStatus{}, events.PublicationDisclosure{},
		"A change to a publication decision: ids, reference, status, dates and takedown reasons; no personal data.",
		"Where a publication decision stands, for managers and the board: no personal data.",
		"status", "The decision's status after the change.", []string{"to_decide", "awaiting_approval", "published", "taken_down"}},
	{"debt", events.DebtEvent{}, events.DebtStatus{}, events.DebtDisclosure{},
		"A change to a debt recovery case: ids, reference, client, stage, status and dates; no personal data and no amounts.",
		"Where a debt recovery case stands, for managers and the board: no personal data and no amounts.",
		"stage", "The case's stage under Taking Control of Goods.", []string{"compliance", "enforcement", "sale"}},
	{"rights", events.RightsEvent{}, events.RightsStatus{}, events.RightsDisclosure{},
		"A change to a rights request, breach or FOI/EIR request: ids, reference, kind, status, dates and counts; no personal data.",
		"Where a rights request, breach or FOI/EIR request stands, for managers and the board: no personal data.",
		"family", "Which kind of case: requests (data subject rights), breaches or foi (FOI and EIR).", []string{"requests", "breaches", "foi"}},
}

// shareSuffixes are, per service, the last subject token of a purpose whose token is not
// the purpose's own id.
var shareSuffixes = map[string]map[string]string{
	"rights": {events.RightsArticle19Purpose: events.RightsArticle19Suffix},
}

// disclosureData are the subjects whose disclosure carries data of a Go type, not only what
// the notice allows as a free object.
var disclosureData = map[string]any{
	events.InvestigationsPublicationSubject: events.PublicationOutcome{},
}

// deadLetterChannel is where a service's consumers set aside what they gave up on.
type deadLetterChannel struct {
	suffix, description, summary string
	params                       map[string]any
}

// deadLetterChannels are the dead-letter subjects of the services that consume a stream,
// after deadletter.<service>.; a service without an entry is described by its family only.
var deadLetterChannels = map[string]deadLetterChannel{
	"publication": {"{consumer}", "Convictions (disclosures on " + events.InvestigationsPublicationSubject +
		", consumer convictions) and Article 19 notices (on share.publication-service.rights.article19, consumer article19, " +
		"headers only: the notice's body is personal data) the publication service could not read",
		"Set aside a conviction or an Article 19 notice the publication service could not read.",
		map[string]any{"consumer": examples(param("Which consumer gave up: convictions or article19."), []string{"convictions", "article19"})}},
	"board": {"status.{service}", "Status events the board could not read", "Set aside a status event the board could not read.",
		map[string]any{"service": param("The service whose status event it was.")}},
}

func TestAsyncAPIDocumentIsGeneratedFromTheEventTypes(t *testing.T) {
	services, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	want, err := generateAsyncAPI(services)
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

// Generation refuses a services list the event contract cannot describe, rather than
// leaving a service's subjects out of the document.
func TestAsyncAPIGenerationRefusesAServiceWithoutPayloadTypes(t *testing.T) {
	services, err := contracts.Services()
	if err != nil {
		t.Fatal(err)
	}
	waste := contracts.Service{Name: "waste", Publishes: []string{contracts.FamilyEvents, contracts.FamilyDeadLetter}}
	if _, err := generateAsyncAPI(append(slices.Clone(services), waste)); err == nil ||
		err.Error() != "waste publishes events, but eventServices gives no payload types for it" {
		t.Fatalf("a service publishing events without payload types: %v", err)
	}
	withoutDebt := slices.DeleteFunc(slices.Clone(services), func(s contracts.Service) bool { return s.Name == "debt" })
	if _, err := generateAsyncAPI(withoutDebt); err == nil || err.Error() != "eventServices names debt, which services.yaml does not list" {
		t.Fatalf("payload types of a service not in the list: %v", err)
	}
	// A dead-letter-only service is described by its family.
	doc, err := generateAsyncAPI(append(slices.Clone(services), contracts.Service{Name: "waste", Publishes: []string{contracts.FamilyDeadLetter}}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("address: deadletter.waste.{consumer}")) {
		t.Fatal("a service publishing dead letters has no channel for them")
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
	operations, _ := doc["operations"].(map[string]any)
	replies := map[string]bool{} // channels an operation's reply names: their address may be null (the inbox)
	for _, o := range operations {
		if reply, ok := o.(map[string]any)["reply"].(map[string]any); ok {
			replies[reply["channel"].(map[string]any)["$ref"].(string)] = true
		}
	}
	for name, c := range channels {
		ch := c.(map[string]any)
		address, _ := ch["address"].(string)
		if (address == "" && !(replies["#/channels/"+name] && ch["address"] == nil)) || len(ch["messages"].(map[string]any)) == 0 {
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
	for _, s := range eventServices {
		for _, payload := range []any{s.event, s.status} {
			name := reflect.TypeOf(payload).Name()
			schema := resolve(t, doc, "#/components/schemas/"+name)
			for field := range schema["properties"].(map[string]any) {
				for _, personal := range []string{"name", "email", "address", "phone", "details", "data"} {
					if field == personal || strings.HasPrefix(field, personal+"_") {
						t.Errorf("%s carries %q: personal data leaves only as a disclosure", name, field)
					}
				}
			}
		}
	}
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

// generateAsyncAPI builds the document: for every service of services.yaml, a channel per
// subject family it publishes, and for disclosures one channel per recipient its notice names.
func generateAsyncAPI(services contracts.ServiceList) ([]byte, error) {
	eventTypes, err := eventTypeExamples()
	if err != nil {
		return nil, err
	}
	d := asyncAPIDoc{channels: map[string]any{}, operations: map[string]any{}, messages: map[string]any{}, schemas: map[string]any{},
		usedData: map[string]bool{}}
	d.schemas["RelayHeaders"] = map[string]any{"type": "object", "properties": map[string]any{
		"Nats-Msg-Id":             map[string]any{"type": "string", "description": "The event id: the stream drops a duplicate within its window."},
		"_watermill_message_uuid": map[string]any{"type": "string", "description": "The event id again, read by consumers built on watermill; their deduplication key."},
		"Casework-Event-Type":     map[string]any{"type": "string", "description": "The subject the event was published on."},
	}, "required": []any{"Nats-Msg-Id", "_watermill_message_uuid"}}
	d.schemas["DeadLetterHeaders"] = map[string]any{"type": "object", "properties": map[string]any{
		"reason_poisoned":         map[string]any{"type": "string", "description": "Why the consumer gave up on the message."},
		"_watermill_message_uuid": map[string]any{"type": "string", "description": "The event id of the original message."},
	}, "required": []any{"reason_poisoned"}}
	d.schemas["DeadLetter"] = map[string]any{"description": "The original message's payload, unchanged: a domain or status event " +
		"(no personal data), or a disclosure a council service could not read."}
	d.message("DeadLetter", "DeadLetter", "A message set aside by a consumer, unchanged, with the reason in its headers.", "DeadLetterHeaders")

	described := map[string]bool{}
	for _, svc := range services {
		streams := map[string]string{}
		for _, st := range svc.Streams() {
			streams[st.Family] = st.Name
		}
		if i := slices.IndexFunc(eventServices, func(e eventService) bool { return e.name == svc.Name }); i >= 0 {
			described[svc.Name] = true
			if err := d.addCaseService(eventServices[i], streams, eventTypes[svc.Name]); err != nil {
				return nil, err
			}
		} else {
			for _, family := range []string{contracts.FamilyEvents, contracts.FamilyStatus, contracts.FamilyShare} {
				if streams[family] != "" {
					return nil, fmt.Errorf("%s publishes %s, but eventServices gives no payload types for it", svc.Name, family)
				}
			}
		}
		if stream := streams[contracts.FamilyDeadLetter]; stream != "" {
			dl, ok := deadLetterChannels[svc.Name]
			if !ok {
				dl = deadLetterChannel{"{consumer}", "Messages a consumer of " + svc.Name + " gave up on",
					"Set aside a message no retry could apply.", map[string]any{"consumer": param("The consumer's own suffix, e.g. its name.")}}
			}
			d.channel(svc.Name+"DeadLetters", "deadletter."+svc.Name+"."+dl.suffix, dl.description+
				", with the reason in the headers; kept 30 days on stream "+stream+".", dl.params, "DeadLetter", dl.summary)
		}
	}
	if _, ok := services.Get("rights"); ok {
		var asked []string
		for _, svc := range services {
			if svc.CaseService && svc.Name != "rights" {
				asked = append(asked, svc.Name)
			}
		}
		if err := d.addRightsProtocol(asked); err != nil {
			return nil, err
		}
	}
	for _, e := range eventServices {
		if !described[e.name] {
			return nil, fmt.Errorf("eventServices names %s, which services.yaml does not list", e.name)
		}
	}
	for subject := range disclosureData {
		if !d.usedData[subject] {
			return nil, fmt.Errorf("disclosureData names %s, which no notice's recipient and purpose publishes", subject)
		}
	}
	return d.yaml()
}

// asyncAPIDoc is the document being built.
type asyncAPIDoc struct {
	channels, operations, messages, schemas map[string]any
	usedData                                map[string]bool // the disclosureData subjects a channel carries
}

// schema adds the schema of a Go payload type, named as the type.
func (d *asyncAPIDoc) schema(v any) (string, error) {
	name := reflect.TypeOf(v).Name()
	s, err := schemaOf(v)
	if err != nil {
		return "", err
	}
	d.schemas[name] = s
	return name, nil
}

func (d *asyncAPIDoc) message(name, payload, summary, headers string) {
	m := map[string]any{"name": name, "title": name, "summary": summary, "contentType": "application/json",
		"payload": ref("#/components/schemas/" + payload)}
	if headers != "" {
		m["headers"] = ref("#/components/schemas/" + headers)
	}
	d.messages[name] = m
}

// channel adds a channel with its one message, and the operation that sends it.
func (d *asyncAPIDoc) channel(id, address, description string, params map[string]any, message, summary string) {
	d.channelOnly(id, address, description, params, message)
	d.operations["send"+upper(id)] = map[string]any{"action": "send", "channel": ref("#/channels/" + id),
		"summary": summary, "messages": []any{ref("#/channels/" + id + "/messages/" + message)}}
}

// channelOnly adds a channel with its one message; a nil address is a reply's inbox.
func (d *asyncAPIDoc) channelOnly(id string, address any, description string, params map[string]any, message string) {
	ch := map[string]any{"address": address, "description": description,
		"messages": map[string]any{message: ref("#/components/messages/" + message)}}
	if len(params) > 0 {
		ch["parameters"] = params
	}
	d.channels[id] = ch
}

// rightsVerbs are the request and reply payloads of each verb of the rights protocol
// (contracts/rights): rights.Dispatcher decodes and answers with these.
var rightsVerbs = []struct {
	verb           string
	request, reply any
}{
	{rights.Find, rights.FindRequest{}, rights.FindReply{}},
	{rights.Export, rights.RecordsRequest{}, rights.ExportReply{}},
	{rights.Erase, rights.RecordsRequest{}, rights.ActionReply{}},
	{rights.Rectify, rights.RectifyRequest{}, rights.ActionReply{}},
	{rights.Restrict, rights.RecordsRequest{}, rights.ActionReply{}},
	{rights.Object, rights.RecordsRequest{}, rights.ActionReply{}},
	{rights.Lift, rights.RecordsRequest{}, rights.ActionReply{}},
}

// addRightsProtocol adds the rights service's requests on rights.<service>.<verb> (NATS
// request-reply, never in a stream) and the replies, in pkg/rightsreply's envelope.
func (d *asyncAPIDoc) addRightsProtocol(asked []string) error {
	d.schemas["RightsReplyRefusal"] = map[string]any{"type": "object", "description": "The whole request refused; the caller does not retry.",
		"properties": map[string]any{"code": map[string]any{"type": "string", "description": "bad_request, unknown_verb or the service's own."},
			"reason": map[string]any{"type": "string"}}, "required": []any{"code", "reason"}}
	d.schemas["RightsReply"] = map[string]any{"type": "object", "description": "pkg/rightsreply's envelope: the verb's result, " +
		"a refusal of the whole request, or a failure the caller retries.", "properties": map[string]any{
		"result":  map[string]any{"description": "The verb's reply."},
		"refusal": ref("#/components/schemas/RightsReplyRefusal"),
		"failure": map[string]any{"type": "string", "description": "Why the service could not answer now; the caller asks again."}}}
	if len(rightsVerbs) != len(rights.Verbs) {
		return fmt.Errorf("rightsVerbs describes %d verbs, contracts/rights has %d", len(rightsVerbs), len(rights.Verbs))
	}
	for _, v := range rightsVerbs {
		if !slices.Contains(rights.Verbs, v.verb) {
			return fmt.Errorf("rightsVerbs: %q is not a verb of contracts/rights", v.verb)
		}
		request, err := d.schema(v.request)
		if err != nil {
			return err
		}
		reply, err := d.schema(v.reply)
		if err != nil {
			return err
		}
		envelope := reply + "Envelope"
		d.schemas[envelope] = map[string]any{"allOf": []any{ref("#/components/schemas/RightsReply"),
			map[string]any{"type": "object", "properties": map[string]any{"result": ref("#/components/schemas/" + reply)}}}}
		d.message(request, request, "A "+v.verb+" request of the rights protocol: it may carry a person's identifiers or "+
			"corrected value, so it is never in a stream.", "")
		d.message(envelope, envelope, "A service's answer to "+v.verb+", in pkg/rightsreply's envelope.", "")
		id := "rights" + upper(v.verb)
		d.channelOnly(id, rights.Subject("{service}", v.verb), "The rights service's "+v.verb+" requests to a service about "+
			"a person's records (contracts/rights; NATS request-reply, shared among the service's instances in queue group <service>-rights).",
			map[string]any{"service": examples(param("The service asked: each one holding personal data."), asked)}, request)
		d.channelOnly(id+"Reply", nil, "The requester's inbox, the NATS reply subject of the request.", nil, envelope)
		d.operations["ask"+upper(v.verb)] = map[string]any{"action": "send", "channel": ref("#/channels/" + id),
			"summary":  "Ask a service to " + v.verb + " for a rights request, and wait for its answer.",
			"messages": []any{ref("#/channels/" + id + "/messages/" + request)},
			"reply": map[string]any{"channel": ref("#/channels/" + id + "Reply"),
				"messages": []any{ref("#/channels/" + id + "Reply/messages/" + envelope)}}}
	}
	return nil
}

// addCaseService adds the domain event, status event and per-recipient disclosure channels
// of one service, for the families it publishes.
func (d *asyncAPIDoc) addCaseService(s eventService, streams map[string]string, eventTypes []string) error {
	if stream := streams[contracts.FamilyEvents]; stream != "" {
		event, err := d.schema(s.event)
		if err != nil {
			return err
		}
		d.message(event, event, s.eventSummary, "RelayHeaders")
		d.channel(s.name+"Events", s.name+".events.{type}", "Domain events of "+s.name+", kept a year on stream "+stream+".",
			map[string]any{"type": examples(param("What changed; the payload's type."), eventTypes)},
			event, "Publish a domain event of "+s.name+" (through the outbox relay).")
	}
	if stream := streams[contracts.FamilyStatus]; stream != "" {
		status, err := d.schema(s.status)
		if err != nil {
			return err
		}
		d.message(status, status, s.statusSummary, "RelayHeaders")
		d.channel(s.name+"Status", "status."+s.name+".{"+s.statusParam+"}", "Status events of "+s.name+" for managers, kept a year on stream "+
			stream+"; the board follows them.", map[string]any{s.statusParam: examples(param(s.statusDescription), s.statusExamples)},
			status, "Publish where a case of "+s.name+" stands.")
	}
	stream := streams[contracts.FamilyShare]
	if stream == "" {
		return nil
	}
	disclosure, err := d.schema(s.disclosure)
	if err != nil {
		return err
	}
	d.message(disclosure, disclosure, "Personal data for one recipient and purpose: only the categories the "+s.name+
		" notice allows it (contracts/notices/"+s.name+".yaml); the payload's data object holds them.", "RelayHeaders")
	recipients, err := noticeRecipients(s.name)
	if err != nil {
		return err
	}
	for _, r := range recipients {
		suffixes := shareSubjectSuffixes(s.name, r.purposes)
		msg := disclosure
		subject := events.ShareSubject(r.id, s.name, suffixes[0])
		if data, ok := disclosureData[subject]; ok && len(suffixes) == 1 {
			if msg, err = d.disclosureWithData(s.name, disclosure, data); err != nil {
				return err
			}
			d.usedData[subject] = true
		}
		d.channel(s.name+"Share"+upper(camel(r.id)), "share."+r.id+"."+s.name+".{purpose}",
			"Disclosures of "+s.name+" to "+r.id+" only, on stream "+stream+" (interest retention: "+
				"kept only until delivered). A partner on NATS reads them in its own account.",
			map[string]any{"purpose": map[string]any{"enum": stringsToAny(suffixes), "description": "The purpose the notice allows this recipient."}},
			msg, "Disclose a case of "+s.name+" to "+r.id+", as its notice allows.")
	}
	return nil
}

// disclosureWithData adds the message of a disclosure whose data object is a Go type: the
// envelope's schema, with data that type's.
func (d *asyncAPIDoc) disclosureWithData(service, disclosure string, data any) (string, error) {
	dataName, err := d.schema(data)
	if err != nil {
		return "", err
	}
	name := disclosure + "With" + dataName
	d.schemas[name] = map[string]any{"allOf": []any{ref("#/components/schemas/" + disclosure),
		map[string]any{"type": "object", "properties": map[string]any{"data": ref("#/components/schemas/" + dataName)}}}}
	d.message(name, name, "A disclosure of "+service+" whose data object is a "+dataName+", as the "+service+" notice allows it.", "RelayHeaders")
	return name, nil
}

// shareSubjectSuffixes are the last subject tokens of a recipient's disclosures: its
// purposes, or the token a purpose travels under.
func shareSubjectSuffixes(service string, purposes []string) []string {
	var out []string
	for _, p := range purposes {
		if s, ok := shareSuffixes[service][p]; ok {
			p = s
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// yaml writes the document with sorted keys: one text for one document.
func (d *asyncAPIDoc) yaml() ([]byte, error) {
	doc := map[string]any{
		"asyncapi": "3.0.0",
		"info": map[string]any{
			"title":   "Casework events",
			"version": "1.0.0",
			"description": "Every subject family Casework publishes on NATS JetStream: domain events and status events " +
				"(no personal data), disclosures (personal data minimised to what a notice allows one recipient for one purpose, " +
				"on that recipient's subjects only) and dead letters; and the rights service's request-reply protocol with the " +
				"services that hold personal data (core NATS, never in a stream). Generated from contracts/services.yaml, contracts/events " +
				"and contracts/notices by contracts/asyncapi_test.go; do not edit by hand.",
		},
		"defaultContentType": "application/json",
		"servers": map[string]any{"council": map[string]any{"host": "127.0.0.1:4222", "protocol": "nats",
			"description": "The council's NATS account (make run); each partner has its own account importing only share.<partner>.>."}},
		"channels":   d.channels,
		"operations": d.operations,
		"components": map[string]any{"messages": d.messages, "schemas": d.schemas},
	}
	// Through JSON, so YAML sees plain maps and writes them with sorted keys.
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var plain map[string]any
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# Generated from contracts/services.yaml, contracts/events and contracts/notices by contracts/asyncapi_test.go: do not edit.\n")
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

// noticeRecipients lists a service's recipients and their purposes from its notice, but
// those the service shows its disclosures to itself (partners.yaml, delivery: served), to
// whom nothing is published.
func noticeRecipients(service string) ([]recipient, error) {
	raw, err := os.ReadFile("notices/" + service + ".yaml")
	if err != nil {
		return nil, err
	}
	served, err := servedRecipients()
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
		if len(purposes) > 0 && !served[id] {
			out = append(out, recipient{id: id, purposes: purposes})
		}
	}
	slices.SortFunc(out, func(a, b recipient) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

// servedRecipients are the partners.yaml ids with delivery: served.
func servedRecipients() (map[string]bool, error) {
	raw, err := os.ReadFile("partners.yaml")
	if err != nil {
		return nil, err
	}
	var dir struct {
		Partners []struct {
			ID       string `yaml:"id"`
			Delivery string `yaml:"delivery"`
		} `yaml:"partners"`
	}
	if err := yaml.Unmarshal(raw, &dir); err != nil {
		return nil, fmt.Errorf("partners.yaml: %w", err)
	}
	served := map[string]bool{}
	for _, p := range dir.Partners {
		served[p.ID] = p.Delivery == "served"
	}
	return served, nil
}

func ref(to string) map[string]any { return map[string]any{"$ref": to} }

func param(description string) map[string]any { return map[string]any{"description": description} }

// examples adds example values to a channel parameter.
func examples(p map[string]any, values []string) map[string]any {
	if len(values) > 0 {
		p["examples"] = stringsToAny(values)
	}
	return p
}

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
