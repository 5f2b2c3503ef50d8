package ports

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// Roles a debt token may carry. A client's user holds RoleClient and one role
// "debt_client:<client id>" naming its client.
const (
	RoleOfficer      = "enforcement_officer"
	RoleAgent        = "enforcement_agent"
	RoleManager      = "enforcement_manager"
	RoleClient       = "debt_client"
	ClientRolePrefix = RoleClient + ":"
)

// Roles are every role a debt token may carry: the agency's staff and a client's user.
var Roles = []string{RoleOfficer, RoleAgent, RoleManager, RoleClient}

// Which staff roles a route admits. A token may carry a staff role and a client's too; a
// route that admits it only through the client's role takes it as that client's user
// (callerOf), never as staff.
var (
	staffRoles  = []string{RoleOfficer, RoleAgent, RoleManager}
	officeRoles = []string{RoleOfficer, RoleManager}
)

type handlers struct {
	svc      *app.Service
	maxBody  int64
	batch    int
	parallel int
}

// Referrals is how a referral file is stored: Batch rows per statement (500 when zero),
// Parallel batches at once (one database connection each; 1 when zero).
type Referrals struct {
	Batch, Parallel int
}

// NewAPI builds the debt API's routes, each with the roles it needs, and the referral
// upload apart: bootstrap puts the API behind authentication and OpenAPI validation, and
// the upload, which streams a file far larger than a JSON body, behind authentication only.
func NewAPI(svc *app.Service, maxBodyBytes int64, referrals Referrals, log *slog.Logger) (api, upload http.Handler) {
	if referrals.Batch <= 0 {
		referrals.Batch = 500
	}
	h := handlers{svc: svc, maxBody: maxBodyBytes, batch: referrals.Batch, parallel: max(referrals.Parallel, 1)}
	mux := httpserver.NewMux(httpserver.CaseErrors(OwnErrors), log)
	anyRole := httpserver.RequireRole(Roles...)
	staff := httpserver.RequireRole(staffRoles...)
	office := httpserver.RequireRole(officeRoles...)
	field := httpserver.RequireRole(RoleAgent, RoleManager)
	manager := httpserver.RequireRole(RoleManager)
	client := httpserver.RequireRole(RoleClient)
	reporting := httpserver.RequireRole(append(slices.Clone(officeRoles), RoleClient)...)

	mux.Handle("GET /cases", h.list, anyRole)
	mux.Handle("GET /cases/{id}", h.get, anyRole)
	mux.Handle("POST /cases/{id}/visits", h.recordVisit, field)
	mux.Handle("POST /cases/{id}/notice-of-sale", h.noticeOfSale, field)
	mux.Handle("POST /cases/{id}/removal-attendance", h.recordRemovalAttendance, field)
	mux.Handle("POST /cases/{id}/sale", h.recordSale, field)
	mux.Handle("POST /cases/{id}/payments", h.recordPayment, office)
	mux.Handle("POST /cases/{id}/arrangement", h.makeArrangement, office)
	mux.Handle("POST /cases/{id}/vulnerability", h.flagVulnerability, staff)
	mux.Handle("POST /cases/{id}/vulnerability/review", h.reviewVulnerability, office)
	mux.Handle("POST /cases/{id}/arrangement/review", h.reviewArrangement, office)
	mux.Handle("POST /cases/{id}/return", h.returnToClient, office)
	mux.Handle("POST /cases/{id}/recall", h.recall, client)
	mux.Handle("POST /cases/{id}/consents", h.recordConsent, office)
	mux.Handle("DELETE /cases/{id}/consents/{recipient}", h.withdrawConsent, office)
	mux.Handle("POST /cases/{id}/disclosures", h.disclose, office)
	mux.Handle("GET /cases/{id}/disclosures", h.disclosures, manager)
	mux.Handle("PUT /cases/{id}/legal-hold", h.setLegalHold, manager)
	mux.Handle("DELETE /cases/{id}/legal-hold", h.releaseLegalHold, manager)
	mux.Handle("GET /remittance", h.remittance, reporting)
	mux.Handle("GET /statistics", h.statistics, reporting)

	uploads := httpserver.NewMux(httpserver.CaseErrors(OwnErrors), log)
	uploads.Handle("POST /referrals", h.refer, reporting)
	return mux, uploads
}

// callerOf is who asks on a route that admits staff holding one of staff (none: a client's
// route): such a token asks as agency staff. Any other token the route let through holds
// the client's role and asks as that client's user, whatever staff role it also carries:
// a staff role the route does not admit must not make a client's user staff (an agent
// with the client's role would otherwise recall, or read the remittance of, any client's
// debts). A client's user without a client role may act on nothing.
func callerOf(r *http.Request, staff []string) (app.Caller, error) {
	p, _ := httpserver.PrincipalFrom(r.Context())
	c := app.Caller{Subject: p.Subject}
	if slices.ContainsFunc(staff, p.HasRole) {
		return c, nil
	}
	if p.HasRole(RoleClient) {
		for _, role := range p.Roles {
			if id, ok := strings.CutPrefix(role, ClientRolePrefix); ok && id != "" {
				c.ClientID = id
				return c, nil
			}
		}
	}
	return c, httpserver.Forbidden("a client's token must name its client in a role " + ClientRolePrefix + "<client id>")
}

func (h handlers) decode(r *http.Request, dst any) error {
	return httpserver.DecodeJSON(r, dst, h.maxBody)
}

// reply answers the case as the caller may read it: a client's user gets the categories
// the notice lets its council receive (clientViewOf), without the history; staff get it all.
func (h handlers) reply(w http.ResponseWriter, status int, caller app.Caller, c *domain.Case, history []app.HistoryEntry) error {
	httpserver.SetVersionTag(w, c.Version)
	if caller.ClientID != "" {
		return httpserver.WriteJSON(w, status, clientViewOf(c))
	}
	return httpserver.WriteJSON(w, status, viewOf(c, history))
}

// act runs a change on the case named in the path, asked by the route's staff (every route
// act serves admits staff roles only but the recall), and answers the case.
func (h handlers) act(w http.ResponseWriter, r *http.Request, body any, do func(app.Caller, string) (*domain.Case, error)) error {
	return h.actAs(w, r, staffRoles, body, do)
}

// actAs is act on a route that takes the holders of staff as agency staff (callerOf).
func (h handlers) actAs(w http.ResponseWriter, r *http.Request, staff []string, body any, do func(app.Caller, string) (*domain.Case, error)) error {
	caller, err := callerOf(r, staff)
	if err != nil {
		return err
	}
	if body != nil {
		if err := h.decode(r, body); err != nil {
			return err
		}
	}
	c, err := do(caller, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, caller, c, nil)
}

func (h handlers) get(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r, staffRoles)
	if err != nil {
		return err
	}
	c, history, err := h.svc.GetCase(r.Context(), caller, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, caller, c, history)
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r, staffRoles)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := app.Filter{ClientID: q.Get("client"), Status: q.Get("status"), Stage: q.Get("stage"), After: q.Get("after")}
	f.Limit, _ = strconv.Atoi(q.Get("limit")) // the validator checked the format
	if v := q.Get("arrangement_review_pending"); v != "" {
		review, _ := strconv.ParseBool(v) // the validator checked it is true or false
		f.ArrangementReview = &review
	}
	items, err := h.svc.ListCases(r.Context(), caller, f)
	if err != nil {
		return err
	}
	if caller.ClientID != "" {
		return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": clientSummaries(items)})
	}
	if items == nil {
		items = []app.Summary{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h handlers) recordVisit(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		At            time.Time `json:"at"`
		Outcome       string    `json:"outcome"`
		BodyWornVideo string    `json:"body_worn_video"`
		Exception     string    `json:"exception"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.RecordVisit(r.Context(), c, id, domain.NewVisit{At: body.At.UTC().Truncate(time.Microsecond), Outcome: body.Outcome,
			BodyWornVideo: body.BodyWornVideo, Exception: body.Exception})
	})
}

func (h handlers) noticeOfSale(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, nil, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.IssueNoticeOfSale(r.Context(), c, id)
	})
}

func (h handlers) recordRemovalAttendance(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		At            time.Time `json:"at"`
		Purpose       string    `json:"purpose"`
		BodyWornVideo string    `json:"body_worn_video"`
		Exception     string    `json:"exception"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.RecordRemovalAttendance(r.Context(), c, id, domain.NewRemovalAttendance{At: body.At.UTC().Truncate(time.Microsecond),
			Purpose: body.Purpose, BodyWornVideo: body.BodyWornVideo, Exception: body.Exception})
	})
}

func (h handlers) recordSale(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		ProceedsPence int64     `json:"proceeds_pence"`
		SoldAt        time.Time `json:"sold_at"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.RecordSale(r.Context(), c, id, body.ProceedsPence, body.SoldAt.UTC().Truncate(time.Microsecond))
	})
}

func (h handlers) recordPayment(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		AmountPence int64      `json:"amount_pence"`
		ReceivedAt  *time.Time `json:"received_at"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		at, err := httpserver.OptionalTime("/received_at", body.ReceivedAt)
		if err != nil {
			return nil, err
		}
		return h.svc.RecordPayment(r.Context(), c, id, body.AmountPence, at)
	})
}

func (h handlers) makeArrangement(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		FirstDue    calendar.Date `json:"first_due"`
		AmountPence int64         `json:"amount_pence"`
		Count       int           `json:"count"`
		Frequency   string        `json:"frequency"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.MakeArrangement(r.Context(), c, id, domain.NewArrangement{FirstDue: body.FirstDue, AmountPence: body.AmountPence,
			Count: body.Count, Frequency: body.Frequency})
	})
}

func (h handlers) flagVulnerability(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Nature string `json:"nature"`
		Debtor int    `json:"debtor"`
		Acute  bool   `json:"acute"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.FlagVulnerability(r.Context(), c, id, body.Nature, body.Debtor, body.Acute)
	})
}

func (h handlers) reviewVulnerability(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Debtor              int  `json:"debtor"`
		AdviceOpportunity   bool `json:"advice_opportunity_given"`
		ContinueEnforcement bool `json:"continue_enforcement"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.ReviewVulnerability(r.Context(), c, id, body.Debtor, body.AdviceOpportunity, body.ContinueEnforcement)
	})
}

func (h handlers) reviewArrangement(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Decision string `json:"decision"`
		Reason   string `json:"reason"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.ReviewArrangement(r.Context(), c, id, body.Decision, body.Reason)
	})
}

func (h handlers) returnToClient(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Reason string `json:"reason"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.ReturnToClient(r.Context(), c, id, body.Reason)
	})
}

// recall is the client's alone: the caller is always the client's user, a staff role on
// the same token notwithstanding, so it recalls its own client's cases only and reads the
// answer as the client does.
func (h handlers) recall(w http.ResponseWriter, r *http.Request) error {
	return h.actAs(w, r, nil, nil, func(c app.Caller, id string) (*domain.Case, error) { return h.svc.Recall(r.Context(), c, id) })
}

func (h handlers) recordConsent(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Recipient string `json:"recipient"`
		Debtor    int    `json:"debtor"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.RecordConsent(r.Context(), c, id, body.Recipient, body.Debtor)
	})
}

// withdrawConsent names the debtor who withdraws in the query (a DELETE has no body), so a
// refusal of it names the parameter.
func (h handlers) withdrawConsent(w http.ResponseWriter, r *http.Request) error {
	debtor, _ := strconv.Atoi(r.URL.Query().Get("debtor")) // the validator checked the format; absent is 0
	return h.act(w, r, nil, func(c app.Caller, id string) (*domain.Case, error) {
		k, err := h.svc.WithdrawConsent(r.Context(), c, id, r.PathValue("recipient"), debtor)
		var invalid *casework.ValidationError
		if errors.As(err, &invalid) && invalid.Field == "debtor" {
			return nil, httpserver.Validation("the request is not acceptable", httpserver.FieldError{Parameter: "debtor", Detail: invalid.Detail})
		}
		return k, err
	})
}

func (h handlers) setLegalHold(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Reason string `json:"reason"`
	}
	return h.act(w, r, &body, func(c app.Caller, id string) (*domain.Case, error) {
		return h.svc.SetLegalHold(r.Context(), c, id, body.Reason)
	})
}

func (h handlers) releaseLegalHold(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, nil, func(c app.Caller, id string) (*domain.Case, error) { return h.svc.ReleaseLegalHold(r.Context(), c, id) })
}

func (h handlers) disclose(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r, staffRoles)
	if err != nil {
		return err
	}
	var body struct {
		Recipient  string   `json:"recipient"`
		Purpose    string   `json:"purpose"`
		Categories []string `json:"categories"`
		Necessity  string   `json:"necessity"`
		Debtor     int      `json:"debtor"`
	}
	if err := h.decode(r, &body); err != nil {
		return err
	}
	res, err := h.svc.Disclose(r.Context(), caller, r.PathValue("id"), app.DisclosureRequest{Recipient: body.Recipient,
		Purpose: body.Purpose, Categories: body.Categories, Necessity: body.Necessity, Debtor: body.Debtor})
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusCreated, res)
}

func (h handlers) disclosures(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r, staffRoles)
	if err != nil {
		return err
	}
	recs, err := h.svc.Disclosures(r.Context(), caller, r.PathValue("id"))
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []app.DisclosureRecord{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": recs})
}

func (h handlers) remittance(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r, officeRoles)
	if err != nil {
		return err
	}
	from, to, err := h.period(r)
	if err != nil {
		return err
	}
	out, err := h.svc.RemittanceStatement(r.Context(), caller, r.URL.Query().Get("client"), from, to)
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, out)
}

func (h handlers) statistics(w http.ResponseWriter, r *http.Request) error {
	caller, err := callerOf(r, officeRoles)
	if err != nil {
		return err
	}
	from, to, err := h.period(r)
	if err != nil {
		return err
	}
	out, err := h.svc.Statistics(r.Context(), caller, from, to)
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, out)
}

// period is the query's from and to, by default the last 12 months.
func (h handlers) period(r *http.Request) (time.Time, time.Time, error) {
	today := calendar.DateOf(h.svc.Now())
	return httpserver.Period(r, today.AddMonths(-12), today)
}
