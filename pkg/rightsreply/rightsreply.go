// Package rightsreply is NATS request-reply for questions that need an answer now from
// another service, such as a data subject request fanned out to every service that may
// hold the person's data. A Responder answers one service's subjects in a queue group
// (its instances share the work) and replies with a typed result or a typed refusal; Call
// asks, with a timeout per attempt and retries while no one answers.
//
// The payloads are JSON. A reply is an envelope: {"result": ...}, {"refusal": {"code",
// "reason"}} for a request that will never succeed (the caller must not retry it), or
// {"failure": "..."} for one the responder could not answer now (the caller retries).
// Responders must be idempotent: a caller that timed out asks again.
package rightsreply

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// Handler answers one request. verb is the last token of the subject it arrived on.
type Handler interface {
	Answer(ctx context.Context, verb string, body []byte) (any, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, verb string, body []byte) (any, error)

// Answer calls f.
func (f HandlerFunc) Answer(ctx context.Context, verb string, body []byte) (any, error) {
	return f(ctx, verb, body)
}

// Refusal is a request that will never succeed as it is: a bad request, an unknown verb,
// or a refusal the handler decides (it returns a *Refusal, possibly wrapped). The caller
// gets it back as a *Refusal and does not retry.
type Refusal struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func (r *Refusal) Error() string { return "refused (" + r.Code + "): " + r.Reason }

// Refusal codes the responder itself gives.
const (
	CodeBadRequest  = "bad_request"
	CodeUnknownVerb = "unknown_verb"
)

// ErrNoAnswer is a call that got no result after every attempt: no responder, a timeout,
// or a responder that could not answer.
var ErrNoAnswer = errors.New("rightsreply: no answer")

type envelope struct {
	Result  json.RawMessage `json:"result,omitempty"`
	Refusal *Refusal        `json:"refusal,omitempty"`
	Failure string          `json:"failure,omitempty"`
}

// Config configures a Responder.
type Config struct {
	// Subject is subscribed to, with a wildcard for the verb: e.g. "rights.complaints.*".
	Subject string
	// Queue is the queue group the service's instances share.
	Queue string
	// Verbs, when given, are the only verbs answered; any other is refused with
	// CodeUnknownVerb before the handler sees it.
	Verbs []string
	// Timeout bounds one answer (default 10s).
	Timeout time.Duration
	// Concurrency is how many requests are answered at once (default 8).
	Concurrency int
	Logger      *slog.Logger
}

// Responder answers requests until Stop.
type Responder struct {
	sub  *nats.Subscription
	h    Handler
	cfg  Config
	sem  chan struct{}
	wg   sync.WaitGroup
	base context.Context
	stop context.CancelFunc
}

// Serve subscribes h to cfg.Subject in cfg.Queue.
func Serve(nc *nats.Conn, cfg Config, h Handler) (*Responder, error) {
	if cfg.Subject == "" || cfg.Queue == "" {
		return nil, errors.New("rightsreply: a responder needs a subject and a queue group")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	base, stop := context.WithCancel(context.Background())
	r := &Responder{h: h, cfg: cfg, sem: make(chan struct{}, cfg.Concurrency), base: base, stop: stop}
	sub, err := nc.QueueSubscribe(cfg.Subject, cfg.Queue, r.receive)
	if err != nil {
		stop()
		return nil, fmt.Errorf("rightsreply: subscribe %s: %w", cfg.Subject, err)
	}
	r.sub = sub
	return r, nil
}

// Run answers with h until ctx ends, then stops as Stop does: the way a service's
// background work runs its responder.
func Run(ctx context.Context, nc *nats.Conn, cfg Config, h Handler) error {
	r, err := Serve(nc, cfg, h)
	if err != nil {
		return err
	}
	<-ctx.Done()
	if err := r.Stop(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("rightsreply: stop %s: %w", cfg.Subject, err)
	}
	return nil
}

// Stop stops taking requests and waits for those being answered.
func (r *Responder) Stop() error {
	err := r.sub.Unsubscribe()
	r.wg.Wait()
	r.stop()
	return err
}

func (r *Responder) receive(m *nats.Msg) {
	if m.Reply == "" {
		return // a publish, not a request: no one to answer
	}
	r.wg.Add(1)
	r.sem <- struct{}{}
	go func() {
		defer func() { <-r.sem; r.wg.Done() }()
		r.respond(m, r.answer(m))
	}()
}

func (r *Responder) answer(m *nats.Msg) (env envelope) {
	verb := m.Subject[strings.LastIndexByte(m.Subject, '.')+1:]
	if len(r.cfg.Verbs) > 0 && !slices.Contains(r.cfg.Verbs, verb) {
		return envelope{Refusal: &Refusal{Code: CodeUnknownVerb, Reason: fmt.Sprintf("%q is not a verb answered here", verb)}}
	}
	defer func() {
		if p := recover(); p != nil {
			r.cfg.Logger.Error("rightsreply: handler panicked", "subject", m.Subject, "panic", fmt.Sprint(p))
			env = envelope{Failure: "the responder failed"}
		}
	}()
	ctx, cancel := context.WithTimeout(r.base, r.cfg.Timeout)
	defer cancel()
	res, err := r.h.Answer(ctx, verb, m.Data)
	var (
		refusal *Refusal
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &refusal):
		return envelope{Refusal: refusal}
	case errors.As(err, &syntax), errors.As(err, &typ):
		return envelope{Refusal: &Refusal{Code: CodeBadRequest, Reason: err.Error()}}
	case err != nil:
		// Logged here, once; the caller only learns to try again.
		r.cfg.Logger.Error("rightsreply: could not answer", "subject", m.Subject, "err", err)
		return envelope{Failure: "the responder could not answer now"}
	}
	raw, err := json.Marshal(res)
	if err != nil {
		r.cfg.Logger.Error("rightsreply: result does not marshal", "subject", m.Subject, "err", err)
		return envelope{Failure: "the responder could not encode its answer"}
	}
	return envelope{Result: raw}
}

func (r *Responder) respond(m *nats.Msg, env envelope) {
	raw, err := json.Marshal(env)
	if err == nil {
		err = m.Respond(raw)
	}
	if err != nil {
		r.cfg.Logger.Warn("rightsreply: reply not sent", "subject", m.Subject, "err", err)
	}
}

// CallConfig bounds a call.
type CallConfig struct {
	Timeout  time.Duration // per attempt; default 2s
	Attempts int           // default 3
	Backoff  time.Duration // wait before the second attempt, doubling after; default 200ms
}

// Call sends req (marshalled as JSON) to subject and decodes the result into Res. It tries
// again while there is no responder, an attempt times out or the responder could not
// answer, and gives up after cfg.Attempts with an error wrapping ErrNoAnswer. A refusal is
// returned at once as a *Refusal. ctx ending stops it with ctx's error.
func Call[Res any](ctx context.Context, nc *nats.Conn, subject string, req any, cfg CallConfig) (Res, error) {
	var zero Res
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	body, err := json.Marshal(req)
	if err != nil {
		return zero, fmt.Errorf("rightsreply: marshal request for %s: %w", subject, err)
	}
	var last error
	wait := cfg.Backoff
	for attempt := 1; attempt <= cfg.Attempts; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
				return zero, ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		env, err := ask(ctx, nc, subject, body, cfg.Timeout)
		switch {
		case ctx.Err() != nil:
			return zero, ctx.Err()
		case err != nil:
			last = err
			continue
		case env.Refusal != nil:
			return zero, env.Refusal
		case env.Failure != "":
			last = errors.New(env.Failure)
			continue
		}
		var res Res
		if err := json.Unmarshal(env.Result, &res); err != nil {
			return zero, &Refusal{Code: CodeBadRequest, Reason: fmt.Sprintf("the answer from %s does not decode: %v", subject, err)}
		}
		return res, nil
	}
	return zero, fmt.Errorf("%w from %s after %d attempts: %w", ErrNoAnswer, subject, cfg.Attempts, last)
}

func ask(ctx context.Context, nc *nats.Conn, subject string, body []byte, timeout time.Duration) (envelope, error) {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	msg, err := nc.RequestWithContext(actx, subject, body)
	if err != nil {
		return envelope{}, err
	}
	var env envelope
	if err := json.Unmarshal(msg.Data, &env); err != nil {
		return envelope{}, fmt.Errorf("reply from %s is not an envelope: %w", subject, err)
	}
	if env.Result == nil && env.Refusal == nil && env.Failure == "" {
		return envelope{}, fmt.Errorf("reply from %s is empty", subject)
	}
	return env, nil
}
