package ports

import (
	"context"
	"net/http"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// breachView is a breach as the API shows it to the DPO's team.
type breachView struct {
	ID                 string             `json:"id"`
	Reference          string             `json:"reference"`
	Status             string             `json:"status"`
	Confirmed          bool               `json:"confirmed"`
	DiscoveredAt       time.Time          `json:"discovered_at"`
	AwareAt            time.Time          `json:"aware_at"`
	Nature             string             `json:"nature"`
	Released           string             `json:"released"`
	ReleasedTo         string             `json:"released_to"`
	CategoriesAffected []string           `json:"categories_affected"`
	PeopleAffected     int                `json:"people_affected"`
	RecordsAffected    int                `json:"records_affected"`
	ReportedBy         personBody         `json:"reported_by"`
	AffectedContacts   []personBody       `json:"affected_contacts"`
	Report             reportDeadlineView `json:"ico_deadline"`
	Assessment         *assessmentBody    `json:"assessment"`
	ReportedToICO      *reportView        `json:"report"`
	PeopleTold         *peopleToldBody    `json:"people_told"`
	ClosedAt           *time.Time         `json:"closed_at,omitempty"`
	ClosedBy           string             `json:"closed_by,omitempty"`
	ReviewDue          *calendar.Date     `json:"review_due"`
	ReviewTaskAt       *time.Time         `json:"review_task_at,omitempty"`
	Reviews            []reviewView       `json:"reviews"`
	Erased             bool               `json:"erased"`
	History            []app.HistoryEntry `json:"history,omitempty"`
}

type reportDeadlineView struct {
	DueAt       time.Time         `json:"due_at"`
	OverdueAt   *time.Time        `json:"overdue_at"`
	Computation calendar.Deadline `json:"computation"`
}

type assessmentBody struct {
	Reportable bool      `json:"reportable"`
	Reason     string    `json:"reason"`
	HighRisk   bool      `json:"high_risk"`
	TellPeople bool      `json:"tell_people"`
	TellReason string    `json:"tell_reason,omitempty"`
	By         string    `json:"by,omitempty"`
	At         time.Time `json:"at,omitzero"`
}

type reportView struct {
	DisclosureID string    `json:"disclosure_id"`
	Consequences string    `json:"consequences"`
	Measures     string    `json:"measures"`
	LateReason   string    `json:"late_reason,omitempty"`
	OnTime       bool      `json:"on_time"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

type peopleToldBody struct {
	ToldOn calendar.Date `json:"told_on"`
	Method string        `json:"method"`
	Count  int           `json:"count"`
	By     string        `json:"by,omitempty"`
	At     time.Time     `json:"at,omitzero"`
}

type reviewView struct {
	Decision string         `json:"decision"`
	Reason   string         `json:"reason"`
	NextDue  *calendar.Date `json:"next_due,omitempty"`
	By       string         `json:"by"`
	At       time.Time      `json:"at"`
}

func breachViewOf(b *domain.Breach, history []app.HistoryEntry) breachView {
	v := breachView{ID: b.ID, Reference: b.Reference, Status: string(b.Status), Confirmed: b.Confirmed, DiscoveredAt: b.DiscoveredAt,
		AwareAt: b.AwareAt, Nature: b.Nature, Released: b.Released, ReleasedTo: b.ReleasedTo, CategoriesAffected: b.CategoriesAffected,
		PeopleAffected: b.PeopleAffected, RecordsAffected: b.RecordsAffected, ReportedBy: bodyOf(b.ReportedBy),
		AffectedContacts: []personBody{}, Report: reportDeadlineView{DueAt: b.Deadline.Due, OverdueAt: b.OverdueAt, Computation: b.Deadline},
		ClosedAt: b.ClosedAt, ClosedBy: b.ClosedBy, ReviewTaskAt: b.ReviewAt, Reviews: []reviewView{}, Erased: b.ErasedAt != nil, History: history}
	for _, c := range b.AffectedContacts {
		v.AffectedContacts = append(v.AffectedContacts, bodyOf(c))
	}
	if a := b.Assessment; a != nil {
		v.Assessment = &assessmentBody{Reportable: a.Reportable, Reason: a.Reason, HighRisk: a.HighRisk, TellPeople: a.TellPeople,
			TellReason: a.TellReason, By: a.By, At: a.At}
	}
	if r := b.Report; r != nil {
		v.ReportedToICO = &reportView{DisclosureID: r.DisclosureID, Consequences: r.Consequences, Measures: r.Measures,
			LateReason: r.LateReason, OnTime: r.OnTime, By: r.By, At: r.At}
	}
	if t := b.PeopleTold; t != nil {
		v.PeopleTold = &peopleToldBody{ToldOn: t.On, Method: t.Method, Count: t.Count, By: t.By, At: t.At}
	}
	if !b.ReviewDue.IsZero() {
		due := b.ReviewDue
		v.ReviewDue = &due
	}
	for _, r := range b.Reviews {
		rv := reviewView{Decision: r.Decision, Reason: r.Reason, By: r.By, At: r.At}
		if !r.NextDue.IsZero() {
			next := r.NextDue
			rv.NextDue = &next
		}
		v.Reviews = append(v.Reviews, rv)
	}
	return v
}

func bodyOf(p domain.Person) personBody {
	return personBody{Name: p.Name, Email: p.Email, Phone: p.Phone, Address: p.Address}
}

func personOf(p personBody) domain.Person {
	return domain.Person{Name: p.Name, Email: p.Email, Phone: p.Phone, Address: p.Address}
}

func (h handlers) breachReply(w http.ResponseWriter, status int, b *domain.Breach, err error) error {
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, status, breachViewOf(b, nil))
}

type newBreachBody struct {
	Confirmed          bool         `json:"confirmed"`
	DiscoveredAt       time.Time    `json:"discovered_at"`
	AwareAt            time.Time    `json:"aware_at"`
	Nature             string       `json:"nature"`
	Released           string       `json:"released"`
	ReleasedTo         string       `json:"released_to"`
	CategoriesAffected []string     `json:"categories_affected"`
	PeopleAffected     int          `json:"people_affected"`
	RecordsAffected    int          `json:"records_affected"`
	ReportedBy         personBody   `json:"reported_by"`
	AffectedContacts   []personBody `json:"affected_contacts"`
}

func (h handlers) recordBreach(w http.ResponseWriter, r *http.Request) error {
	var body newBreachBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	in := domain.NewBreach{Confirmed: body.Confirmed, DiscoveredAt: body.DiscoveredAt, AwareAt: body.AwareAt, Nature: body.Nature,
		Released: body.Released, ReleasedTo: body.ReleasedTo, CategoriesAffected: body.CategoriesAffected,
		PeopleAffected: body.PeopleAffected, RecordsAffected: body.RecordsAffected, ReportedBy: personOf(body.ReportedBy)}
	for _, c := range body.AffectedContacts {
		in.AffectedContacts = append(in.AffectedContacts, personOf(c))
	}
	b, err := h.svc.RecordBreach(r.Context(), officer(r), in)
	if err == nil {
		w.Header().Set("Location", "/breaches/"+b.ID)
	}
	return h.breachReply(w, http.StatusCreated, b, err)
}

func (h handlers) assessBreach() httpserver.HandlerFunc {
	return changeWith(h, breachShown, func(ctx context.Context, officer, id string, body assessmentBody) (*domain.Breach, error) {
		return h.svc.AssessBreach(ctx, officer, id, domain.Assessment{Reportable: body.Reportable,
			Reason: body.Reason, HighRisk: body.HighRisk, TellPeople: body.TellPeople, TellReason: body.TellReason})
	})
}

type reportBody struct {
	Consequences string `json:"consequences"`
	Measures     string `json:"measures"`
	LateReason   string `json:"late_reason"`
}

func (h handlers) reportBreach() httpserver.HandlerFunc {
	return changeWith(h, breachShown, func(ctx context.Context, officer, id string, body reportBody) (*domain.Breach, error) {
		return h.svc.ReportBreach(ctx, officer, id,
			domain.BreachReport{Consequences: body.Consequences, Measures: body.Measures, LateReason: body.LateReason})
	})
}

func (h handlers) peopleTold() httpserver.HandlerFunc {
	return changeWith(h, breachShown, func(ctx context.Context, officer, id string, body peopleToldBody) (*domain.Breach, error) {
		return h.svc.RecordPeopleTold(ctx, officer, id,
			domain.PeopleTold{On: body.ToldOn, Method: body.Method, Count: body.Count})
	})
}

type breachReviewBody struct {
	Decision  string `json:"decision"`
	Reason    string `json:"reason"`
	KeepYears int    `json:"keep_years"`
}

func (h handlers) reviewBreach() httpserver.HandlerFunc {
	return changeWith(h, breachShown, func(ctx context.Context, officer, id string, body breachReviewBody) (*domain.Breach, error) {
		return h.svc.ReviewBreach(ctx, officer, id, body.Decision, body.Reason, body.KeepYears)
	})
}
