package httpserver

import (
	"context"
	"net/http"
	"slices"
	"strings"
)

// Principal is the authenticated caller.
type Principal struct {
	Subject string
	Name    string
	Roles   []string
}

// HasRole reports whether the principal holds role r.
func (p Principal) HasRole(r string) bool { return slices.Contains(p.Roles, r) }

type principalKey struct{}

// PrincipalFrom returns the principal the auth middleware stored.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// ContextWithPrincipal stores p; the auth middleware uses it, and so can
// handler tests that do not want to mint tokens.
func ContextWithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// RequireRole lets a request through only if its principal holds at least
// one of roles: otherwise a 403 forbidden problem naming the roles needed
// (in detail and in the "required_roles" member). Without a principal (the
// auth middleware was not in front) it answers 401.
func RequireRole(roles ...string) Middleware {
	needed := slices.Clone(roles)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok := PrincipalFrom(r.Context())
			if !ok {
				writeUnauthenticated(w, r, "", "a bearer token is required")
				return
			}
			if slices.ContainsFunc(needed, p.HasRole) {
				next.ServeHTTP(w, r)
				return
			}
			WriteProblem(w, r, Forbidden("this action needs one of the roles: "+strings.Join(needed, ", ")).
				With("required_roles", needed))
		})
	}
}
