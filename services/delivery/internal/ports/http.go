// Package ports exposes the dead-letter list over HTTP.
package ports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/delivery/internal/app"
	"casework.dev/services/delivery/internal/domain"
)

// Roles that may see, retry and discard dead letters.
const (
	RoleComplaintsManager     = "complaints_manager"
	RoleInvestigationsManager = "investigations_manager"
	RoleDeliveryManager       = "delivery_manager"
)

// Roles may see, retry and discard dead letters.
var Roles = []string{RoleComplaintsManager, RoleInvestigationsManager, RoleDeliveryManager}

type handlers struct{ svc *app.Service }

// NewAPI builds the dead-letter routes; bootstrap puts them behind authentication, a
// manager role and OpenAPI validation beside the public routes.
func NewAPI(svc *app.Service, log *slog.Logger) http.Handler {
	h := handlers{svc: svc}
	api := httpserver.NewMux(MapError, log)
	api.Handle("GET /dead-letters", h.list)
	api.Handle("POST /dead-letters/{id}/retry", h.retry)
	api.Handle("POST /dead-letters/{id}/discard", h.discard)
	return api
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.Filter{Partner: q.Get("partner"), Services: visibleServices(r)}
	f.Limit, _ = strconv.Atoi(q.Get("limit")) // the validator has checked it
	states, ok := domain.ListStatuses(q.Get("status"))
	if !ok { // the validator refuses it first; never list something else instead
		return httpserver.Validation("the request does not match the API description", httpserver.FieldError{Parameter: "status",
			Detail: fmt.Sprintf(`query parameter "status": %q is not one of open, closed, redelivered, discarded, expired, all`, q.Get("status"))})
	}
	f.States = states
	items, err := h.svc.DeadLetters(r.Context(), f)
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h handlers) retry(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpserver.PrincipalFrom(r.Context())
	res, err := h.svc.RetryDeadLetter(r.Context(), p.Subject, r.PathValue("id"), visibleServices(r))
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, res)
}

func (h handlers) discard(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpserver.PrincipalFrom(r.Context())
	dl, err := h.svc.DiscardDeadLetter(r.Context(), p.Subject, r.PathValue("id"), visibleServices(r))
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, http.StatusOK, dl)
}

// visibleServices are the services whose dead letters the caller manages: a service's
// manager sees its own, a delivery manager every one (nil).
func visibleServices(r *http.Request) []string {
	p, _ := httpserver.PrincipalFrom(r.Context())
	if p.HasRole(RoleDeliveryManager) {
		return nil
	}
	services := []string{}
	if p.HasRole(RoleComplaintsManager) {
		services = append(services, "complaints")
	}
	if p.HasRole(RoleInvestigationsManager) {
		services = append(services, "investigations")
	}
	return services
}

// MapError is the one place app errors become HTTP problems. A refusal because of where a
// dead letter stands says its state.
func MapError(err error) *httpserver.Problem {
	p := mapError(err)
	if se, ok := errors.AsType[*domain.StateError](err); ok && p != nil {
		p = p.With("state", se.State)
	}
	return p
}

func mapError(err error) *httpserver.Problem {
	switch {
	case errors.Is(err, context.Canceled):
		return &httpserver.Problem{Type: "https://casework.dev/problems/client-closed-request", Title: "Client closed request", Status: 499}
	case errors.Is(err, domain.ErrNotFound):
		return httpserver.NotFound(err.Error())
	case errors.Is(err, domain.ErrResolved):
		return httpserver.Conflict(err.Error()).With("rule", "resolved")
	case errors.Is(err, domain.ErrDiscloseAgain):
		p := httpserver.Conflict(err.Error()).With("rule", "disclose_again")
		if de, ok := errors.AsType[*domain.DiscloseAgainError](err); ok && de.Service != "" {
			p = p.With("source_service", de.Service)
		}
		return p
	case errors.Is(err, domain.ErrConflict):
		return httpserver.Conflict(err.Error()).With("rule", "concurrent_attempt")
	case errors.Is(err, domain.ErrUnknownPartner):
		return httpserver.Conflict(err.Error()).With("rule", "unknown_partner")
	}
	return nil
}
