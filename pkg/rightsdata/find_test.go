package rightsdata_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/rightsdata"
)

// A case with its people, as a service would read it for a search.
type testCase struct {
	id     string
	people []rightsdata.Person
}

// Find reads each record the search found, in its order, keeps the people the service's
// match keeps, and marks the restricted ones by record; an empty search reads nothing, and a
// read that fails fails the search.
func TestFindReadsMatchesAndMarksRestrictions(t *testing.T) {
	db := platformDB(t)
	ctx := context.Background()
	cases := map[string]testCase{
		"case-1": {id: "case-1", people: []rightsdata.Person{{Names: []string{"Ann Smith"}}, {Names: []string{"Bob Jones"}}}},
		"case-2": {id: "case-2", people: []rightsdata.Person{{Names: []string{"ann smith"}, Email: "ann@example.org"}}},
		"case-3": {id: "case-3", people: []rightsdata.Person{{Names: []string{"Carol Brown"}}}},
	}
	if _, err := rightsdata.Restrict(ctx, db, rightsdata.Restriction{RecordID: "case-2/0", CaseID: "case-2", RequestID: "req-0",
		Since: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var searched []rightsdata.Wanted
	var read []string
	failRead := errors.New("read failed")
	finder := rightsdata.Finder[testCase, rightsdata.Candidate]{
		Search: func(_ context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
			if limit != rightsdata.MaxCandidates {
				t.Errorf("searched for %d, want %d", limit, rightsdata.MaxCandidates)
			}
			searched = append(searched, w)
			return []string{"case-2", "case-3", "case-1"}, nil
		},
		Read: func(_ context.Context, id string) (testCase, error) {
			read = append(read, id)
			return cases[id], nil
		},
		Match: func(w rightsdata.Wanted, c testCase) []rightsdata.Candidate {
			var out []rightsdata.Candidate
			for i, p := range c.people {
				if matched := w.Matched(p); rightsdata.IsCandidate(matched) {
					out = append(out, rightsdata.Candidate{RecordID: c.id + "/" + string(rune('0'+i)), Kind: "case", Role: "person", Matched: matched})
				}
			}
			return out
		},
		Restrictions: func(ctx context.Context, recordIDs []string) (map[string]rightsdata.Restriction, error) {
			return rightsdata.Restricted(ctx, db, recordIDs)
		},
		As: func(c rightsdata.Candidate) rightsdata.Candidate { return c },
	}

	got, err := rightsdata.Find(ctx, rightsdata.Wanted{Name: " Ann  SMITH"}, finder)
	if err != nil {
		t.Fatal(err)
	}
	want := []rightsdata.Candidate{
		{RecordID: "case-2/0", Kind: "case", Role: "person", Matched: []string{"name"}, Restricted: true},
		{RecordID: "case-1/0", Kind: "case", Role: "person", Matched: []string{"name"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("found %+v, want %+v", got, want)
	}
	if len(searched) != 1 || searched[0].Name != "ann smith" {
		t.Errorf("searched %+v, want the name normalised", searched)
	}
	if !slices.Equal(read, []string{"case-2", "case-3", "case-1"}) {
		t.Errorf("read %v, want each record found in its order", read)
	}

	searched, read = nil, nil
	if got, err := rightsdata.Find(ctx, rightsdata.Wanted{Name: " - "}, finder); got != nil || err != nil || searched != nil || read != nil {
		t.Errorf("a search for nobody: %v, %v; searched %v, read %v", got, err, searched, read)
	}

	finder.Read = func(context.Context, string) (testCase, error) { return testCase{}, failRead }
	if got, err := rightsdata.Find(ctx, rightsdata.Wanted{Name: "Ann Smith"}, finder); got != nil || !errors.Is(err, failRead) {
		t.Errorf("a failed read: %v, %v; want the read's error", got, err)
	}
}
