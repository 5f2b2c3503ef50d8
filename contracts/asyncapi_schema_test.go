package contracts_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// asyncAPISchemaFile is the official AsyncAPI 3.0.0 JSON Schema, vendored from the
// @asyncapi/specs package (see asyncapi/schema/README.md).
const asyncAPISchemaFile = "asyncapi/schema/asyncapi-3.0.0.json"

// The committed document is valid AsyncAPI 3.0.0 as the specification's own JSON Schema
// says, not only as TestAsyncAPIDocumentIsWellFormed reads it.
func TestAsyncAPIDocumentIsValidAgainstTheOfficialSchema(t *testing.T) {
	schema := compileAsyncAPISchema(t)
	raw, err := os.ReadFile(asyncAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(asJSON(t, raw)); err != nil {
		t.Fatalf("%s is not valid AsyncAPI 3.0.0:\n%v", asyncAPIFile, err)
	}
}

// The schema is really applied: a document breaking it is refused.
func TestOfficialAsyncAPISchemaRefusesAnInvalidDocument(t *testing.T) {
	schema := compileAsyncAPISchema(t)
	for name, doc := range map[string]string{
		"no info":          "asyncapi: 3.0.0\n",
		"another version":  "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\n",
		"operation action": "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels: {c: {address: a}}\noperations: {o: {action: publish, channel: {$ref: '#/channels/c'}}}\n",
		"unknown field":    "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nsubjects: {}\n",
	} {
		var invalid *jsonschema.ValidationError
		if err := schema.Validate(asJSON(t, []byte(doc))); !errors.As(err, &invalid) {
			t.Errorf("%s: %v, want a validation error", name, err)
		}
	}
}

func compileAsyncAPISchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(asyncAPISchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://casework.dev/contracts/asyncapi/schema/asyncapi-3.0.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// asJSON reads YAML as the schema sees JSON: numbers as JSON numbers, maps with string keys.
func asJSON(t *testing.T, raw []byte) any {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
