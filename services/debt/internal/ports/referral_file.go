package ports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// Referral file columns (CSV header names and JSON Lines keys).
var (
	requiredColumns = []string{"client_reference", "order_date", "order_reference", "debtor_name", "address", "amount_pence"}
	optionalColumns = []string{"second_debtor_name", "phone", "email", "vehicle_registration", "employment", "vulnerability"}
)

// rowReader yields a referral file's rows one at a time; io.EOF ends it.
type rowReader interface {
	next() (app.ReferralRow, error)
}

// refer streams a referral file (CSV with a header, or JSON Lines) through in batches and
// streams the per-row report back: memory stays flat whatever the file's size. A file that
// cannot be read as a whole (no header, unknown or missing columns, not JSON Lines) is a
// problem; after that each bad row is reported and the rest go on.
func (h handlers) refer(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r)
	if err != nil {
		return err
	}
	client, err := h.svc.ReferralClient(r.Context(), caller, r.URL.Query().Get("client"))
	if err != nil {
		return err
	}
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var rows rowReader
	switch media {
	case "text/csv":
		rows, err = newCSVRows(r.Body)
	case "application/x-ndjson", "application/jsonl":
		rows, err = newJSONLRows(r.Body)
	default:
		return httpserver.UnsupportedMediaType("send the referral file as text/csv (with a header) or application/x-ndjson (JSON Lines)")
	}
	if err != nil {
		return err
	}
	// The report streams back while the file is still coming in. An HTTP/1 server would
	// otherwise discard up to 256 KiB of the unread body when the report starts, silently
	// losing the rows in it.
	if err := http.NewResponseController(w).EnableFullDuplex(); err != nil {
		return fmt.Errorf("referral file: streaming the report needs a full-duplex connection: %w", err)
	}
	return h.streamReport(w, r, caller, client, rows)
}

// storing is one batch of a referral file being stored in the background.
type storing struct {
	done    chan struct{}
	refs    []string
	results []app.RowResult
	err     error
}

// streamReport reads the file in batches and stores up to h.parallel of them at once, so
// reading and building the next batch overlap with the database storing the last; the
// report is written in file order as each oldest batch completes. Memory holds at most
// h.parallel+1 batches whatever the file's size. A batch repeating a client reference of a
// batch still being stored waits for it, so the first row of a reference in the file is the
// one accepted and the later ones are already referred, as when stored one by one.
func (h handlers) streamReport(w http.ResponseWriter, r *http.Request, caller app.Caller, client domain.Client, rows rowReader) error {
	ctx, cancel := context.WithCancel(r.Context())
	var inflight []*storing
	defer func() { // no batch outlives the request
		cancel()
		for _, s := range inflight {
			<-s.done
		}
	}()
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	counts := map[string]int{app.RowAccepted: 0, app.RowAlreadyReferred: 0, app.RowRefused: 0}
	started, first := false, true
	pendingRefs := map[string]int{} // client references of the batches being stored
	launch := func(batch []app.ReferralRow) {
		s := &storing{done: make(chan struct{}), refs: make([]string, len(batch))}
		for i, row := range batch {
			s.refs[i] = strings.TrimSpace(row.Referral.ClientReference)
			pendingRefs[s.refs[i]]++
		}
		go func() {
			defer close(s.done)
			s.results, s.err = h.svc.ReferBatch(ctx, caller, client, batch)
		}()
		inflight = append(inflight, s)
	}
	reportOldest := func() error {
		s := inflight[0]
		<-s.done
		inflight = inflight[1:]
		for _, ref := range s.refs {
			if pendingRefs[ref]--; pendingRefs[ref] == 0 {
				delete(pendingRefs, ref)
			}
		}
		if s.err != nil {
			return s.err
		}
		if !started {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			fmt.Fprintf(out, `{"client":%q,"rows":[`, client.ID)
			started = true
		}
		for _, res := range s.results {
			if !first {
				out.WriteByte(',')
			}
			first = false
			counts[res.Outcome]++
			if err := enc.Encode(res); err != nil {
				return err
			}
		}
		return out.Flush()
	}
	waitForRepeats := func(batch []app.ReferralRow) error {
		for _, row := range batch {
			for pendingRefs[strings.TrimSpace(row.Referral.ClientReference)] > 0 {
				if err := reportOldest(); err != nil {
					return err
				}
			}
		}
		return nil
	}
	batch := make([]app.ReferralRow, 0, h.batch)
	for {
		row, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if started {
				return fmt.Errorf("referral file: %w", err) // the status is sent; the report stops short
			}
			return err
		}
		batch = append(batch, row)
		if len(batch) < h.batch {
			continue
		}
		if err := waitForRepeats(batch); err != nil {
			return err
		}
		launch(batch)
		batch = make([]app.ReferralRow, 0, h.batch)
		if len(inflight) == h.parallel {
			if err := reportOldest(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		if err := waitForRepeats(batch); err != nil {
			return err
		}
		launch(batch)
	}
	for len(inflight) > 0 {
		if err := reportOldest(); err != nil {
			return err
		}
	}
	if !started {
		return malformed("the file has no rows after its header")
	}
	fmt.Fprintf(out, `],"accepted":%d,"already_referred":%d,"refused":%d}`, counts[app.RowAccepted], counts[app.RowAlreadyReferred], counts[app.RowRefused])
	out.WriteByte('\n')
	return out.Flush()
}

func malformed(detail string) *httpserver.Problem {
	return &httpserver.Problem{Type: TypeMalformedFile, Title: "Malformed referral file", Status: http.StatusBadRequest, Detail: detail}
}

type csvRows struct {
	r      *csv.Reader
	column map[string]int
}

func newCSVRows(body io.Reader) (*csvRows, error) {
	r := csv.NewReader(body)
	r.FieldsPerRecord = -1 // a short or long row is that row's problem, not the file's
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, malformed("the file does not start with a CSV header line: " + err.Error())
	}
	known := map[string]bool{}
	for _, c := range append(append([]string{}, requiredColumns...), optionalColumns...) {
		known[c] = true
	}
	rows := &csvRows{r: r, column: map[string]int{}}
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		if !known[name] {
			return nil, malformed(fmt.Sprintf("unknown column %q; the columns are %s, and optionally %s", name,
				strings.Join(requiredColumns, ", "), strings.Join(optionalColumns, ", ")))
		}
		if _, dup := rows.column[name]; dup {
			return nil, malformed(fmt.Sprintf("column %q appears twice", name))
		}
		rows.column[name] = i
	}
	for _, c := range requiredColumns {
		if _, ok := rows.column[c]; !ok {
			return nil, malformed(fmt.Sprintf("the header lacks the required column %q", c))
		}
	}
	return rows, nil
}

func (c *csvRows) next() (app.ReferralRow, error) {
	rec, err := c.r.Read()
	line, _ := c.r.FieldPos(0)
	if errors.Is(err, io.EOF) {
		return app.ReferralRow{}, io.EOF
	}
	var parseErr *csv.ParseError
	if errors.As(err, &parseErr) {
		return app.ReferralRow{Line: parseErr.StartLine, Errors: []*casework.ValidationError{{Field: "", Detail: "not a valid CSV row: " + parseErr.Err.Error()}}}, nil
	}
	if err != nil {
		return app.ReferralRow{}, err
	}
	get := func(name string) string {
		if i, ok := c.column[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	row := app.ReferralRow{Line: line}
	if len(rec) != len(c.column) {
		row.Errors = append(row.Errors, &casework.ValidationError{Field: "", Detail: fmt.Sprintf("has %d fields; the header has %d", len(rec), len(c.column))})
	}
	row.Referral = domain.NewReferral{ClientReference: get("client_reference"), OrderReference: get("order_reference"),
		DebtorNames: []string{get("debtor_name"), get("second_debtor_name")}, Address: get("address"), Phone: get("phone"),
		Email: get("email"), VehicleRegistration: get("vehicle_registration"), Employment: get("employment"), ReportedVulnerability: get("vulnerability")}
	row.Errors = append(row.Errors, fillTyped(&row.Referral, get("order_date"), get("amount_pence"))...)
	return row, nil
}

// fillTyped parses the date and the amount in whole pence; a problem is the row's.
func fillTyped(ref *domain.NewReferral, orderDate, amount string) []*casework.ValidationError {
	var errs []*casework.ValidationError
	if s := strings.TrimSpace(orderDate); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			errs = append(errs, &casework.ValidationError{Field: "order_date", Detail: "is not a date (YYYY-MM-DD)"})
		}
		ref.OrderDate = d
	}
	s := strings.TrimSpace(amount)
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case s == "":
	case err != nil:
		errs = append(errs, &casework.ValidationError{Field: "amount_pence", Detail: "must be a whole number of pence (no decimal point, no currency sign)"})
	default:
		ref.AmountPence = n
	}
	return errs
}

type jsonlRows struct {
	s    *bufio.Scanner
	line int
	seen bool // a first row was read: later bad lines are rows' problems
}

func newJSONLRows(body io.Reader) (*jsonlRows, error) {
	s := bufio.NewScanner(body)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	rows := &jsonlRows{s: s}
	return rows, nil
}

type jsonlRow struct {
	ClientReference     string   `json:"client_reference"`
	OrderDate           string   `json:"order_date"`
	OrderReference      string   `json:"order_reference"`
	DebtorNames         []string `json:"debtor_names"`
	Address             string   `json:"address"`
	AmountPence         any      `json:"amount_pence"`
	Phone               string   `json:"phone"`
	Email               string   `json:"email"`
	VehicleRegistration string   `json:"vehicle_registration"`
	Employment          string   `json:"employment"`
	Vulnerability       string   `json:"vulnerability"`
}

func (j *jsonlRows) next() (app.ReferralRow, error) {
	for j.s.Scan() {
		j.line++
		raw := bytes.TrimSpace(j.s.Bytes())
		if len(raw) == 0 {
			continue
		}
		if !j.seen && raw[0] != '{' {
			return app.ReferralRow{}, malformed(fmt.Sprintf("the file is not JSON Lines: line %d is not a JSON object", j.line))
		}
		j.seen = true
		row := app.ReferralRow{Line: j.line}
		var in jsonlRow
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		dec.UseNumber()
		if err := dec.Decode(&in); err != nil {
			row.Errors = []*casework.ValidationError{{Field: "", Detail: "not a JSON object of a referral: " + err.Error()}}
			return row, nil
		}
		amount := ""
		switch v := in.AmountPence.(type) {
		case json.Number:
			amount = v.String()
		case nil:
		default:
			row.Errors = append(row.Errors, &casework.ValidationError{Field: "amount_pence", Detail: "must be a whole number of pence"})
		}
		row.Referral = domain.NewReferral{ClientReference: in.ClientReference, OrderReference: in.OrderReference, DebtorNames: in.DebtorNames,
			Address: in.Address, Phone: in.Phone, Email: in.Email, VehicleRegistration: in.VehicleRegistration, Employment: in.Employment,
			ReportedVulnerability: in.Vulnerability}
		row.Errors = append(row.Errors, fillTyped(&row.Referral, in.OrderDate, amount)...)
		return row, nil
	}
	if err := j.s.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return app.ReferralRow{}, malformed(fmt.Sprintf("line %d is longer than 1 MiB", j.line+1))
		}
		return app.ReferralRow{}, err
	}
	return app.ReferralRow{}, io.EOF
}
