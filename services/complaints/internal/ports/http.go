package ports

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// Roles a complaints token may carry.
const (
	RoleOfficer = "complaints_officer"
	RoleManager = "complaints_manager"
	RoleLGO     = "complaints_lgo" // the Ombudsman escalation handler: stage 3 actions, and reads of stage 3 cases only
)

// Roles are every role a complaints token may carry; a caller needs one of them.
var Roles = []string{RoleOfficer, RoleManager, RoleLGO}

type handlers struct {
	svc     *app.Service
	maxBody int64
}

// NewAPI builds the complaints API's routes, each with the roles it needs; bootstrap puts
// it behind authentication and OpenAPI validation beside the public routes.
func NewAPI(svc *app.Service, maxBodyBytes int64, log *slog.Logger) http.Handler {
	h := handlers{svc: svc, maxBody: maxBodyBytes}
	api := httpserver.NewMux(httpserver.CaseErrors(nil), log)
	staff := httpserver.RequireRole(RoleOfficer, RoleManager)
	manager := httpserver.RequireRole(RoleManager)
	anyRole := httpserver.RequireRole(Roles...)
	lgo := httpserver.RequireRole(RoleLGO)
	disclosureLog := httpserver.RequireRole(RoleManager, RoleLGO)

	api.Handle("POST /complaints", h.logComplaint, staff)
	api.Handle("GET /complaints", h.list, anyRole)
	api.Handle("GET /complaints/{id}", h.get, anyRole)
	api.Handle("POST /complaints/{id}/acknowledge", h.acknowledge, staff)
	api.Handle("POST /complaints/{id}/extend", h.extend, staff)
	api.Handle("POST /complaints/{id}/respond", h.respond, staff)
	api.Handle("POST /complaints/{id}/escalate", h.escalate, staff)
	api.Handle("POST /complaints/{id}/close", h.close, anyRole)
	api.Handle("POST /complaints/{id}/consents", h.recordConsent, staff)
	api.Handle("DELETE /complaints/{id}/consents/{recipient}", h.withdrawConsent, staff)
	api.Handle("POST /complaints/{id}/disclosures", h.disclose, staff)
	api.Handle("GET /complaints/{id}/disclosures", h.disclosures, disclosureLog)
	api.Handle("GET /disclosures", h.disclosuresOfPerson, manager)
	// Stage 3: officers may record that the complainant went to the Ombudsman; the rest is
	// the escalation handler's.
	api.Handle("POST /complaints/{id}/lgo/referral", h.referToLGO, anyRole)
	api.Handle("POST /complaints/{id}/lgo/necessity", h.recordNecessity, lgo)
	api.Handle("POST /complaints/{id}/lgo/enquiries", h.recordEnquiry, lgo)
	api.Handle("POST /complaints/{id}/lgo/enquiries/{n}/response", h.respondToEnquiry, lgo)
	api.Handle("POST /complaints/{id}/lgo/decision", h.recordDecision, lgo)
	api.Handle("POST /complaints/{id}/lgo/remedies/{n}/compliance", h.recordCompliance, lgo)
	api.Handle("PUT /complaints/{id}/legal-hold", h.setLegalHold, manager)
	api.Handle("DELETE /complaints/{id}/legal-hold", h.releaseLegalHold, manager)
	api.Handle("GET /statistics", h.statistics, staff)

	return api
}

// caller is who is asking, for the rule on which complaints they may know of: a caller
// whose only complaints role is the escalation handler's sees stage 3 complaints only.
func caller(r *http.Request) domain.Caller {
	p, _ := httpserver.PrincipalFrom(r.Context())
	return domain.Caller{Officer: p.Subject, LGOOnly: p.HasRole(RoleLGO) && !p.HasRole(RoleOfficer) && !p.HasRole(RoleManager)}
}

func officer(r *http.Request) string {
	p, _ := httpserver.PrincipalFrom(r.Context())
	return p.Subject
}

func (h handlers) decode(r *http.Request, dst any) error {
	return httpserver.DecodeJSON(r, dst, h.maxBody)
}

func (h handlers) reply(w http.ResponseWriter, status int, c *domain.Complaint) error {
	httpserver.SetVersionTag(w, c.Version)
	return httpserver.WriteJSON(w, status, viewOf(c, h.svc.Now(), nil))
}

func (h handlers) logComplaint(w http.ResponseWriter, r *http.Request) error {
	key, err := httpserver.IdempotencyKey(r, h.maxBody)
	if err != nil {
		return err
	}
	var body logComplaintBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	in := domain.NewComplaint{
		Complainant: domain.Complainant{Name: body.Complainant.Name, Address: body.Complainant.Address, Phone: body.Complainant.Phone, Email: body.Complainant.Email},
		Details:     body.Details, SpecialDetails: body.SpecialDetails, Service: body.Service, Channel: body.Channel,
		AnonymityRequested: body.AnonymityRequested, Handler: body.Handler, ConsentTo: body.ConsentTo,
	}
	if in.ReceivedAt, err = httpserver.OptionalTime("/received_at", body.ReceivedAt); err != nil {
		return err
	}
	c, created, err := h.svc.LogComplaint(r.Context(), officer(r), in, key)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/complaints/"+c.ID)
	if !created {
		return h.reply(w, http.StatusOK, c)
	}
	return h.reply(w, http.StatusCreated, c)
}

func (h handlers) get(w http.ResponseWriter, r *http.Request) error {
	c, history, err := h.svc.GetComplaint(r.Context(), caller(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpserver.SetVersionTag(w, c.Version)
	return httpserver.WriteJSON(w, http.StatusOK, viewOf(c, h.svc.Now(), history))
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.Filter{Status: q.Get("status"), Service: q.Get("service"), Officer: q.Get("officer"), After: q.Get("after")}
	// The OpenAPI validator has already checked these parameters' formats.
	f.Stage, _ = strconv.Atoi(q.Get("stage"))
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	if v := q.Get("due_before"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return httpserver.Validation("due_before must be an RFC 3339 date-time", httpserver.FieldError{Parameter: "due_before", Detail: err.Error()})
		}
		t = t.UTC() // PostgreSQL takes offsets to ±15:59 only; Go reads them to ±23:59
		f.DueBefore = &t
	}
	if v := q.Get("overdue"); v != "" {
		// Read as the validator read it: TRUE, 1 and t are true too, never quietly false.
		b, err := strconv.ParseBool(v)
		if err != nil {
			return httpserver.Validation("overdue must be true or false", httpserver.FieldError{Parameter: "overdue", Detail: err.Error()})
		}
		f.Overdue = &b
	}
	items, err := h.svc.ListComplaints(r.Context(), caller(r), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.Summary{}
	}
	out := map[string]any{"items": items}
	if len(items) > 0 && len(items) == limitOrDefault(f.Limit) {
		out["next_after"] = items[len(items)-1].Reference
	}
	return httpserver.WriteJSON(w, http.StatusOK, out)
}

func limitOrDefault(n int) int {
	if n <= 0 || n > 500 {
		return 100
	}
	return n
}

func (h handlers) acknowledge(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.Acknowledge(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) extend(w http.ResponseWriter, r *http.Request) error {
	var body extendBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.Extend(r.Context(), officer(r), r.PathValue("id"), body.WorkingDays, body.Reason)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) respond(w http.ResponseWriter, r *http.Request) error {
	var body respondBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.Respond(r.Context(), officer(r), r.PathValue("id"), domain.Outcome(body.Outcome), body.Summary, body.Remedies)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) escalate(w http.ResponseWriter, r *http.Request) error {
	var body escalateBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	receivedAt, err := httpserver.OptionalTime("/received_at", body.ReceivedAt)
	if err != nil {
		return err
	}
	c, err := h.svc.Escalate(r.Context(), officer(r), r.PathValue("id"), body.FurtherDetails, body.Handler, receivedAt)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) close(w http.ResponseWriter, r *http.Request) error {
	var body reasonBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.Close(r.Context(), caller(r), r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) recordConsent(w http.ResponseWriter, r *http.Request) error {
	var body consentBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.RecordConsent(r.Context(), officer(r), r.PathValue("id"), body.Recipient, body.Explicit)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) withdrawConsent(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.WithdrawConsent(r.Context(), officer(r), r.PathValue("id"), r.PathValue("recipient"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) disclose(w http.ResponseWriter, r *http.Request) error {
	var body disclosureBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	res, err := h.svc.Disclose(r.Context(), officer(r), r.PathValue("id"),
		app.DisclosureRequest{Recipient: body.Recipient, Purpose: body.Purpose, Categories: body.Categories})
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusCreated, res)
}

func (h handlers) setLegalHold(w http.ResponseWriter, r *http.Request) error {
	var body reasonBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.SetLegalHold(r.Context(), officer(r), r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) releaseLegalHold(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.ReleaseLegalHold(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) statistics(w http.ResponseWriter, r *http.Request) error {
	today := calendar.DateOf(h.svc.Now())
	from, to, err := httpserver.Period(r, today.AddDays(-365), today) // the last 12 months by default
	if err != nil {
		return err
	}
	stats, err := h.svc.Statistics(r.Context(), from, to)
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, stats)
}
