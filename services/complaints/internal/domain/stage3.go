package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Stage 3: the complainant has taken the complaint to the Local Government and Social Care
// Ombudsman. The council records the referral, answers the Ombudsman's enquiries, records
// its decision and complies with the remedies it sets, each by the date the Ombudsman gave.

// LGOOutcome is how the Ombudsman decided. The list follows the Ombudsman's published
// decision types.
type LGOOutcome string

const (
	LGONotUpheld                   LGOOutcome = "not_upheld"                     // no fault found
	LGOUpheldFaultInjustice        LGOOutcome = "upheld_fault_injustice"         // fault causing injustice: remedies
	LGOUpheldFaultNoInjustice      LGOOutcome = "upheld_fault_no_injustice"      // fault, no injustice: service improvements possible
	LGOPremature                   LGOOutcome = "premature"                      // sent back: the council's process was not finished
	LGODiscontinued                LGOOutcome = "discontinued"                   // investigation stopped
	LGOClosedAfterInitialEnquiries LGOOutcome = "closed_after_initial_enquiries" // not investigated after initial enquiries
)

// LGOOutcomes lists every outcome, in the order the contract shows them.
var LGOOutcomes = []LGOOutcome{LGONotUpheld, LGOUpheldFaultInjustice, LGOUpheldFaultNoInjustice,
	LGOPremature, LGODiscontinued, LGOClosedAfterInitialEnquiries}

// Valid reports whether o is one of the Ombudsman's outcomes.
func (o LGOOutcome) Valid() bool { return slices.Contains(LGOOutcomes, o) }

// Upheld reports whether the Ombudsman found fault, the only outcomes that carry remedies.
func (o LGOOutcome) Upheld() bool {
	return o == LGOUpheldFaultInjustice || o == LGOUpheldFaultNoInjustice
}

// Stage 3 limits.
const (
	LGOTimeLimitMonths  = 12 // Local Government Act 1974 s26B: within 12 months of first knowing
	maxLGOReference     = 100
	maxEnquiries        = 50
	maxDocuments        = 100
	maxDocumentTitle    = 300
	maxStage3ShortText  = 2000
	lgoName             = "the Ombudsman"
	WarningLate         = "late_complaint"
	WarningNotExhausted = "process_not_exhausted"
)

// Warning is something the Ombudsman may hold against a referral; it never stops one.
type Warning struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Referral is the complainant's going to the Ombudsman. Recording it records their
// request that the complaint be put to the Ombudsman (the notice's complainant_request).
type Referral struct {
	LGOReference     string
	FirstKnewOn      calendar.Date // the day the complainant first knew of the matter
	ProcessCompleted bool          // whether the council's complaints process was completed
	Details          string        // why they remain dissatisfied (the notice's stage3_details)
	FromStatus       Status
	FromStage        int
	ReferredAt       time.Time
	ReferredBy       string
	Warnings         []Warning
}

// Enquiry is one set of questions from the Ombudsman, due by the date it set.
type Enquiry struct {
	N            int
	Questions    string
	ReceivedAt   time.Time
	RecordedBy   string
	RespondedAt  *time.Time
	RespondedBy  string
	Documents    []string // titles of the documents sent with the response, never their content
	DisclosureID string   // the disclosure that carried the case file
}

// Remedy is one thing the Ombudsman asked the council to do, due by the date it set.
type Remedy struct {
	N              int
	Description    string
	CompliedAt     *time.Time
	CompliedBy     string
	ComplianceNote string
}

// LGODecision is the Ombudsman's decision as the council recorded it.
type LGODecision struct {
	Outcome    LGOOutcome
	DecidedOn  calendar.Date
	Summary    string
	RecordedAt time.Time
	RecordedBy string
}

// Necessity is an officer's recorded finding that the Ombudsman needs the special category
// details to consider the complaint (the notice's recorded_necessity).
type Necessity struct {
	Reason     string
	RecordedAt time.Time
	RecordedBy string
}

// Stage3 is everything about the complaint's time with the Ombudsman. Earlier holds the
// referrals the Ombudsman sent back as premature, oldest first, each with its decision;
// enquiries and remedies are the case's across all its referrals, numbered on.
type Stage3 struct {
	Referral  Referral
	Enquiries []Enquiry
	Decision  *LGODecision
	Remedies  []Remedy
	Necessity *Necessity
	Earlier   []EarlierReferral
}

// EarlierReferral is a referral the Ombudsman decided on before the current one.
type EarlierReferral struct {
	Referral Referral
	Decision *LGODecision
}

// EnquiryKind and RemedyKind name the stage 3 deadlines, e.g. "enquiry:1", "remedy:2".
func EnquiryKind(n int) DeadlineKind { return DeadlineKind("enquiry:" + strconv.Itoa(n)) }
func RemedyKind(n int) DeadlineKind  { return DeadlineKind("remedy:" + strconv.Itoa(n)) }

// LGOReferral is what an officer records when the complainant goes to the Ombudsman.
// ProcessCompleted is the officer's statement, accepted for compatibility and not relied
// on: whether the council's process was exhausted comes from the case (ProcessExhausted).
type LGOReferral struct {
	LGOReference     string
	FirstKnewOn      calendar.Date
	ProcessCompleted bool
	Details          string
}

// ProcessExhausted reports whether the case records the end of the council's complaints
// process: a stage 2 response.
func (c *Complaint) ProcessExhausted() bool { return c.Responses[2] != nil }

// ReferToLGO moves the complaint to stage 3. It is allowed from any open stage 1 or 2
// status (complainants go to the Ombudsman over delay too), after a stage 1 or stage 2
// response, once a complaint closed after a response (which reopens it: retention then
// runs from the stage 3 closure), and again after the Ombudsman sent it back as premature
// (the earlier referral and its decision are kept in Stage3.Earlier). It warns, and never
// refuses, when more than 12 months have passed since the complainant first knew of the
// matter or the case records no stage 2 response (whatever the officer stated): the
// Ombudsman may still accept the complaint. The warnings stay on the referral
// (Stage3.Referral.Warnings), and its ProcessCompleted is the record's. Referred while a
// stage runs, that stage's clocks stop; referred after, what the stage left unmet ends
// (applyReferral).
func (c *Complaint) ReferToLGO(a Actor, in LGOReferral) (Event, error) {
	if err := c.check(ActionReferLGO); err != nil {
		return Event{}, err
	}
	// The Ombudsman's reference is kept as typed, so it is the one the Ombudsman quotes.
	if blank(in.LGOReference) || chars(in.LGOReference) > maxLGOReference {
		return Event{}, &casework.ValidationError{Field: "lgo_reference", Detail: "the Ombudsman's reference is 1 to 100 characters"}
	}
	if err := checkIdentifier("lgo_reference", in.LGOReference); err != nil {
		return Event{}, err
	}
	today := calendar.DateOf(a.Now)
	if in.FirstKnewOn.IsZero() || !in.FirstKnewOn.IsValid() {
		return Event{}, &casework.ValidationError{Field: "first_knew_on", Detail: "the date the complainant first knew of the matter is required"}
	}
	if err := checkDate("first_knew_on", in.FirstKnewOn, calendar.Limit{Date: calendar.Earliest}, calendar.Limit{Date: today, Name: "today"}); err != nil {
		return Event{}, err
	}
	if err := checkText("details", in.Details, false); err != nil {
		return Event{}, err
	}
	exhausted := c.ProcessExhausted()
	warnings := referralWarnings(a, in, exhausted, today)
	from, fromStage := c.Status, c.Stage
	if c.Status == StatusClosed { // reopened: the stage 3 closure fixes retention again
		c.ClosedAt, c.RetentionDue = nil, calendar.Date{}
	}
	referral := Referral{LGOReference: in.LGOReference, FirstKnewOn: in.FirstKnewOn, ProcessCompleted: exhausted,
		Details: in.Details, FromStatus: from, FromStage: fromStage, ReferredAt: a.Now, ReferredBy: a.Officer, Warnings: warnings}
	if fromStage == 3 && c.Stage3 != nil { // sent back as premature, referred again from stage3_decided or closed
		fromStage = c.Stage3.Referral.FromStage
		referral.FromStage = fromStage
	}
	var clocks clockChanges
	if err := c.applyReferral(a.Cal, referral, nil, &clocks); err != nil {
		return Event{}, err
	}
	if old := c.Stage3; old != nil { // a fresh referral after the Ombudsman sent the complaint back
		earlier := append(slices.Clone(old.Earlier), EarlierReferral{Referral: old.Referral, Decision: old.Decision})
		c.Stage3 = &Stage3{Referral: referral, Enquiries: old.Enquiries, Remedies: old.Remedies, Necessity: old.Necessity, Earlier: earlier}
	} else {
		c.Stage3 = &Stage3{Referral: referral}
	}
	c.Stage = 3
	c.Status = StatusStage3Referred
	codes := make([]string, len(warnings))
	for i, w := range warnings {
		codes[i] = w.Code
	}
	detail := map[string]any{"from_status": string(from), "process_completed": exhausted, "warnings": codes}
	clocks.addTo(detail)
	return Event{Type: "stage3.referred", Stage: 3, Detail: detail}, nil
}

// openStageStatuses are the statuses of a stage 1 or 2 still running.
var openStageStatuses = []Status{StatusStage1Received, StatusStage1Acknowledged, StatusStage2Received, StatusStage2Acknowledged}

func referralWarnings(a Actor, in LGOReferral, exhausted bool, today calendar.Date) []Warning {
	warnings := []Warning{}
	// "More than 12 months": the last day still within is the same date a year on.
	limit := a.Cal.AddYears(in.FirstKnewOn.StartOfDay(), 1).DueDate
	if today.After(limit) {
		warnings = append(warnings, Warning{Code: WarningLate, Detail: fmt.Sprintf(
			"The complainant first knew of the matter on %s, more than 12 months ago (the 12 months ended on %s). "+
				"The Ombudsman normally expects a complaint within 12 months, but may still accept it.", in.FirstKnewOn, limit)})
	}
	if !exhausted { // from the record, not the officer's word
		warnings = append(warnings, Warning{Code: WarningNotExhausted, Detail: "The council's complaints process was not completed. " +
			"The Ombudsman normally expects it to be, and may send the complaint back as premature, but may still accept it."})
	}
	return warnings
}

// mayReferClosed: a complaint closed after the council responded, not yet at stage 3 (or
// closed after the Ombudsman sent it back as premature) and not erased, may still go to
// the Ombudsman.
func (c *Complaint) mayReferClosed() bool {
	if c.Erased() {
		return false
	}
	return (c.Stage < 3 && len(c.Responses) > 0) || (c.Stage == 3 && c.SentBackPremature())
}

// RecordEnquiry records the Ombudsman's questions and the date by which it wants the
// council's response; the deadline ends with that London day.
func (c *Complaint) RecordEnquiry(a Actor, questions string, responseDue calendar.Date) (Event, error) {
	if err := c.check(ActionRecordEnquiry); err != nil {
		return Event{}, err
	}
	if err := checkText("questions", questions, true); err != nil {
		return Event{}, err
	}
	if responseDue.IsZero() || !responseDue.IsValid() {
		return Event{}, &casework.ValidationError{Field: "response_due_on", Detail: "the date the Ombudsman set for the response is required"}
	}
	// The Ombudsman sets the date, usually weeks ahead; a year ahead is the most it could mean.
	today := calendar.DateOf(a.Now)
	if err := checkDate("response_due_on", responseDue, calendar.Limit{Date: today, Name: "today"},
		calendar.Limit{Date: calendar.YearsFrom(today, 1), Name: "a year from today"}); err != nil {
		return Event{}, err
	}
	if len(c.Stage3.Enquiries) >= maxEnquiries {
		return Event{}, &casework.RuleError{Rule: "too_many_enquiries", Detail: fmt.Sprintf("%s already has %d Ombudsman enquiries", c.Reference, maxEnquiries)}
	}
	n := len(c.Stage3.Enquiries) + 1
	c.Stage3.Enquiries = append(c.Stage3.Enquiries, Enquiry{N: n, Questions: questions, ReceivedAt: a.Now, RecordedBy: a.Officer})
	d := Deadline{Stage: 3, Kind: EnquiryKind(n), Computed: a.Cal.SetDate(a.Now, responseDue, lgoName)}
	c.Deadlines = append(c.Deadlines, d)
	c.Status = StatusStage3Enquiry
	due := d.Computed.Due
	return Event{Type: "stage3.enquiry_received", Stage: 3, Deadline: d.Key(), DueAt: &due,
		Detail: map[string]any{"enquiry": n, "response_due_date": responseDue.String()}}, nil
}

// OpenEnquiry is the enquiry awaiting the council's response, if any.
func (c *Complaint) OpenEnquiry() *Enquiry {
	if c.Stage3 == nil {
		return nil
	}
	for i := range c.Stage3.Enquiries {
		if c.Stage3.Enquiries[i].RespondedAt == nil {
			return &c.Stage3.Enquiries[i]
		}
	}
	return nil
}

// RespondToEnquiry records the council's response to enquiry n: the case file went to the
// Ombudsman as disclosure disclosureID, with the documents titled. It meets the deadline.
func (c *Complaint) RespondToEnquiry(a Actor, n int, documents []string, disclosureID string) (Event, error) {
	if c.Stage3 == nil || n < 1 || n > len(c.Stage3.Enquiries) {
		return Event{}, notFound(fmt.Sprintf("enquiry %d", n))
	}
	if err := c.check(ActionRespondEnquiry); err != nil {
		return Event{}, err
	}
	e := c.OpenEnquiry()
	if e == nil || e.N != n {
		return Event{}, &casework.RuleError{Rule: "not_the_open_enquiry", Detail: fmt.Sprintf("enquiry %d of %s is not the one awaiting a response", n, c.Reference)}
	}
	if len(documents) > maxDocuments {
		return Event{}, &casework.ValidationError{Field: "documents", Detail: fmt.Sprintf("at most %d documents", maxDocuments)}
	}
	for i, title := range documents {
		if err := checkRequiredText(fmt.Sprintf("documents/%d", i), title, maxDocumentTitle, "a document title is 1 to 300 characters, not white space alone"); err != nil {
			return Event{}, err
		}
	}
	d := c.Deadline(3, EnquiryKind(n))
	met := a.Now
	d.MetAt, d.MetBy = &met, a.Officer
	onTime := !d.Computed.IsOverdue(a.Now)
	e.RespondedAt, e.RespondedBy, e.Documents, e.DisclosureID = &met, a.Officer, slices.Clone(documents), disclosureID
	c.Status = StatusStage3Responded
	return Event{Type: "stage3.enquiry_responded", Stage: 3, Deadline: d.Key(),
		Detail: map[string]any{"enquiry": n, "on_time": onTime, "documents": len(documents)}}, nil
}

// RecordNecessity records an officer's finding that the Ombudsman needs the special
// category details; without it they never go.
func (c *Complaint) RecordNecessity(a Actor, reason string) (Event, error) {
	if err := c.check(ActionRecordNecessity); err != nil {
		return Event{}, err
	}
	if err := checkRequiredText("reason", reason, maxStage3ShortText, "the finding needs a reason (at most 2000 characters)"); err != nil {
		return Event{}, err
	}
	if c.Stage3.Necessity != nil {
		return Event{}, &casework.RuleError{Rule: "necessity_already_recorded", Detail: fmt.Sprintf("the necessity of sharing special category details of %s with the Ombudsman is already recorded", c.Reference)}
	}
	c.Stage3.Necessity = &Necessity{Reason: reason, RecordedAt: a.Now, RecordedBy: a.Officer}
	return Event{Type: "stage3.necessity_recorded", Stage: 3, Detail: map[string]any{}}, nil
}

// RemedyInput is one remedy the Ombudsman set, with the date for compliance.
type RemedyInput struct {
	Description string
	DueOn       calendar.Date
}

// LGODecisionInput is the Ombudsman's decision as received.
type LGODecisionInput struct {
	Outcome   LGOOutcome
	DecidedOn calendar.Date
	Summary   string
	Remedies  []RemedyInput
}

// RecordDecision records the Ombudsman's decision and starts a compliance deadline for each
// remedy. Only a finding of fault carries remedies. The clocks the referral stopped restart
// on a premature decision, recorded now, and end on any other (applyReferral).
func (c *Complaint) RecordDecision(a Actor, in LGODecisionInput) (Event, error) {
	if err := c.check(ActionRecordDecision); err != nil {
		return Event{}, err
	}
	if !in.Outcome.Valid() {
		names := make([]string, len(LGOOutcomes))
		for i, o := range LGOOutcomes {
			names[i] = string(o)
		}
		return Event{}, &casework.ValidationError{Field: "outcome", Detail: "must be one of " + strings.Join(names, ", ")}
	}
	if in.DecidedOn.IsZero() || !in.DecidedOn.IsValid() {
		return Event{}, &casework.ValidationError{Field: "decided_on", Detail: "the date of the Ombudsman's decision is required"}
	}
	// The Ombudsman decides after the complainant knew of the matter, and not in the future.
	if err := checkDate("decided_on", in.DecidedOn, calendar.Limit{Date: c.Stage3.Referral.FirstKnewOn, Name: "the day the complainant first knew of the matter"},
		calendar.Limit{Date: calendar.DateOf(a.Now), Name: "today"}); err != nil {
		return Event{}, err
	}
	if err := checkText("summary", in.Summary, true); err != nil {
		return Event{}, err
	}
	if len(in.Remedies) > 0 && !in.Outcome.Upheld() {
		return Event{}, &casework.ValidationError{Field: "remedies", Detail: "only a decision finding fault carries remedies"}
	}
	if len(in.Remedies) > maxRemedies {
		return Event{}, &casework.ValidationError{Field: "remedies", Detail: fmt.Sprintf("at most %d remedies", maxRemedies)}
	}
	for i, r := range in.Remedies {
		if err := checkRequiredText(fmt.Sprintf("remedies/%d/description", i), r.Description, maxRemedyLength, "a remedy is 1 to 2000 characters, not white space alone"); err != nil {
			return Event{}, err
		}
		field := fmt.Sprintf("remedies/%d/due_on", i)
		if r.DueOn.IsZero() || !r.DueOn.IsValid() {
			return Event{}, &casework.ValidationError{Field: field, Detail: "the date for compliance is required"}
		}
		// Compliance is due after the decision, within months; two years is the most it could mean.
		if err := checkDate(field, r.DueOn, calendar.Limit{Date: in.DecidedOn, Name: "the decision date"},
			calendar.Limit{Date: calendar.YearsFrom(in.DecidedOn, 2), Name: "two years after the decision"}); err != nil {
			return Event{}, err
		}
	}
	c.Stage3.Decision = &LGODecision{Outcome: in.Outcome, DecidedOn: in.DecidedOn, Summary: in.Summary, RecordedAt: a.Now, RecordedBy: a.Officer}
	for i, r := range in.Remedies {
		n := i + 1
		c.Stage3.Remedies = append(c.Stage3.Remedies, Remedy{N: n, Description: r.Description})
		c.Deadlines = append(c.Deadlines, Deadline{Stage: 3, Kind: RemedyKind(n), Computed: a.Cal.SetDate(a.Now, r.DueOn, lgoName)})
	}
	var clocks clockChanges
	if err := c.applyReferral(a.Cal, c.Stage3.Referral, c.Stage3.Decision, &clocks); err != nil {
		return Event{}, calendarRefusal("", err) // the complaint is not saved on an error
	}
	c.Status = StatusStage3Decided
	if ref := c.Stage3.Referral; in.Outcome == LGOPremature && slices.Contains(openStageStatuses, ref.FromStatus) {
		// Referred while a stage ran: sent back, the council finishes that stage, its
		// clocks restarted, and the complaint may go to the Ombudsman again after.
		c.Stage, c.Status = ref.FromStage, ref.FromStatus
	}
	detail := map[string]any{"lgo_outcome": string(in.Outcome), "decided_on": in.DecidedOn.String(), "remedies": len(in.Remedies)}
	clocks.addTo(detail)
	return Event{Type: "stage3.decided", Stage: 3, Outcome: Outcome(in.Outcome), Detail: detail}, nil
}

// RecordCompliance records that remedy n was carried out; it meets its deadline.
func (c *Complaint) RecordCompliance(a Actor, n int, note string) (Event, error) {
	if c.Stage3 == nil || n < 1 || n > len(c.Stage3.Remedies) {
		return Event{}, notFound(fmt.Sprintf("remedy %d", n))
	}
	if err := c.check(ActionRecordCompliance); err != nil {
		return Event{}, err
	}
	r := &c.Stage3.Remedies[n-1]
	if r.CompliedAt != nil {
		return Event{}, &casework.RuleError{Rule: "remedy_already_complied", Detail: fmt.Sprintf("remedy %d of %s was already complied with", n, c.Reference)}
	}
	if err := checkLength("note", note, maxStage3ShortText); err != nil { // optional, and kept as sent
		return Event{}, err
	}
	d := c.Deadline(3, RemedyKind(n))
	met := a.Now
	d.MetAt, d.MetBy = &met, a.Officer
	r.CompliedAt, r.CompliedBy, r.ComplianceNote = &met, a.Officer, note
	return Event{Type: "stage3.remedy_complied", Stage: 3, Deadline: d.Key(),
		Detail: map[string]any{"remedy": n, "on_time": !d.Computed.IsOverdue(a.Now), "outstanding": len(c.outstandingRemedies())}}, nil
}

// outstandingRemedies lists the numbers of remedies not yet complied with.
func (c *Complaint) outstandingRemedies() []int {
	var open []int
	if c.Stage3 == nil {
		return open
	}
	for _, r := range c.Stage3.Remedies {
		if r.CompliedAt == nil {
			open = append(open, r.N)
		}
	}
	return open
}

// eraseStage3 removes the stage 3 free text; dates, outcome and counts stay.
func (c *Complaint) eraseStage3() {
	s := c.Stage3
	if s == nil {
		return
	}
	s.Referral.Details, s.Referral.LGOReference = "", "" // the LGO's reference leads to the person
	for i := range s.Enquiries {
		s.Enquiries[i].Questions, s.Enquiries[i].Documents = "", nil
	}
	for i := range s.Remedies {
		s.Remedies[i].Description, s.Remedies[i].ComplianceNote = "", ""
	}
	if s.Decision != nil {
		s.Decision.Summary = ""
	}
	if s.Necessity != nil {
		s.Necessity.Reason = ""
	}
	for i := range s.Earlier {
		e := &s.Earlier[i]
		e.Referral.Details, e.Referral.LGOReference = "", ""
		if e.Decision != nil {
			e.Decision.Summary = ""
		}
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
