package rightsdata

import "context"

// Candidate is one person in one record whom a rights request may be about, for the DPO to
// confirm. Its fields are those of the rights protocol's Candidate
// (casework.dev/contracts/rights), so a service converts one to the other with a type
// conversion.
type Candidate struct {
	RecordID   string   `json:"record_id"`
	Kind       string   `json:"kind"`
	Reference  string   `json:"reference"`
	Role       string   `json:"role"`
	Matched    []string `json:"matched"` // in Matched's words and order
	Summary    string   `json:"summary"`
	Restricted bool     `json:"restricted"`
}

// Finder is how one service answers a search, over its records of type R (a case or a
// decision, as it reads them), with candidates of type C (the rights protocol's).
type Finder[R, C any] struct {
	// Search is the service's first filter in its database (see Search): the ids of at
	// most limit records that may be about w, which is normalised.
	Search func(ctx context.Context, w Wanted, limit int) ([]string, error)
	// Read reads one record found and audits on its trail that the request read it.
	Read func(ctx context.Context, id string) (R, error)
	// Match lists the people of the record that w matches (Wanted.Matched), by the
	// service's own rule of who is a candidate; their Restricted is left to Find.
	Match func(w Wanted, record R) []Candidate
	// Restrictions are the restrictions of the records named, by record id (Store).
	Restrictions func(ctx context.Context, recordIDs []string) (map[string]Restriction, error)
	// As is a candidate as the protocol carries it: a type conversion.
	As func(Candidate) C
}

// Find answers a rights search for w: it searches, reads each record found (in the order
// found) and matches it, then marks the candidates whose record is restricted (UK GDPR Art
// 18). Nothing, and no read, when w looks for nothing or nothing is found.
func Find[R, C any](ctx context.Context, w Wanted, f Finder[R, C]) ([]C, error) {
	w, found, err := Search(ctx, w, f.Search)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	var out []Candidate
	for _, id := range found {
		record, err := f.Read(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, f.Match(w, record)...)
	}
	if len(out) == 0 {
		return nil, nil
	}
	recordIDs := make([]string, len(out))
	for i, c := range out {
		recordIDs[i] = c.RecordID
	}
	restricted, err := f.Restrictions(ctx, recordIDs)
	if err != nil {
		return nil, err
	}
	as := make([]C, len(out))
	for i, c := range out {
		_, c.Restricted = restricted[c.RecordID]
		as[i] = f.As(c)
	}
	return as, nil
}
