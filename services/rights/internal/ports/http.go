package ports

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// Roles a rights token may carry.
const (
	RoleDPO     = "dpo"         // the data protection officer: confirms matches, answers, refuses
	RoleOfficer = "dpo_officer" // staff who prepare responses
)

// Roles are every role a rights token may carry; a caller needs one of them.
var Roles = []string{RoleDPO, RoleOfficer}

type handlers struct {
	svc     *app.Service
	maxBody int64
}

// NewAPI builds the rights API's routes, each with the roles it needs; bootstrap puts the
// API behind authentication and OpenAPI validation.
func NewAPI(svc *app.Service, maxBodyBytes int64, log *slog.Logger) http.Handler {
	h := handlers{svc: svc, maxBody: maxBodyBytes}
	api := httpserver.NewMux(httpserver.CaseErrors(OwnErrors), log)
	staff := httpserver.RequireRole(Roles...)
	dpo := httpserver.RequireRole(RoleDPO)

	api.Handle("POST /requests", h.logRequest, staff)
	api.Handle("GET /requests", listOf(h.svc.ListRequests), staff)
	api.Handle("GET /requests/{id}", getOf(requestViewOf, h.svc.GetRequest), staff)
	api.Handle("POST /requests/{id}/clock/stop", h.stopClock(), staff)
	api.Handle("POST /requests/{id}/clock/restart", h.restartClock(), staff)
	api.Handle("POST /requests/{id}/extend", h.extend(), staff)
	api.Handle("POST /requests/{id}/search", h.search, staff)
	api.Handle("POST /requests/{id}/confirm", h.confirm, dpo)
	api.Handle("POST /requests/{id}/lift", h.lift(), dpo)
	api.Handle("POST /requests/{id}/complete", change(requestShown, h.svc.Complete), dpo)
	api.Handle("POST /requests/{id}/refuse", h.refuse(), dpo)
	api.Handle("GET /requests/{id}/response", h.responseJSON, staff)
	api.Handle("GET /requests/{id}/response.html", h.responseHTML, staff)
	api.Handle("POST /requests/{id}/article19/{notice}/acknowledge", h.acknowledge, staff)

	api.Handle("POST /breaches", h.recordBreach, staff)
	api.Handle("GET /breaches", listOf(h.svc.ListBreaches), staff)
	api.Handle("GET /breaches/{id}", getOf(breachViewOf, h.svc.GetBreach), staff)
	api.Handle("POST /breaches/{id}/assessment", h.assessBreach(), dpo)
	api.Handle("POST /breaches/{id}/report", h.reportBreach(), dpo)
	api.Handle("POST /breaches/{id}/people-told", h.peopleTold(), staff)
	api.Handle("POST /breaches/{id}/close", change(breachShown, h.svc.CloseBreach), dpo)
	api.Handle("POST /breaches/{id}/review", h.reviewBreach(), dpo)

	api.Handle("POST /foi", h.receiveFOI, staff)
	api.Handle("GET /foi", listOf(h.svc.ListFOI), staff)
	api.Handle("GET /foi/{id}", getOf(foiViewOf, h.svc.GetFOI), staff)
	api.Handle("POST /foi/{id}/regime", h.changeRegime(), staff)
	api.Handle("POST /foi/{id}/clock/stop", change(foiShown, h.svc.StopFOIClock), staff)
	api.Handle("POST /foi/{id}/lapse", change(foiShown, h.svc.LapseFOI), staff)
	api.Handle("POST /foi/{id}/clock/restart", h.restartFOIClock(), staff)
	api.Handle("POST /foi/{id}/extend", h.extendFOI(), staff)
	api.Handle("POST /foi/{id}/respond", h.respondFOI, staff)
	api.Handle("POST /foi/{id}/review", h.requestFOIReview(), staff)
	api.Handle("POST /foi/{id}/review/extend", change(foiShown, h.svc.ExtendFOIReview), staff)
	api.Handle("POST /foi/{id}/review/decision", h.decideFOIReview(), dpo)
	return api
}

// DisclosureLog is the public FOI disclosure log, served to anyone without a token.
func DisclosureLog(svc *app.Service) httpserver.HandlerFunc {
	return handlers{svc: svc}.disclosureLog
}

func officer(r *http.Request) string {
	p, _ := httpserver.PrincipalFrom(r.Context())
	return p.Subject
}

func (h handlers) decode(r *http.Request, dst any) error {
	return httpserver.DecodeJSON(r, dst, h.maxBody)
}

// changeWith is a route that changes the case in the path: its body decoded into B, the
// use case run, the changed case answered 200 as view shows it.
func changeWith[B, T any](h handlers, view func(T) any, use func(ctx context.Context, officer, id string, body B) (T, error)) httpserver.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var body B
		if err := h.decode(r, &body); err != nil {
			return err
		}
		c, err := use(r.Context(), officer(r), r.PathValue("id"), body)
		if err != nil {
			return err
		}
		return httpserver.WriteJSON(w, http.StatusOK, view(c))
	}
}

// change is changeWith for a route that takes no body.
func change[T any](view func(T) any, use func(ctx context.Context, officer, id string) (T, error)) httpserver.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := use(r.Context(), officer(r), r.PathValue("id"))
		if err != nil {
			return err
		}
		return httpserver.WriteJSON(w, http.StatusOK, view(c))
	}
}

// listOf is a list route: the filter from the query (checked by the OpenAPI validator),
// the items without personal data.
func listOf[T any](list func(ctx context.Context, f app.Filter) ([]T, error)) httpserver.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		f := app.Filter{Status: q.Get("status"), Kind: q.Get("kind"), After: q.Get("after")}
		f.Limit, _ = strconv.Atoi(q.Get("limit"))
		items, err := list(r.Context(), f)
		if err != nil {
			return err
		}
		if items == nil {
			items = []T{}
		}
		return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	}
}

// getOf is a route that shows one case with its history.
func getOf[T, V any](view func(T, []app.HistoryEntry) V, get func(ctx context.Context, officer, id string) (T, []app.HistoryEntry, error)) httpserver.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, history, err := get(r.Context(), officer(r), r.PathValue("id"))
		if err != nil {
			return err
		}
		return httpserver.WriteJSON(w, http.StatusOK, view(c, history))
	}
}

func requestShown(req *domain.Request) any { return requestViewOf(req, nil) }
func breachShown(b *domain.Breach) any     { return breachViewOf(b, nil) }
func foiShown(f *domain.FOIRequest) any    { return foiViewOf(f, nil) }

func (h handlers) reply(w http.ResponseWriter, status int, req *domain.Request, history []app.HistoryEntry) error {
	return httpserver.WriteJSON(w, status, requestViewOf(req, history))
}

type personBody struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

type representativeBody struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	Authority    string `json:"authority,omitempty"`
}

type rectificationBody struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

type newRequestBody struct {
	Kind           string              `json:"kind"`
	ReceivedAt     time.Time           `json:"received_at"`
	Requester      personBody          `json:"requester"`
	Subject        rights.Identifiers  `json:"subject"`
	Representative *representativeBody `json:"representative"`
	IdentityMethod string              `json:"identity_method"`
	Details        string              `json:"details"`
	Rectification  *rectificationBody  `json:"rectification"`
}

func (h handlers) logRequest(w http.ResponseWriter, r *http.Request) error {
	var body newRequestBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	in := domain.NewRequest{Kind: domain.Kind(body.Kind), ReceivedAt: body.ReceivedAt, Subject: body.Subject,
		Requester:      domain.Person{Name: body.Requester.Name, Email: body.Requester.Email, Phone: body.Requester.Phone, Address: body.Requester.Address},
		IdentityMethod: body.IdentityMethod, Details: body.Details}
	if rep := body.Representative; rep != nil {
		in.Representative = &domain.Representative{Name: rep.Name, Organisation: rep.Organisation, Authority: rep.Authority}
	}
	if rc := body.Rectification; rc != nil {
		in.Rectification = &domain.Rectification{Field: rc.Field, Value: rc.Value}
	}
	req, err := h.svc.LogRequest(r.Context(), officer(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/requests/"+req.ID)
	return h.reply(w, http.StatusCreated, req, nil)
}

type stopBody struct {
	Awaiting string `json:"awaiting"`
}

func (h handlers) stopClock() httpserver.HandlerFunc {
	return changeWith(h, requestShown, func(ctx context.Context, officer, id string, body stopBody) (*domain.Request, error) {
		return h.svc.StopClock(ctx, officer, id, domain.Awaiting(body.Awaiting))
	})
}

type restartBody struct {
	ReceivedAt     time.Time `json:"received_at"`
	IdentityMethod string    `json:"identity_method"`
	Authority      string    `json:"authority"`
}

func (h handlers) restartClock() httpserver.HandlerFunc {
	return changeWith(h, requestShown, func(ctx context.Context, officer, id string, body restartBody) (*domain.Request, error) {
		return h.svc.RestartClock(ctx, officer, id,
			domain.Restart{ReceivedAt: body.ReceivedAt, IdentityMethod: body.IdentityMethod, Authority: body.Authority})
	})
}

type extendBody struct {
	Months  int           `json:"months"`
	Reason  string        `json:"reason"`
	ToldOn  calendar.Date `json:"told_on"`
	ToldHow string        `json:"told_how"`
}

func (h handlers) extend() httpserver.HandlerFunc {
	return changeWith(h, requestShown, func(ctx context.Context, officer, id string, body extendBody) (*domain.Request, error) {
		return h.svc.Extend(ctx, officer, id,
			domain.ExtendRequest{Months: body.Months, Reason: body.Reason, ToldOn: body.ToldOn, ToldHow: body.ToldHow})
	})
}

func (h handlers) search(w http.ResponseWriter, r *http.Request) error {
	req, err := h.svc.StartSearch(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	// The services are asked in the background; the request shows who has answered.
	return h.reply(w, http.StatusAccepted, req, nil)
}

type matchBody struct {
	Service  string `json:"service"`
	RecordID string `json:"record_id"`
}

type confirmBody struct {
	Matches []matchBody `json:"matches"`
}

func (h handlers) confirm(w http.ResponseWriter, r *http.Request) error {
	var body confirmBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	matches := make([]domain.Match, len(body.Matches))
	for i, m := range body.Matches {
		matches[i] = domain.Match{Service: m.Service, RecordID: m.RecordID}
	}
	req, err := h.svc.Confirm(r.Context(), officer(r), r.PathValue("id"), matches)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusAccepted, req, nil)
}

type refuseBody struct {
	Ground  string `json:"ground"`
	Reasons string `json:"reasons"`
}

func (h handlers) refuse() httpserver.HandlerFunc {
	return changeWith(h, requestShown, func(ctx context.Context, officer, id string, body refuseBody) (*domain.Request, error) {
		return h.svc.Refuse(ctx, officer, id, body.Ground, body.Reasons)
	})
}

func (h handlers) acknowledge(w http.ResponseWriter, r *http.Request) error {
	req, err := h.svc.AcknowledgeNotice(r.Context(), officer(r), r.PathValue("id"), r.PathValue("notice"))
	return h.replyOr(w, req, err)
}

func (h handlers) replyOr(w http.ResponseWriter, req *domain.Request, err error) error {
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, req, nil)
}

func (h handlers) responseJSON(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.Compile(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	for i := range c.Services {
		for j := range c.Services[i].Records {
			rec := &c.Services[i].Records[j]
			rec.Disclosures = disclosuresShown(rec.Disclosures)
		}
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.Reference+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	return httpserver.WriteJSON(w, http.StatusOK, c)
}

func (h handlers) responseHTML(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.Compile(r.Context(), officer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	body, err := renderResponse(c)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(body)
	return err
}

type liftBody struct {
	ToldOn  calendar.Date `json:"told_on"`
	ToldHow string        `json:"told_how"`
}

func (h handlers) lift() httpserver.HandlerFunc {
	return changeWith(h, requestShown, func(ctx context.Context, officer, id string, body liftBody) (*domain.Request, error) {
		return h.svc.LiftRestriction(ctx, officer, id, domain.LiftRequest{ToldOn: body.ToldOn, ToldHow: body.ToldHow})
	})
}
