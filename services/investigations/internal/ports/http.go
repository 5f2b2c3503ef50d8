package ports

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"casework.dev/pkg/casework"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// Roles an investigations token may carry.
const (
	RoleOfficer = "investigations_officer"
	RoleManager = "investigations_manager"
)

// Roles are every role an investigations token may carry; a caller needs one of them.
var Roles = []string{RoleOfficer, RoleManager}

type handlers struct {
	svc     *app.Service
	maxBody int64
}

// NewAPI builds the investigations API's routes, each with the roles it needs; bootstrap
// puts it behind authentication and OpenAPI validation beside the public routes.
func NewAPI(svc *app.Service, maxBodyBytes int64, log *slog.Logger) http.Handler {
	h := handlers{svc: svc, maxBody: maxBodyBytes}
	api := httpserver.NewMux(httpserver.CaseErrors(nil), log)
	staff := httpserver.RequireRole(Roles...)
	manager := httpserver.RequireRole(RoleManager)

	api.Handle("POST /investigations", h.open, staff)
	api.Handle("GET /investigations", h.list, staff)
	api.Handle("GET /investigations/{id}", h.get, staff)
	api.Handle("POST /investigations/{id}/triage", h.simple(h.svc.Triage), staff)
	api.Handle("POST /investigations/{id}/investigate", h.simple(h.svc.Investigate), staff)
	api.Handle("POST /investigations/{id}/actions", h.takeAction, staff)
	api.Handle("POST /investigations/{id}/prosecute", h.simple(h.svc.Prosecute), staff)
	api.Handle("POST /investigations/{id}/outcome", h.outcome, staff)
	api.Handle("POST /investigations/{id}/close", h.close, staff)
	api.Handle("POST /investigations/{id}/people", h.addPerson, staff)
	api.Handle("POST /investigations/{id}/evidence", h.addEvidence, staff)
	api.Handle("POST /investigations/{id}/evidence/{item}/used-as-evidence", h.useAsEvidence, staff)
	api.Handle("POST /investigations/{id}/special-category-data", h.addSpecial, staff)
	api.Handle("POST /investigations/{id}/emails", h.addEmail, staff)
	api.Handle("POST /investigations/{id}/conditions", h.recordCondition, staff)
	api.Handle("DELETE /investigations/{id}/conditions/{recipient}", h.withdrawCondition, staff)
	api.Handle("POST /investigations/{id}/referrals", h.refer, staff)
	api.Handle("POST /investigations/{id}/assignments", h.assign, staff)
	api.Handle("PUT /investigations/{id}/legal-hold", h.setLegalHold, manager)
	api.Handle("DELETE /investigations/{id}/legal-hold", h.releaseLegalHold, manager)

	return api
}

func caller(r *http.Request) domain.Caller {
	p, _ := httpserver.PrincipalFrom(r.Context())
	return domain.Caller{Officer: p.Subject, Manager: p.HasRole(RoleManager)}
}

func (h handlers) decode(r *http.Request, dst any) error {
	return httpserver.DecodeJSON(r, dst, h.maxBody)
}

func (h handlers) reply(w http.ResponseWriter, c *domain.Investigation, err error) error {
	if err != nil {
		return err
	}
	httpserver.SetVersionTag(w, c.Version)
	return httpserver.WriteJSON(w, http.StatusOK, viewOf(c))
}

func (h handlers) simple(fn func(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error)) httpserver.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := fn(r.Context(), caller(r), r.PathValue("id"))
		return h.reply(w, c, err)
	}
}

func (h handlers) open(w http.ResponseWriter, r *http.Request) error {
	key, err := httpserver.IdempotencyKey(r, h.maxBody)
	if err != nil {
		return err
	}
	var b openBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	in := domain.NewInvestigation{Area: b.Area, Scope: b.Scope, HateCrime: b.HateCrime, Channel: b.Channel, Assigned: b.Assigned,
		Matter: domain.Matter{Summary: b.Matter.Summary, Locations: nonNil(b.Matter.Locations), Dates: nonNil(b.Matter.Dates), Times: nonNil(b.Matter.Times)}}
	if in.ReceivedAt, err = httpserver.OptionalTime("/received_at", b.ReceivedAt); err != nil {
		return err
	}
	for _, p := range b.People {
		in.People = append(in.People, p.domain())
	}
	for _, e := range b.Evidence {
		item := e.domain()
		if e.PersonIndex != nil {
			item.PersonID = domain.PersonIndexRef(*e.PersonIndex)
		}
		in.Evidence = append(in.Evidence, item)
	}
	for _, s := range b.Special {
		item := domain.SpecialItem{Category: s.Category, Details: s.Details, PersonID: s.PersonID}
		if s.PersonIndex != nil {
			item.PersonID = domain.PersonIndexRef(*s.PersonIndex)
		}
		in.Special = append(in.Special, item)
	}
	for _, m := range b.Emails {
		in.Emails = append(in.Emails, m.domain())
	}
	c, created, err := h.svc.Open(r.Context(), caller(r), in, key)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/investigations/"+c.ID)
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	httpserver.SetVersionTag(w, c.Version)
	return httpserver.WriteJSON(w, status, viewOf(c))
}

func (h handlers) get(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.Get(r.Context(), caller(r), r.PathValue("id"))
	return h.reply(w, c, err)
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.Filter{Status: q.Get("status"), Area: q.Get("area"), After: q.Get("after")}
	f.Limit, _ = strconv.Atoi(q.Get("limit")) // validated by the contract
	items, err := h.svc.List(r.Context(), caller(r), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.Summary{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h handlers) takeAction(w http.ResponseWriter, r *http.Request) error {
	var b actionBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.TakeAction(r.Context(), caller(r), r.PathValue("id"),
		domain.NewAction{Kind: b.Kind, Notes: b.Notes, PersonID: b.PersonID, ComplyBy: b.ComplyBy})
	return h.reply(w, c, err)
}

func (h handlers) outcome(w http.ResponseWriter, r *http.Request) error {
	var b outcomeBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.RecordOutcome(r.Context(), caller(r), r.PathValue("id"), domain.Outcome{Kind: domain.OutcomeKind(b.Outcome),
		PersonID: b.PersonID, Offence: b.Offence, Court: b.Court, Date: b.Date, Sentence: b.Sentence, SentenceLength: b.SentenceLength})
	return h.reply(w, c, err)
}

func (h handlers) close(w http.ResponseWriter, r *http.Request) error {
	var b reasonBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.Close(r.Context(), caller(r), r.PathValue("id"), b.Reason)
	return h.reply(w, c, err)
}

func (h handlers) addPerson(w http.ResponseWriter, r *http.Request) error {
	var b personBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.AddPerson(r.Context(), caller(r), r.PathValue("id"), b.domain())
	return h.reply(w, c, err)
}

func (h handlers) addEvidence(w http.ResponseWriter, r *http.Request) error {
	var b evidenceBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	if b.PersonIndex != nil {
		return errPersonIndex
	}
	c, err := h.svc.AddEvidence(r.Context(), caller(r), r.PathValue("id"), b.domain())
	return h.reply(w, c, err)
}

// errPersonIndex refuses a person_index sent for an item added to a case already open: it
// names a person in a new report's people only. Ignored, it would leave the item linked to
// no one, and a statement or a photo a witness or the reporter supplied would then go where
// their own data may not.
var errPersonIndex = &casework.ValidationError{Field: "person_index",
	Detail: "is only for a report being opened, to name a person in its people; name a person on the case by person_id"}

func (h handlers) useAsEvidence(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.UseAsEvidence(r.Context(), caller(r), r.PathValue("id"), r.PathValue("item"))
	return h.reply(w, c, err)
}

func (h handlers) addSpecial(w http.ResponseWriter, r *http.Request) error {
	var b specialBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	if b.PersonIndex != nil {
		return errPersonIndex
	}
	c, err := h.svc.AddSpecial(r.Context(), caller(r), r.PathValue("id"), domain.SpecialItem{Category: b.Category, Details: b.Details, PersonID: b.PersonID})
	return h.reply(w, c, err)
}

func (h handlers) addEmail(w http.ResponseWriter, r *http.Request) error {
	var b emailBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.AddEmail(r.Context(), caller(r), r.PathValue("id"), b.domain())
	return h.reply(w, c, err)
}

func (h handlers) recordCondition(w http.ResponseWriter, r *http.Request) error {
	var b conditionBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.RecordCondition(r.Context(), caller(r), r.PathValue("id"),
		domain.RecordedCondition{Recipient: b.Recipient, Condition: b.Condition, Reason: b.Reason, PersonID: b.PersonID})
	return h.reply(w, c, err)
}

// withdrawCondition takes the condition and the person from the query: a refusal of either
// names its parameter, as the request has no body to point into.
func (h handlers) withdrawCondition(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	c, err := h.svc.WithdrawCondition(r.Context(), caller(r), r.PathValue("id"), r.PathValue("recipient"), q.Get("condition"), q.Get("person_id"))
	if invalid := (*casework.ValidationError)(nil); errors.As(err, &invalid) {
		return httpserver.Validation("the request is not acceptable", httpserver.FieldError{Parameter: invalid.Field, Detail: invalid.Detail})
	}
	return h.reply(w, c, err)
}

func (h handlers) refer(w http.ResponseWriter, r *http.Request) error {
	var b referralBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	res, err := h.svc.Refer(r.Context(), caller(r), r.PathValue("id"), app.ReferralRequest{Recipient: b.Recipient, Purpose: b.Purpose,
		Categories: b.Categories, PersonID: b.PersonID})
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusCreated, res)
}

func (h handlers) assign(w http.ResponseWriter, r *http.Request) error {
	var b assignBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.Assign(r.Context(), caller(r), r.PathValue("id"), b.Officer)
	return h.reply(w, c, err)
}

func (h handlers) setLegalHold(w http.ResponseWriter, r *http.Request) error {
	var b reasonBody
	if err := h.decode(r, &b); err != nil {
		return err
	}
	c, err := h.svc.SetLegalHold(r.Context(), caller(r), r.PathValue("id"), b.Reason)
	return h.reply(w, c, err)
}

func (h handlers) releaseLegalHold(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.ReleaseLegalHold(r.Context(), caller(r), r.PathValue("id"))
	return h.reply(w, c, err)
}
