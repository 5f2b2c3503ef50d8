package ports

import (
	"net/http"
	"strconv"
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

func (h handlers) listBreaches(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.Filter{Status: q.Get("status"), After: q.Get("after")}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	items, err := h.svc.ListBreaches(r.Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.BreachSummary{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h handlers) getBreach(w http.ResponseWriter, r *http.Request) error {
	b, history, err := h.svc.GetBreach(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, breachViewOf(b, history))
}

func (h handlers) assessBreach(w http.ResponseWriter, r *http.Request) error {
	var body assessmentBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	b, err := h.svc.AssessBreach(r.Context(), officer(r), r.PathValue("id"), domain.Assessment{Reportable: body.Reportable,
		Reason: body.Reason, HighRisk: body.HighRisk, TellPeople: body.TellPeople, TellReason: body.TellReason})
	return h.breachReply(w, http.StatusOK, b, err)
}

type reportBody struct {
	Consequences string `json:"consequences"`
	Measures     string `json:"measures"`
	LateReason   string `json:"late_reason"`
}

func (h handlers) reportBreach(w http.ResponseWriter, r *http.Request) error {
	var body reportBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	b, err := h.svc.ReportBreach(r.Context(), officer(r), r.PathValue("id"),
		domain.BreachReport{Consequences: body.Consequences, Measures: body.Measures, LateReason: body.LateReason})
	return h.breachReply(w, http.StatusOK, b, err)
}

func (h handlers) peopleTold(w http.ResponseWriter, r *http.Request) error {
	var body peopleToldBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	b, err := h.svc.RecordPeopleTold(r.Context(), officer(r), r.PathValue("id"),
		domain.PeopleTold{On: body.ToldOn, Method: body.Method, Count: body.Count})
	return h.breachReply(w, http.StatusOK, b, err)
}

func (h handlers) closeBreach(w http.ResponseWriter, r *http.Request) error {
	b, err := h.svc.CloseBreach(r.Context(), officer(r), r.PathValue("id"))
	return h.breachReply(w, http.StatusOK, b, err)
}

type breachReviewBody struct {
	Decision  string `json:"decision"`
	Reason    string `json:"reason"`
	KeepYears int    `json:"keep_years"`
}

func (h handlers) reviewBreach(w http.ResponseWriter, r *http.Request) error {
	var body breachReviewBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	b, err := h.svc.ReviewBreach(r.Context(), officer(r), r.PathValue("id"), body.Decision, body.Reason, body.KeepYears)
	return h.breachReply(w, http.StatusOK, b, err)
}
