// Package stack runs and checks the services contracts/services.yaml lists, for the
// commands that start them locally (devstack, bench), generate their NATS users
// (natsconf) and keep the repository in step with the list (deploy/cmd/services).
package stack

import (
	"net"
	"os"
	"path/filepath"
	"strconv"

	"casework.dev/contracts"
	"casework.dev/pkg/natsaccounts"
)

// ListPath is the services list, from the repository root.
const ListPath = "contracts/services.yaml"

// Load reads and validates the services list of the repository at root.
func Load(root string) (contracts.ServiceList, error) {
	b, err := os.ReadFile(filepath.Join(root, ListPath))
	if err != nil {
		return nil, err
	}
	return contracts.ParseServices(b)
}

// Local is how one local run wires every service it starts: the PostgreSQL server, the
// NATS server with each service's password, and the dev token issuer.
type Local struct {
	PGPort int
	// DBPrefix goes before each service's database name, so that a second stack (a test's)
	// keeps its data apart; empty locally.
	DBPrefix      string
	NATSURL       string
	NATSPassword  func(user string) string
	AuthIssuer    string
	DevSigningKey string
}

// Env is the environment of service s listening on 127.0.0.1:port: its <NAME>_* settings
// from the list (database, NATS user) and from the run. Later entries of an exec.Cmd's Env
// win, so a caller appends its own overrides.
func (l Local) Env(s contracts.Service, port int) []string {
	p := s.EnvPrefix() + "_"
	return []string{
		p + "HTTP_ADDR=127.0.0.1:" + strconv.Itoa(port),
		p + "DB_PORT=" + strconv.Itoa(l.PGPort),
		p + "DB_NAME=" + l.DBPrefix + s.Database,
		p + "NATS_URL=" + l.NATSURL,
		p + "NATS_USER=" + s.NATSUser,
		p + "NATS_PASSWORD=" + l.NATSPassword(s.NATSUser),
		p + "AUTH_ISSUER=" + l.AuthIssuer,
		p + "AUTH_DEV_SIGNING_KEY=" + l.DevSigningKey,
	}
}

// CouncilUsers are the services' users in the council's NATS account, in list order.
func CouncilUsers(list contracts.ServiceList, password func(user string) natsaccounts.Secret) []natsaccounts.User {
	out := make([]natsaccounts.User, len(list))
	for i, s := range list {
		out[i] = natsaccounts.User{Name: s.NATSUser, Password: password(s.NATSUser)}
	}
	return out
}

// ManagersUser is the managers' NATS user: it may subscribe to status.> and nothing else
// (natsaccounts.Config.Managers).
const ManagersUser = "managers"

// FreePort is a loopback TCP port nothing listens on at the moment of asking.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
