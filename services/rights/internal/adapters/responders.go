package adapters

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/rightsreply"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// Responders asks the other services on rights.<service>.<verb>.
type Responders struct {
	nc  *nats.Conn
	cfg rightsreply.CallConfig
}

// NewResponders asks over nc, each question bounded by cfg.
func NewResponders(nc *nats.Conn, cfg rightsreply.CallConfig) *Responders {
	return &Responders{nc: nc, cfg: cfg}
}

var _ app.Responders = (*Responders)(nil)

// Ask sends one question and decodes the answer by verb.
func (r *Responders) Ask(ctx context.Context, service, verb string, request any) (domain.Answer, error) {
	subject := rights.Subject(service, verb)
	var (
		ans domain.Answer
		err error
	)
	switch verb {
	case rights.Find:
		var rep rights.FindReply
		rep, err = rightsreply.Call[rights.FindReply](ctx, r.nc, subject, request, r.cfg)
		ans.Candidates = rep.Candidates
	case rights.Export:
		var rep rights.ExportReply
		rep, err = rightsreply.Call[rights.ExportReply](ctx, r.nc, subject, request, r.cfg)
		ans.Records = rep.Records
	case rights.Erase, rights.Rectify, rights.Restrict, rights.Object, rights.Lift:
		var rep rights.ActionReply
		rep, err = rightsreply.Call[rights.ActionReply](ctx, r.nc, subject, request, r.cfg)
		ans.Outcomes = rep.Outcomes
	default:
		return domain.Answer{}, fmt.Errorf("ask %s: unknown verb %q", service, verb)
	}
	var refusal *rightsreply.Refusal
	if errors.As(err, &refusal) {
		return domain.Answer{}, &app.ServiceRefusal{Reason: refusal.Reason}
	}
	return ans, err
}
