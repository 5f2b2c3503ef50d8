package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecodeJSON checks DecodeJSON against encoding/json and an independent
// duplicate-key and text oracle: it never panics, refuses only with
// problems, refuses every body with an exactly repeated member name or with a
// string it would not keep as sent (U+0000, or a U+FFFD the body never
// spelled), and whatever it accepts encoding/json decodes to the same value.
func FuzzDecodeJSON(f *testing.F) {
	seeds := []string{
		`{"summary":"bins","channel":"web","contacts":[{"email":"a@b.c"}],"meta":{"k":"v"},"count":2}`,
		`{"contacts":[{"email":"a"},{"email":"b","email":"c"}]}`,
		`{"free":{"a":[{"b":{"c":1,"c":2}}]}}`,
		`{"summary":"a","\u0073ummary":"b"}`,
		`{"summary":"a","SUMMARY":"b"}`,
		`{"summary":"a"}{"summary":"b"}`,
		`{"summary":"a"} trailing`,
		`{"count":1e400}`,
		`{"count":123456789012345678901234567890}`,
		`{"free":-0.000000000000000000000000000001e-400}`,
		`{"free":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`,
		`{"free":` + strings.Repeat(`{"a":`, 64) + `1` + strings.Repeat("}", 64) + `}`,
		"{\"summary\":\"\xff\xfe\"}",
		"{\"\xc3\x28\":1}",
		`{"free":"\ud800"}`,
		`{"meta":{"\ud800":"1","\udc00":"2"}}`,
		`{"free":{"":1,"":2}}`,
		``,
		`   `,
		`null`,
		`[]`,
		`{"summary":"a",}`,
		`{"a\/b":1,"a/b":2}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var strict testComplaint
		errStruct := decodeBytesViaRequest(body, &strict)
		var generic any
		errAny := decodeBytesViaRequest(body, &generic)

		for _, err := range []error{errStruct, errAny} {
			var p *Problem
			if err != nil && !errors.As(err, &p) {
				t.Fatalf("refusal is not a problem: %v", err)
			}
		}
		dup, unstorable, syntaxOK := referenceWalk(body)
		if dup && (errStruct == nil || errAny == nil) {
			t.Fatalf("accepted a body with a duplicate key: %q", body)
		}
		if unstorable && (errStruct == nil || errAny == nil) {
			t.Fatalf("accepted a body with a string that cannot be kept as sent: %q", body)
		}
		if errAny == nil {
			if !syntaxOK {
				t.Fatalf("accepted a body the reference walk finds invalid: %q", body)
			}
			var ref any
			if err := json.Unmarshal(body, &ref); err != nil {
				t.Fatalf("accepted %q but encoding/json refuses it: %v", body, err)
			}
			if !reflect.DeepEqual(ref, generic) {
				t.Fatalf("decoded %#v, encoding/json %#v", generic, ref)
			}
		}
		if errStruct == nil {
			var ref testComplaint
			if err := json.Unmarshal(body, &ref); err != nil {
				t.Fatalf("accepted %q but encoding/json refuses it: %v", body, err)
			}
			if !reflect.DeepEqual(ref, strict) {
				t.Fatalf("decoded %#v, encoding/json %#v", strict, ref)
			}
		}
	})
}

func decodeBytesViaRequest(body []byte, dst any) error {
	r, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return DecodeJSON(r, dst, 1<<20)
}

// referenceWalk walks the first JSON value with json.Decoder.Token and
// reports whether some object repeats a member name exactly, whether a name
// or string decodes to U+0000 or to a U+FFFD the body does not spell, and
// whether the walk got through without a syntax error.
func referenceWalk(body []byte) (dup, unstorable, ok bool) {
	spellsFFFD := bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`)) || bytes.ContainsRune(body, '\ufffd')
	checkText := func(s string) {
		if strings.ContainsRune(s, 0) || (strings.ContainsRune(s, '\ufffd') && !spellsFFFD) {
			unstorable = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if s, isString := tok.(string); isString {
			checkText(s)
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				checkText(key)
				if seen[key] {
					dup = true
				}
				seen[key] = true
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	err := walk()
	return dup, unstorable, err == nil
}
