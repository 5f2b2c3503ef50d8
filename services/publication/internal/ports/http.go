package ports

import (
	"log/slog"
	"net/http"
	"strconv"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// Roles a publication token may carry.
const (
	RoleOfficer = "publication_officer"
	RoleManager = "publication_manager" // approves, sends back and takes down
)

// Roles are every role a publication token may carry; a caller needs one of them.
var Roles = []string{RoleOfficer, RoleManager}

type handlers struct {
	svc     *app.Service
	maxBody int64
}

// NewAPI builds the publication API's routes, each with the roles it needs; bootstrap puts
// it behind authentication and OpenAPI validation beside the public routes.
func NewAPI(svc *app.Service, maxBodyBytes int64, log *slog.Logger) http.Handler {
	h := handlers{svc: svc, maxBody: maxBodyBytes}
	api := httpserver.NewMux(httpserver.CaseErrors(nil), log)
	staff := httpserver.RequireRole(Roles...)
	manager := httpserver.RequireRole(RoleManager)

	api.Handle("POST /decisions", h.enterConviction, staff)
	api.Handle("GET /decisions", h.list, staff)
	api.Handle("GET /decisions/{id}", h.get, staff)
	api.Handle("POST /decisions/{id}/draft", h.draft, staff)
	api.Handle("POST /decisions/{id}/approve", h.approve, manager)
	api.Handle("POST /decisions/{id}/send-back", h.sendBack, manager)
	api.Handle("POST /decisions/{id}/appeal", h.recordAppeal, staff)
	api.Handle("POST /decisions/{id}/takedown", h.takeDown, manager)
	api.Handle("POST /decisions/{id}/sentence", h.amendSentence, staff)
	return api
}

func officer(r *http.Request) string {
	p, _ := httpserver.PrincipalFrom(r.Context())
	return p.Subject
}

func (h handlers) decode(r *http.Request, dst any) error {
	return httpserver.DecodeJSON(r, dst, h.maxBody)
}

func (h handlers) reply(w http.ResponseWriter, status int, d *domain.Decision, history []app.HistoryEntry) error {
	httpserver.SetVersionTag(w, d.Version)
	return httpserver.WriteJSON(w, status, viewOf(d, history))
}

type convictionBody struct {
	Name     string        `json:"name"`
	Town     string        `json:"town"`
	Offence  string        `json:"offence"`
	Court    string        `json:"court"`
	Date     calendar.Date `json:"date"`
	Sentence string        `json:"sentence"`
}

type manualBody struct {
	Team          string         `json:"team"`
	CaseReference string         `json:"case_reference"`
	Conviction    convictionBody `json:"conviction"`
}

func (h handlers) enterConviction(w http.ResponseWriter, r *http.Request) error {
	key, err := httpserver.IdempotencyKey(r, h.maxBody)
	if err != nil {
		return err
	}
	var body manualBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c := body.Conviction
	in := app.ManualConviction{Team: body.Team, CaseReference: body.CaseReference, Conviction: domain.Conviction{
		Name: c.Name, Town: c.Town, Offence: c.Offence, Court: c.Court, Date: c.Date, Sentence: c.Sentence}}
	d, created, err := h.svc.EnterConviction(r.Context(), officer(r), in, key)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/decisions/"+d.ID)
	if !created {
		return h.reply(w, http.StatusOK, d, nil)
	}
	return h.reply(w, http.StatusCreated, d, nil)
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.Filter{Status: q.Get("status"), After: q.Get("after")}
	f.Limit, _ = strconv.Atoi(q.Get("limit")) // the OpenAPI validator has checked it
	items, err := h.svc.ListDecisions(r.Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.Summary{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h handlers) get(w http.ResponseWriter, r *http.Request) error {
	d, history, err := h.svc.GetDecision(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, history)
}

type factorBody struct {
	Rating string `json:"rating"`
	Reason string `json:"reason"`
}

type sentenceBody struct {
	Type   string        `json:"type"`
	Term   string        `json:"term"`
	EndsOn calendar.Date `json:"ends_on"`
}

func (b sentenceBody) toDomain() domain.Sentence {
	return domain.Sentence{Type: domain.SentenceType(b.Type), Term: b.Term, EndsOn: b.EndsOn}
}

type draftBody struct {
	Factors struct {
		Significance    factorBody `json:"significance"`
		CommunityEffect factorBody `json:"community_effect"`
		Frequency       factorBody `json:"frequency"`
		Publicity       factorBody `json:"publicity"`
	} `json:"factors"`
	Offender struct {
		AgeAtConviction  int    `json:"age_at_conviction"`
		FamilyOrChildren string `json:"family_or_children"`
		Vulnerability    string `json:"vulnerability"`
		RiskOfHarm       string `json:"risk_of_harm"`
		Other            string `json:"other"`
	} `json:"offender"`
	Sentence        sentenceBody `json:"sentence"`
	Proportionality struct {
		Proportionate bool   `json:"proportionate"`
		Conclusion    string `json:"conclusion"`
	} `json:"proportionality"`
	Outcome string `json:"outcome"`
	Reasons string `json:"reasons"`
}

func (b draftBody) toDomain() domain.Draft {
	f := func(x factorBody) domain.Factor {
		return domain.Factor{Rating: domain.Rating(x.Rating), Reason: x.Reason}
	}
	o := b.Offender
	return domain.Draft{
		Factors: domain.Factors{Significance: f(b.Factors.Significance), CommunityEffect: f(b.Factors.CommunityEffect),
			Frequency: f(b.Factors.Frequency), Publicity: f(b.Factors.Publicity)},
		Offender: domain.OffenderSide{AgeAtConviction: o.AgeAtConviction, FamilyOrChildren: o.FamilyOrChildren,
			Vulnerability: o.Vulnerability, RiskOfHarm: o.RiskOfHarm, Other: o.Other},
		Sentence:        b.Sentence.toDomain(),
		Proportionality: domain.Proportionality{Proportionate: b.Proportionality.Proportionate, Conclusion: b.Proportionality.Conclusion},
		Outcome:         domain.Outcome(b.Outcome), Reasons: b.Reasons,
	}
}

func (h handlers) draft(w http.ResponseWriter, r *http.Request) error {
	var body draftBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	d, err := h.svc.SubmitDraft(r.Context(), officer(r), r.PathValue("id"), body.toDomain())
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, nil)
}

func (h handlers) approve(w http.ResponseWriter, r *http.Request) error {
	d, err := h.svc.Approve(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, nil)
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (h handlers) sendBack(w http.ResponseWriter, r *http.Request) error {
	var body reasonBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	d, err := h.svc.SendBack(r.Context(), officer(r), r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, nil)
}

func (h handlers) takeDown(w http.ResponseWriter, r *http.Request) error {
	var body reasonBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	d, err := h.svc.TakeDown(r.Context(), officer(r), r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, nil)
}

type appealBody struct {
	DecidedOn calendar.Date `json:"decided_on"`
	Court     string        `json:"court"`
	Notes     string        `json:"notes"`
}

func (h handlers) recordAppeal(w http.ResponseWriter, r *http.Request) error {
	var body appealBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	d, err := h.svc.RecordAppeal(r.Context(), officer(r), r.PathValue("id"),
		domain.Appeal{DecidedOn: body.DecidedOn, Court: body.Court, Notes: body.Notes})
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, nil)
}

type amendSentenceBody struct {
	Sentence sentenceBody `json:"sentence"`
}

func (h handlers) amendSentence(w http.ResponseWriter, r *http.Request) error {
	var body amendSentenceBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	d, err := h.svc.AmendSentence(r.Context(), officer(r), r.PathValue("id"), body.Sentence.toDomain())
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, d, nil)
}
