// Package adapters connects the board to PostgreSQL (its read model and the wake-up of
// every instance when figures change) and to JetStream (the status streams it follows).
package adapters

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/services/board/internal/domain"
)

// DecodeStatus reads a status event a service published on status.<service>.>. Complaints,
// investigations, debt, publication and rights are read by their contract types; another
// service's status is read by the field names complaints and investigations share
// (event_id, at, reference, stage or area, status, team, change, next_due_at,
// respond_due_at, overdue), so a new service appears on the board without a change here.
func DecodeStatus(service string, payload []byte) (domain.Status, error) {
	var s domain.Status
	var err error
	switch service {
	case "complaints":
		s, err = decodeComplaint(payload)
	case "investigations":
		s, err = decodeInvestigation(payload)
	case "debt":
		s, err = decodeDebt(payload)
	case "publication":
		s, err = decodePublication(payload)
	case "rights":
		s, err = decodeRights(payload)
	default:
		s, err = decodeOther(payload)
	}
	if err != nil {
		return domain.Status{}, fmt.Errorf("%w: %s: %v", domain.ErrMalformed, service, err)
	}
	s.Service = service
	return s, s.Check()
}

func decodeComplaint(payload []byte) (domain.Status, error) {
	var c events.ComplaintStatus
	if err := json.Unmarshal(payload, &c); err != nil {
		return domain.Status{}, err
	}
	stage := "stage" + strconv.Itoa(c.Stage)
	s := domain.Status{EventID: c.EventID, At: c.At, Reference: c.Reference, Stage: stage,
		Status: c.Status, Team: c.Team, Change: c.Change, RespondDueAt: c.RespondDueAt, Responds: stageResponds(stage, c.Change),
		NextDueAt: earliest(c.AcknowledgeDueAt, c.RespondDueAt, c.NextDueAt), Overdue: c.Overdue}
	// At stage 3 the complaint names its next deadline (the Ombudsman's, e.g. stage3.enquiry:1),
	// so a manager sees what is due, and that it passed before the sweep says so.
	if c.NextDue != "" && c.NextDueAt != nil && s.NextDueAt.Equal(*c.NextDueAt) {
		s.NextDue = c.NextDue
	}
	return s, nil
}

func decodeInvestigation(payload []byte) (domain.Status, error) {
	var i events.InvestigationStatus
	if err := json.Unmarshal(payload, &i); err != nil {
		return domain.Status{}, err
	}
	return domain.Status{EventID: i.EventID, At: i.At, Reference: i.Reference, Stage: i.Area, Status: i.Status, Change: i.Change}, nil
}

// decodeDebt reads a debt case at its fee stage (compliance, enforcement, sale), its client
// (a council and debt type) as the team. Debt's status names no deadline the board counts.
func decodeDebt(payload []byte) (domain.Status, error) {
	var d events.DebtStatus
	if err := json.Unmarshal(payload, &d); err != nil {
		return domain.Status{}, err
	}
	return domain.Status{EventID: d.EventID, At: d.At, Reference: d.Reference, Stage: d.Stage, Status: d.Status,
		Team: d.ClientID, Change: d.Change}, nil
}

// PublicationStage is the one stage of a publication decision: its status says where it is.
const PublicationStage = "decision"

// decodePublication reads a publication decision, which has no stages and no deadline a
// manager must meet (its takedown date is the service's own sweep).
func decodePublication(payload []byte) (domain.Status, error) {
	var p events.PublicationStatus
	if err := json.Unmarshal(payload, &p); err != nil {
		return domain.Status{}, err
	}
	return domain.Status{EventID: p.EventID, At: p.At, Reference: p.Reference, Stage: PublicationStage, Status: p.Status,
		Change: p.Change}, nil
}

// RightsOverdue is the deadline an overdue rights request or FOI has passed: its due_at, the
// one deadline its status carries (a request's month, an FOI's 20 working days).
const RightsOverdue = "due"

// A breach has two deadlines, never running at once, which the board names so a manager
// sees which is due: the report to the ICO (72 hours from awareness, UK GDPR Art 33(1))
// while one is owed, and the review of its record once its retention ended.
const (
	RightsBreach    = "breach"     // the kind of a breach on the breach register
	RightsICOReport = "ico_report" // its report to the ICO
	RightsReview    = "review"     // the review of its record
	// RightsReviewDue is the status of a breach record whose retention ended: due_at is
	// then its review.
	RightsReviewDue = "review_due"
)

// rightsResponses are the changes that answer a rights case's requester: a request
// completed or refused as a whole (Art 12(3), 12(4)), an FOI or EIR response (refusals
// included).
var rightsResponses = map[string]bool{"request.completed": true, "request.refused": true, "foi.responded": true}

// decodeRights reads an information-rights case: its kind (access, erasure, breach, foi,
// eir...) as the stage, due_at as the next deadline, overdue as that deadline passed. A
// request's or FOI's due_at is its response deadline, extensions included, so its answer
// is judged against it; a breach's is its report to the ICO or its record's review, which
// answer no requester, and its review date is kept to show.
func decodeRights(payload []byte) (domain.Status, error) {
	var r events.RightsStatus
	if err := json.Unmarshal(payload, &r); err != nil {
		return domain.Status{}, err
	}
	s := domain.Status{EventID: r.EventID, At: r.At, Reference: r.Reference, Stage: r.Kind, Status: r.Status,
		Change: r.Change, NextDueAt: r.DueAt, Overdue: []string{}}
	if r.Kind != RightsBreach {
		if r.Overdue {
			s.Overdue = append(s.Overdue, RightsOverdue)
		}
		s.RespondDueAt, s.Responds = r.DueAt, rightsResponses[r.Change]
		return s, nil
	}
	if r.ReviewDueOn != "" {
		if _, err := time.Parse(time.DateOnly, r.ReviewDueOn); err != nil {
			return domain.Status{}, fmt.Errorf("review_due_on %q is not a date (YYYY-MM-DD)", r.ReviewDueOn)
		}
		s.ReviewDueOn = r.ReviewDueOn
	}
	switch {
	case r.DueAt != nil && r.Status == RightsReviewDue:
		s.NextDue = RightsReview
	case r.DueAt != nil:
		s.NextDue = RightsICOReport
	}
	if r.Overdue { // the rights service's sweep marks only the ICO's 72 hours passed
		s.Overdue = append(s.Overdue, RightsICOReport)
	}
	return s, nil
}

// otherStatus is the shape status events share across services.
type otherStatus struct {
	EventID      string          `json:"event_id"`
	At           time.Time       `json:"at"`
	Reference    string          `json:"reference"`
	Stage        json.RawMessage `json:"stage"` // a number (1) or a name ("compliance")
	Area         string          `json:"area"`
	Status       string          `json:"status"`
	Team         string          `json:"team"`
	Change       string          `json:"change"`
	NextDueAt    *time.Time      `json:"next_due_at"`
	RespondDueAt *time.Time      `json:"respond_due_at"`
	Overdue      []string        `json:"overdue"`
}

func decodeOther(payload []byte) (domain.Status, error) {
	var o otherStatus
	if err := json.Unmarshal(payload, &o); err != nil {
		return domain.Status{}, err
	}
	stage := o.Area
	if len(o.Stage) > 0 && string(o.Stage) != "null" {
		var n int
		if err := json.Unmarshal(o.Stage, &n); err == nil {
			stage = "stage" + strconv.Itoa(n)
		} else if err := json.Unmarshal(o.Stage, &stage); err != nil {
			return domain.Status{}, fmt.Errorf("stage is neither a number nor a name")
		}
	}
	return domain.Status{EventID: o.EventID, At: o.At, Reference: o.Reference, Stage: stage, Status: o.Status,
		Team: o.Team, Change: o.Change, RespondDueAt: o.RespondDueAt, Responds: stageResponds(stage, o.Change),
		NextDueAt: earliest(o.NextDueAt, o.RespondDueAt), Overdue: o.Overdue}, nil
}

// stageResponds is the convention complaints set: "<stage>.responded" answers the
// complainant at that stage (the Complaint Handling Code's stage 1 and 2 responses).
func stageResponds(stage, change string) bool { return change == stage+".responded" }

func earliest(ts ...*time.Time) *time.Time {
	var first *time.Time
	for _, t := range ts {
		if t != nil && (first == nil || t.Before(*first)) {
			first = t
		}
	}
	return first
}
