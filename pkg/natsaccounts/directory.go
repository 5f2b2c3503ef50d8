package natsaccounts

import (
	"strings"

	"casework.dev/pkg/partners"
)

// PartnersOf is one account for every partner of the directory that receives over NATS,
// in file order: users <id> (the partner's) and <id>-admin (the operators'), each with the
// password password returns for that user name.
func PartnersOf(d *partners.Directory, password func(user string) Secret) []Partner {
	var out []Partner
	for _, p := range d.ByDelivery(partners.NATS) {
		admin := p.ID + "-admin"
		out = append(out, Partner{
			ID:    p.ID,
			User:  User{Name: p.ID, Password: password(p.ID)},
			Admin: User{Name: admin, Password: password(admin)},
		})
	}
	return out
}

// PasswordEnv names the environment variable a deployment sets for a user's password:
// NATS_<USER>_PASSWORD, e.g. kent-police-admin -> NATS_KENT_POLICE_ADMIN_PASSWORD.
func PasswordEnv(user string) Secret {
	return Secret{Env: "NATS_" + strings.ToUpper(strings.ReplaceAll(user, "-", "_")) + "_PASSWORD"}
}
