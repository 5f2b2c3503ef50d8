package ports

import (
	"net/http"
	"net/url"
	"strings"

	"casework.dev/pkg/httpserver"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
)

// CookieName holds a browser's bearer token: HttpOnly (no script reads it), SameSite=Strict
// (no other site's page sends it) and Secure unless configured off for plain-HTTP local use.
const CookieName = "board_token"

// MaxBodyBytes bounds a request body (the binary's default, and the sign-in form's): it
// admits every body the contract (contracts/openapi/board.yaml) allows. The only body is
// the sign-in form, "token=" and a token of at most 8192 characters, each at most 12 bytes
// form-encoded (a 4-byte UTF-8 character is %XX four times): 98,310 bytes. Real tokens are
// a few hundred. 128 KiB admits it, and anything larger is refused 413.
const MaxBodyBytes int64 = 128 << 10

// session is the signed-in manager: the token they presented and the services they see.
type session struct {
	principal httpserver.Principal
	token     string
	services  []string
}

// tokenFrom reads the bearer token from the Authorization header (API clients) or the
// cookie (a browser that signed in); fromCookie tells which.
func tokenFrom(r *http.Request) (token string, fromCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok), false
		}
		return "", false
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value, true
	}
	return "", false
}

// authenticate verifies the caller's token and works out what they see. A valid token
// without a manager role of a followed service is refused: there is nothing to show.
func (h *handlers) authenticate(r *http.Request) (session, *httpserver.Problem) {
	if p := httpserver.RepeatedAuthorization(r); p != nil {
		return session{}, p
	}
	token, _ := tokenFrom(r)
	if token == "" {
		return session{}, httpserver.Unauthenticated("sign in with your bearer token")
	}
	p, err := h.cfg.Auth.Authenticate(r.Context(), token)
	if err != nil {
		return session{}, httpserver.Unauthenticated(err.Error())
	}
	services := app.Visible(h.cfg.Services, p.Roles)
	if len(services) == 0 {
		return session{}, forbiddenNoBoard(h.cfg.Services)
	}
	return session{principal: p, token: token, services: services}, nil
}

func forbiddenNoBoard(followed []domain.Followed) *httpserver.Problem {
	roles := app.ManagerRoles(followed)
	return httpserver.Forbidden("the board shows a service to its managers: this token holds none of the roles "+
		strings.Join(roles, ", ")).With("required_roles", roles)
}

func (h *handlers) setCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !h.cfg.InsecureCookie, SameSite: http.SameSiteStrictMode})
}

// sameOrigin refuses a form posted from another site's page. SameSite=Strict already keeps
// the cookie off such a request; this also stops a forced sign-in with someone else's token.
// A browser says where a request comes from in Sec-Fetch-Site, or else in Origin.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a browser's cross-site form
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
