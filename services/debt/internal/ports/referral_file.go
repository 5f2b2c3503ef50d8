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
	"maps"
	"mime"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// Referral file columns (CSV header names and JSON Lines keys).
var (
	requiredColumns = []string{"client_reference", "order_date", "order_reference", "debtor_name", "address", "amount_pence"}
	optionalColumns = []string{"second_debtor_name", "phone", "email", "vehicle_registration", "employment", "vulnerability", "vulnerable_debtor"}
)

// rowReader yields a referral file's rows one at a time; io.EOF ends it. Any other error
// is the stream itself failing (the upload broke off, came too slowly or ran past the
// server's limit): nothing after it can be read, and unreadLine is the line it stopped at.
type rowReader interface {
	next() (app.ReferralRow, error)
	unreadLine() int
}

// refer streams a referral file (CSV with a header, or JSON Lines) through in batches and
// streams the per-row report back: memory stays flat whatever the file's size. A file that
// cannot be read as a whole (no header, unknown or missing columns, not JSON Lines) is a
// problem; after that each bad row is reported and the rest go on.
func (h handlers) refer(w http.ResponseWriter, r *http.Request) error {
	if p := referralQueryProblem(r); p != nil {
		return p
	}
	caller, err := callerOf(r, officeRoles)
	if err != nil {
		return err
	}
	client, err := h.svc.ReferralClient(r.Context(), caller, r.URL.Query().Get("client"))
	if err != nil {
		return err
	}
	media, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		// The file is read as UTF-8; another encoding would be misread, or refused row by row.
		return httpserver.UnsupportedMediaType("send the referral file in UTF-8 (charset=utf-8), not " + cs)
	}
	body := withoutBOM(r.Body)
	var rows rowReader
	switch media {
	case "text/csv":
		rows, err = newCSVRows(body)
	case "application/x-ndjson", "application/jsonl":
		rows, err = newJSONLRows(body)
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

// withoutBOM is the file without the byte order mark Windows tools write at the start of a
// UTF-8 file, taken off before a reader sees it: encoding/csv would read it as part of the
// first header name, and a quote after it as a bare quote in that field. The buffer is the
// JSON Lines reader's own (newJSONLRows), and serves the CSV reader as its own too.
func withoutBOM(body io.Reader) *bufio.Reader {
	b := bufio.NewReaderSize(body, jsonlBuffer)
	if bom, _ := b.Peek(3); string(bom) == "\ufeff" {
		b.Discard(3)
	}
	return b
}

// referralQueryProblem refuses the query as the OpenAPI validator refuses every other
// route's (pkg/httpserver's queryProblem), which the streamed upload does not pass through:
// a parameter the operation does not take (a misspelt one would be ignored), and client
// given more than once or longer than the contract's 100 characters (the first would be
// read, and a proxy reading the last would see another request). Nil when it is sound.
func referralQueryProblem(r *http.Request) *httpserver.Problem {
	if r.URL.RawQuery == "" {
		return nil
	}
	query := r.URL.Query()
	fields := httpserver.QueryFaults(query, func(name string) (bool, bool) { return name == "client", false })
	if client := query["client"]; len(client) == 1 && utf8.RuneCountInString(client[0]) > maxClientParam {
		fields = append(fields, httpserver.FieldError{Parameter: "client",
			Detail: fmt.Sprintf("query parameter %q: maximum string length is %d", "client", maxClientParam)})
	}
	if fields == nil {
		return nil
	}
	return httpserver.Validation("the request does not match the API description", fields...)
}

// maxClientParam is the contract's maxLength of the client parameter.
const maxClientParam = 100

// storing is one batch of a referral file being stored in the background.
type storing struct {
	done    chan struct{}
	rows    []app.ReferralRow
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
//
// Once the report has begun (200 and rows sent) nothing can turn it into a problem, so no
// failure after that may cut it short: a batch that could not be stored has its rows
// refused as not stored, and the rest of the file is read and refused the same way, never
// stored; a stream that breaks off ends the report with a row saying so. The report always
// ends whole, with its counts; the failure is returned for the log only.
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
	var storeErr error              // storing failed after the report began: from then on rows are refused, not stored
	notStored := ""                 // why, on each row refused for it
	launch := func(batch []app.ReferralRow) {
		s := &storing{done: make(chan struct{}), rows: batch, refs: make([]string, len(batch))}
		for i, row := range batch {
			s.refs[i] = row.Referral.ClientReference // exactly: a reference is never trimmed (one with white space at an end is refused)
			pendingRefs[s.refs[i]]++
		}
		go func() {
			defer close(s.done)
			defer func() { // a panic here would end the whole service, not just this report
				if v := recover(); v != nil {
					s.err = fmt.Errorf("storing referral rows panicked: %v\n%s", v, debug.Stack())
				}
			}()
			s.results, s.err = h.svc.ReferBatch(ctx, caller, client, batch)
		}()
		inflight = append(inflight, s)
	}
	writeRow := func(res app.RowResult) error {
		if !started {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			fmt.Fprintf(out, `{"client":%q,"rows":[`, client.ID)
			started = true
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		counts[res.Outcome]++
		return enc.Encode(res)
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
		results := s.results
		if s.err != nil {
			if !started {
				return s.err // nothing reported yet: answered as a problem, and the whole file may be sent again
			}
			if storeErr == nil {
				storeErr = s.err
				notStored = fmt.Sprintf("not stored: the service failed storing the file from line %d on; send this row again "+
					"(a row already referred is reported, never created twice)", s.rows[0].Line)
			}
			results = nil
			for _, row := range s.rows {
				results = append(results, app.Unstored(row, notStored))
			}
		}
		for _, res := range results {
			if err := writeRow(res); err != nil {
				return err
			}
		}
		return out.Flush()
	}
	waitForRepeats := func(batch []app.ReferralRow) error {
		for _, row := range batch {
			for pendingRefs[row.Referral.ClientReference] > 0 {
				if err := reportOldest(); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// refuseUnstored reports rows read once storing failed, after the batches still being
	// stored, so the report stays in file order.
	refuseUnstored := func(batch []app.ReferralRow) error {
		for len(inflight) > 0 {
			if err := reportOldest(); err != nil {
				return err
			}
		}
		for _, row := range batch {
			if err := writeRow(app.Unstored(row, notStored)); err != nil {
				return err
			}
		}
		return nil
	}
	// store launches a whole batch, or refuses it when storing has failed meanwhile.
	store := func(batch []app.ReferralRow) error {
		if err := waitForRepeats(batch); err != nil {
			return err
		}
		if storeErr != nil {
			return refuseUnstored(batch)
		}
		launch(batch)
		if len(inflight) == h.parallel {
			return reportOldest()
		}
		return nil
	}
	batch := make([]app.ReferralRow, 0, h.batch)
	var readErr error // the stream failed: the rows read are stored and reported, then where it stopped
	for read := 0; ; read++ {
		row, err := nextRow(rows)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if read == 0 {
				return err // nothing of the file was read: the file's problem, answered as one
			}
			readErr = err
			break
		}
		batch = append(batch, row)
		if len(batch) < h.batch && storeErr == nil {
			continue
		}
		if err := store(batch); err != nil {
			return err
		}
		batch = make([]app.ReferralRow, 0, h.batch)
	}
	if len(batch) > 0 {
		if err := store(batch); err != nil {
			return err
		}
	}
	for len(inflight) > 0 {
		if err := reportOldest(); err != nil {
			return err
		}
	}
	if readErr != nil {
		// The report stays whole and says it stops short: its last row is the line the
		// stream failed at, refused with why, so no client takes it for the whole file.
		if err := writeRow(app.RowResult{Line: rows.unreadLine(), Outcome: app.RowRefused, Errors: []app.RowError{{Field: "",
			Reason: "the file could not be read from this line on (" + readFailure(readErr) + "): it and any rows after it were not read, " +
				"so this report is incomplete; send them again (a row already referred is reported, never created twice)"}}}); err != nil {
			return err
		}
	}
	if !started {
		return malformed("the file has no rows after its header")
	}
	fmt.Fprintf(out, `],"accepted":%d,"already_referred":%d,"refused":%d}`, counts[app.RowAccepted], counts[app.RowAlreadyReferred], counts[app.RowRefused])
	out.WriteByte('\n')
	if err := out.Flush(); err != nil {
		return err
	}
	var failures []error // the report is sent; these are for the log
	if storeErr != nil {
		failures = append(failures, fmt.Errorf("referral file not stored from the batch that failed on: %w", storeErr))
	}
	if readErr != nil {
		failures = append(failures, fmt.Errorf("referral file read up to line %d: %w", rows.unreadLine(), readErr))
	}
	return errors.Join(failures...)
}

// errReading is a row the service failed to read (a fault of its own, not the file's).
var errReading = errors.New("reading a referral row failed")

// nextRow is the file's next row. A panic reading it is a failure of the stream like any
// other, so a report already begun still ends whole.
func nextRow(rows rowReader) (row app.ReferralRow, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%w: %v\n%s", errReading, v, debug.Stack())
		}
	}()
	return rows.next()
}

// readFailure says why a referral file's stream could not be read on, in a client's words.
func readFailure(err error) string {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("the file is larger than the %d bytes accepted", tooLarge.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "the file did not arrive in time"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the upload ended in the middle of the file"
	case errors.Is(err, errReading):
		return "the service failed reading it"
	}
	return "the upload broke off"
}

func malformed(detail string) *httpserver.Problem {
	return &httpserver.Problem{Type: TypeMalformedFile, Title: "Malformed referral file", Status: http.StatusBadRequest, Detail: detail}
}

type csvRows struct {
	r      *csv.Reader
	column map[string]int
	header []string // the column of each field, in the file's order
	end    int      // the last line of the last record read (1: the header)
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
	rows := &csvRows{r: r, column: map[string]int{}, end: 1}
	for i, name := range header {
		name = strings.TrimSpace(name)
		if !known[name] {
			return nil, malformed(fmt.Sprintf("unknown column %q; the columns are %s, and optionally %s", name,
				strings.Join(requiredColumns, ", "), strings.Join(optionalColumns, ", ")))
		}
		if _, dup := rows.column[name]; dup {
			return nil, malformed(fmt.Sprintf("column %q appears twice", name))
		}
		rows.column[name] = i
		rows.header = append(rows.header, name)
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
	if errors.Is(err, io.EOF) {
		return app.ReferralRow{}, io.EOF
	}
	var parseErr *csv.ParseError
	if errors.As(err, &parseErr) {
		// The reader returns the fields before the one it could not read, so that one is
		// named by its column (the whole row's when past the header's columns); there may be
		// none before it, so no field position is asked for.
		c.end = parseErr.Line
		field := ""
		if len(rec) < len(c.header) {
			field = c.header[len(rec)]
		}
		return app.ReferralRow{Line: parseErr.StartLine, Errors: []*casework.ValidationError{{Field: field,
			Detail: fmt.Sprintf("not valid CSV (line %d, column %d): %s", parseErr.Line, parseErr.Column, parseErr.Err)}}}, nil
	}
	if err != nil {
		return app.ReferralRow{}, err
	}
	line, _ := c.r.FieldPos(0)
	last, _ := c.r.FieldPos(len(rec) - 1)
	c.end = last + strings.Count(rec[len(rec)-1], "\n")
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
	// Every field as the file has it: quotes make spaces a field's own, and the reader keeps
	// leading spaces (csv.Reader's TrimLeadingSpace is off). An empty second_debtor_name is
	// no second debtor; one of white space only is a blank name, refused.
	names := []string{get("debtor_name")}
	if second := get("second_debtor_name"); second != "" {
		names = append(names, second)
	}
	row.Referral = domain.NewReferral{ClientReference: get("client_reference"), OrderReference: get("order_reference"),
		DebtorNames: names, Address: get("address"), Phone: get("phone"),
		Email: get("email"), VehicleRegistration: get("vehicle_registration"), Employment: get("employment"), ReportedVulnerability: get("vulnerability")}
	row.Errors = append(row.Errors, fillTyped(&row.Referral, get("order_date"), get("amount_pence"))...)
	if s := get("vulnerable_debtor"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && !domain.EdgeSpace(s) {
			row.Referral.VulnerableDebtor = n
		} else {
			row.Errors = append(row.Errors, &casework.ValidationError{Field: "vulnerable_debtor",
				Detail: "must be the position of the debtor the vulnerability concerns: 1 for debtor_name, 2 for second_debtor_name"})
		}
	}
	return row, nil
}

func (c *csvRows) unreadLine() int { return c.end + 1 }

// fillTyped parses the date and the amount in whole pence, each as sent (white space at an
// end is refused, as the JSON API refuses it, never trimmed); a problem is the row's.
func fillTyped(ref *domain.NewReferral, orderDate, amount string) []*casework.ValidationError {
	var errs []*casework.ValidationError
	switch {
	case orderDate == "":
	case domain.EdgeSpace(orderDate):
		errs = append(errs, &casework.ValidationError{Field: "order_date", Detail: domain.EdgeSpaceDetail})
	default:
		d, err := calendar.ParseDate(orderDate)
		if err != nil {
			errs = append(errs, &casework.ValidationError{Field: "order_date", Detail: "is not a date (YYYY-MM-DD)"})
		}
		ref.OrderDate = d
	}
	s := amount
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case s == "":
	case domain.EdgeSpace(s):
		errs = append(errs, &casework.ValidationError{Field: "amount_pence", Detail: domain.EdgeSpaceDetail})
	case err != nil:
		errs = append(errs, &casework.ValidationError{Field: "amount_pence", Detail: "must be a whole number of pence (no decimal point, no currency sign)"})
	default:
		ref.AmountPence = n
	}
	return errs
}

// maxJSONLine bounds one line of a JSON Lines file, in bytes without its line break: no
// referral comes near it, and a line is held whole while it is decoded.
const maxJSONLine = 1 << 20

type jsonlRows struct {
	r    *bufio.Reader
	buf  []byte // the line being read, at most maxJSONLine bytes of it
	line int    // lines read whole
	seen bool   // a first row was read: later bad lines are rows' problems
}

// jsonlBuffer is the JSON Lines reader's buffer: a line is read through it in chunks.
const jsonlBuffer = 64 << 10

func newJSONLRows(body io.Reader) (*jsonlRows, error) {
	return &jsonlRows{r: bufio.NewReaderSize(body, jsonlBuffer)}, nil
}

// jsonlKeys are the members a row may have, spelt exactly: encoding/json would match
// "Client_Reference" to client_reference, where every other route refuses it.
var jsonlKeys = map[string]bool{"client_reference": true, "order_date": true, "order_reference": true, "debtor_names": true,
	"address": true, "amount_pence": true, "phone": true, "email": true, "vehicle_registration": true, "employment": true,
	"vulnerability": true, "vulnerable_debtor": true}

type jsonlRow struct {
	ClientReference     string          `json:"client_reference"`
	OrderDate           string          `json:"order_date"`
	OrderReference      string          `json:"order_reference"`
	DebtorNames         []string        `json:"debtor_names"`
	Address             string          `json:"address"`
	AmountPence         json.RawMessage `json:"amount_pence"`
	Phone               string          `json:"phone"`
	Email               string          `json:"email"`
	VehicleRegistration string          `json:"vehicle_registration"`
	Employment          string          `json:"employment"`
	Vulnerability       string          `json:"vulnerability"`
	VulnerableDebtor    int             `json:"vulnerable_debtor"` // a position in debtor_names, from 1
}

// readLine reads the next line without its line break. A line longer than maxJSONLine is
// read on to its end and dropped but for its first maxJSONLine bytes, and reported too
// long: the next line is read as usual. io.EOF when no line is left; any other error is the
// stream failing, and the line it broke off in is not returned.
func (j *jsonlRows) readLine() (line []byte, tooLong bool, err error) {
	j.buf = j.buf[:0]
	read := 0
	for {
		chunk, err := j.r.ReadSlice('\n')
		read += len(chunk)
		if room := maxJSONLine + 2 - len(j.buf); room > 0 { // room for a line break of "\r\n" too
			j.buf = append(j.buf, chunk[:min(len(chunk), room)]...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && read == 0:
			return nil, false, io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return nil, false, err
		}
		j.line++
		line = j.buf
		if l, ok := bytes.CutSuffix(line, []byte("\n")); ok {
			line = bytes.TrimSuffix(l, []byte("\r"))
		}
		if read > len(j.buf) || len(line) > maxJSONLine {
			return line[:min(len(line), maxJSONLine)], true, nil
		}
		return line, false, nil
	}
}

func (j *jsonlRows) unreadLine() int { return j.line + 1 }

func (j *jsonlRows) next() (app.ReferralRow, error) {
	for {
		line, tooLong, err := j.readLine()
		if err != nil {
			return app.ReferralRow{}, err
		}
		raw := bytes.TrimSpace(line)
		if len(raw) == 0 && !tooLong {
			continue
		}
		if !j.seen && (len(raw) == 0 || raw[0] != '{') {
			return app.ReferralRow{}, malformed(fmt.Sprintf("the file is not JSON Lines: line %d is not a JSON object", j.line))
		}
		j.seen = true
		row := app.ReferralRow{Line: j.line}
		if tooLong {
			row.Errors = []*casework.ValidationError{{Field: "", Detail: fmt.Sprintf("the line is longer than %d bytes (1 MiB); it was not read", maxJSONLine)}}
			return row, nil
		}
		var in jsonlRow
		if row.Errors = decodeJSONLine(raw, &in); row.Errors != nil {
			return row, nil
		}
		amount := ""
		switch a := bytes.TrimSpace(in.AmountPence); {
		case len(a) == 0 || string(a) == "null":
		case a[0] == '-' || '0' <= a[0] && a[0] <= '9':
			amount = string(a)
		default:
			row.Errors = append(row.Errors, &casework.ValidationError{Field: "amount_pence", Detail: "must be a whole number of pence"})
		}
		row.Referral = domain.NewReferral{ClientReference: in.ClientReference, OrderReference: in.OrderReference, DebtorNames: in.DebtorNames,
			Address: in.Address, Phone: in.Phone, Email: in.Email, VehicleRegistration: in.VehicleRegistration, Employment: in.Employment,
			ReportedVulnerability: in.Vulnerability, VulnerableDebtor: in.VulnerableDebtor}
		row.Errors = append(row.Errors, fillTyped(&row.Referral, in.OrderDate, amount)...)
		return row, nil
	}
}

// decodeJSONLine decodes one line by the rules of every JSON body of the API
// (httpserver.DecodeJSONBytes: UTF-8, no duplicate key, no trailing data, no text that cannot be
// stored as sent, no unknown member, the right JSON types) and with every member spelt
// exactly; each fault is the row's, named by its member where it has one.
func decodeJSONLine(raw []byte, in *jsonlRow) []*casework.ValidationError {
	err := httpserver.DecodeJSONBytes(raw, in)
	var p *httpserver.Problem
	switch {
	case err == nil:
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			return nil // decoded above; cannot fail
		}
		var errs []*casework.ValidationError
		for _, k := range slices.Sorted(maps.Keys(members)) {
			if !jsonlKeys[k] {
				errs = append(errs, &casework.ValidationError{Field: k, Detail: fmt.Sprintf("is not a key of a referral: the key is %q, in lower case", strings.ToLower(k))})
			}
		}
		return errs
	case !errors.As(err, &p):
		return []*casework.ValidationError{{Field: "", Detail: "not a JSON object of a referral"}}
	}
	whole := func(detail string) *casework.ValidationError {
		return &casework.ValidationError{Field: "", Detail: "not a JSON object of a referral: " + strings.Replace(detail, "the request body", "the line", 1)}
	}
	if len(p.Errors) == 0 {
		return []*casework.ValidationError{whole(p.Detail)}
	}
	var errs []*casework.ValidationError
	for _, f := range p.Errors {
		detail := f.Detail
		if p.Type == httpserver.TypeDuplicateKey || p.Type == httpserver.TypeUnknownField {
			detail = p.Detail // "the member "/x" appears more than once", "... is not accepted here"
		}
		member, _, _ := strings.Cut(strings.TrimPrefix(f.Pointer, "/"), "/")
		if member == "" {
			errs = append(errs, whole(detail))
			continue
		}
		errs = append(errs, &casework.ValidationError{Field: strings.NewReplacer("~1", "/", "~0", "~").Replace(member), Detail: detail})
	}
	return errs
}
