package ports

import (
	"errors"
	"net/http"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/rights/internal/app"
)

// TypeIncomplete is the problem type of a response asked for while services have not answered.
const TypeIncomplete = "https://casework.dev/problems/incomplete"

// OwnErrors maps the refusals only this service has; every other is the platform's
// (httpserver.CaseErrors).
func OwnErrors(err error) *httpserver.Problem {
	var incomplete *app.IncompleteError
	if errors.As(err, &incomplete) {
		return &httpserver.Problem{Type: TypeIncomplete, Title: "The response is not complete", Status: http.StatusConflict,
			Detail: incomplete.Error(), Extensions: map[string]any{"phase": string(incomplete.Phase), "pending": incomplete.Pending}}
	}
	return nil
}
