package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/notice"
	"casework.dev/services/rights/internal/domain"
)

// Compiled is the answer to an access or portability request: per service, what is held,
// why, where it came from, to whom it was disclosed and how long it is kept (Art 15(1)).
type Compiled struct {
	Reference   string            `json:"reference"`
	Kind        string            `json:"kind"`
	Person      string            `json:"person"`
	Controller  string            `json:"controller"`
	GeneratedAt time.Time         `json:"generated_at"`
	Complete    bool              `json:"complete"` // every service answered; never false in a compiled response
	Services    []CompiledService `json:"services"`
	// DPO and Supervisor are whom the person may complain to about the answer (UK GDPR
	// Art 15(1)(f); the corporate notice: the Data Protection Officer, then the Information
	// Commissioner's Office, which may review the council's response to an information rights
	// request), from the rights notice. The readable answer states them; the JSON contract
	// (contracts/openapi/rights.yaml) carries neither.
	DPO        notice.Contact `json:"-"`
	Supervisor notice.Contact `json:"-"`
}

// CompiledService is one service's part of the answer.
type CompiledService struct {
	Service string `json:"service"`
	Title   string `json:"title"`
	// Refused is why the service would not answer; the DPO must deal with it by hand.
	Refused    string              `json:"refused,omitempty"`
	Records    []rights.Record     `json:"records"`
	Purposes   []CompiledPurpose   `json:"purposes"`
	Sources    []string            `json:"sources"`
	Retention  []string            `json:"retention"`
	Recipients []CompiledRecipient `json:"recipients"`
	// Rights are the rights the service's notice says apply to this data, in its words
	// (UK GDPR Art 15(1)(e) and (h)); the readable answer states them.
	Rights []string `json:"-"`
}

// CompiledPurpose is why a service uses the data, from its notice.
type CompiledPurpose struct {
	Label string `json:"label"`
	Basis string `json:"basis"`
	Words string `json:"words"`
}

// CompiledRecipient is one organisation that received the person's data.
type CompiledRecipient struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// IncompleteError refuses to compile a response while a service has not answered: a
// partial answer is never presented as complete.
type IncompleteError struct {
	Phase   domain.Phase
	Pending []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("the response is not complete: the request is %s and waits for %v", e.Phase, e.Pending)
}

// Compile builds the response to an access or portability request once every service has
// answered; the read is audited. Portability gives only what the person provided (Art 20).
func (s *Service) Compile(ctx context.Context, reader, id string) (*Compiled, error) {
	// A refusal shows no personal data, so it is no read to audit: the request is checked
	// unaudited first, and read (audited) only to be compiled.
	r, err := s.requests.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := compilable(r); err != nil {
		return nil, err
	}
	if r, err = s.requests.Read(ctx, id, reader, s.now()); err != nil {
		return nil, err
	}
	if err := compilable(r); err != nil { // changed in between
		return nil, err
	}
	out := &Compiled{Reference: r.Reference, Kind: string(r.Kind), Person: r.Subject.Name, Controller: s.notice.Controller.Name,
		GeneratedAt: s.now(), Complete: true, DPO: s.notice.Controller.DPO, Supervisor: s.notice.SupervisoryAuthority}
	for _, svc := range s.cfg.Services {
		out.Services = append(out.Services, s.compileService(r, svc))
	}
	return out, nil
}

// compilable refuses a request that has no compiled response (yet).
func compilable(r *domain.Request) error {
	switch {
	case r.Erased():
		return domain.ErrErased
	case r.Kind != domain.KindAccess && r.Kind != domain.KindPortability:
		return &domain.RuleError{Rule: "not_access", Detail: "only an access request has a compiled response; this " + string(r.Kind) + " request has its outcomes"}
	case r.Phase != domain.PhaseReady:
		return &IncompleteError{Phase: r.Phase, Pending: r.Pending()}
	}
	return nil
}

func (s *Service) compileService(r *domain.Request, svc string) CompiledService {
	n := s.cfg.ServiceNotices[svc]
	cs := CompiledService{Service: svc, Title: n.Title, Records: []rights.Record{}, Sources: n.CollectedFrom, Recipients: []CompiledRecipient{}}
	for _, p := range n.Purposes {
		cs.Purposes = append(cs.Purposes, CompiledPurpose{Label: p.Label, Basis: p.Basis, Words: p.Words})
	}
	for _, rule := range n.Retention {
		cs.Retention = append(cs.Retention, rule.Words)
	}
	for _, right := range n.Rights {
		cs.Rights = append(cs.Rights, right.Words)
	}
	if r.Action != nil {
		for _, st := range r.Action.Steps {
			if st.Service == svc && st.State == domain.StepRefused {
				cs.Refused = st.LastError
			}
		}
	}
	for _, e := range r.Exports {
		if e.Service != svc {
			continue
		}
		for _, rec := range e.Records {
			if r.Kind == domain.KindPortability {
				rec.Held, rec.Redactions = map[string]any{}, []string{}
			}
			cs.Records = append(cs.Records, rec)
			for _, d := range rec.Disclosures {
				if slices.ContainsFunc(cs.Recipients, func(c CompiledRecipient) bool { return c.ID == d.Recipient }) {
					continue
				}
				name := d.Recipient
				if rec, ok := n.Recipient(d.Recipient); ok {
					name = rec.Name
				}
				cs.Recipients = append(cs.Recipients, CompiledRecipient{ID: d.Recipient, Name: name})
			}
		}
	}
	return cs
}
