package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
)

// fuzzTarget is one complaints service for a whole fuzz target: a fresh database per input
// would be far too slow. Only the answers matter here.
type fuzzTarget struct {
	handler http.Handler
	token   string
}

func newFuzzTarget(f *testing.F) fuzzTarget {
	f.Helper()
	e := testkit.StartService(f, testkit.ServiceEnv{Migrations: service.Migrations(), Clock: calendar.NewManualClock(start),
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			cal, err := calendar.New(calendar.Config{})
			if err != nil {
				return nil, err
			}
			return service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes), Calendar: cal})
		}})
	// The clock never moves, so one token lasts the whole run.
	return fuzzTarget{handler: e.Server.Config.Handler, token: e.Token("fuzz", "complaints_officer")}
}

// FuzzLogComplaintBody posts arbitrary bytes as a new complaint. Whatever arrives, the
// answer is never a 5xx, every refusal is a problem with a type, and a complaint is only
// created from a JSON object whose keys do not repeat.
func FuzzLogComplaintBody(f *testing.F) {
	target := newFuzzTarget(f)
	valid, err := json.Marshal(aComplaint())
	if err != nil {
		f.Fatal(err)
	}
	v := string(valid)
	for _, seed := range []string{
		v,
		strings.Replace(v, `"service":"waste"`, `"service":"waste","service":"waste"`, 1),
		strings.Replace(v, `"name":"Ada Lovelace"`, `"name":"Ada Lovelace","NAME":"Ada"`, 1),
		strings.Replace(v, `"channel":"web"`, `"channel":"web","priority":1`, 1),
		strings.Replace(v, `"phone":`, `"fax":"01622 000222","phone":`, 1),
		strings.Replace(v, `"details":`, `"special_details":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`,"details":`, 1),
		strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
		strings.Replace(v, `"details":"`, `"details":"`+strings.Repeat("x", 30000), 1),
		strings.Replace(v, `"details":"`, `"details":"`+strings.Repeat("y", 70000), 1),
		strings.Replace(v, `"details":"Bins`, "\"details\":\"Bins \xff\xfe", 1),
		strings.Replace(v, `Ada Lovelace`, `Ada \ud800 Lovelace`, 1),
		v + " ",
		v + "x",
		"",
		"null",
		"[]",
		`"a string"`,
		"{}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/complaints", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+target.token)
		rec := httptest.NewRecorder()
		target.handler.ServeHTTP(rec, req)

		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, clip(body), rec.Body.Bytes())
		}
		ct := rec.Header().Get("Content-Type")
		if rec.Code == http.StatusCreated {
			if ct != "application/json" {
				t.Fatalf("201 as %q", ct)
			}
			if !utf8.Valid(body) || !json.Valid(body) || firstByte(body) != '{' {
				t.Fatalf("created a complaint from a body that is not a JSON object: %q", clip(body))
			}
			if !keysUnique(body) {
				t.Fatalf("created a complaint from a body with a repeated key: %q", clip(body))
			}
			return
		}
		if rec.Code < 400 {
			t.Fatalf("status %d for %q: %s", rec.Code, clip(body), rec.Body.Bytes())
		}
		if ct != httpserver.ProblemContentType {
			t.Fatalf("status %d as %q: %s", rec.Code, ct, rec.Body.Bytes())
		}
		var p struct {
			Type   string `json:"type"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || !strings.HasPrefix(p.Type, "https://casework.dev/problems/") || p.Status != rec.Code {
			t.Fatalf("status %d with problem %s (%v)", rec.Code, rec.Body.Bytes(), err)
		}
	})
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// keysUnique reports whether no object in valid JSON names a member twice, names compared
// as encoding/json matches them to struct fields (Unicode case folding).
func keysUnique(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var value func() bool
	value = func() bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			var names []string
			for dec.More() {
				name, err := dec.Token()
				if err != nil {
					return false
				}
				for _, seen := range names {
					if strings.EqualFold(seen, name.(string)) {
						return false
					}
				}
				names = append(names, name.(string))
				if !value() {
					return false
				}
			}
			_, err = dec.Token()
			return err == nil
		case json.Delim('['):
			for dec.More() {
				if !value() {
					return false
				}
			}
			_, err = dec.Token()
			return err == nil
		}
		return true
	}
	return value()
}

func clip(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}
