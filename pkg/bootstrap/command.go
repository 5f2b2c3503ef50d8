package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ardanlabs/conf/v3"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/postgres"
)

// CaseService is the configuration every case service's command reads. The command embeds
// it in its own config beside the sections only it has; ardanlabs/conf flattens it, so
// the variables are <SERVICE>_HTTP_ADDR, <SERVICE>_DB_HOST and so on.
type CaseService struct {
	Common
	NATS struct {
		NATS
		Replicas    int           `conf:"default:1"`
		ShareMaxAge time.Duration `conf:"default:168h"`
	}
	Notice struct {
		File string `conf:"help:notice YAML to enforce instead of the service's built-in contracts/notices/<service>.yaml"`
	}
	Sweep struct {
		RetentionInterval time.Duration `conf:"default:1h"`
		Batch             int           `conf:"default:200"`
	}
	Relay struct {
		BatchSize    int           `conf:"default:256"`
		PollInterval time.Duration `conf:"default:500ms"`
		// AtomicBatchMin: see messaging.RelayConfig. An operator turns atomic batches off
		// (negative) for a broker that mishandles them.
		AtomicBatchMin int `conf:"default:32,help:fewest messages of a round for one stream sent as one JetStream atomic batch; negative for never"`
	}
}

// Defaults sets what has no tag default because it differs by service; call it before
// parsing.
func (c *CaseService) Defaults(addr string, maxBodyBytes int64, database string) {
	c.HTTP.Addr, c.HTTP.MaxBodyBytes, c.DB.Name = addr, maxBodyBytes, database
}

// ErrHelpShown: the command printed its help or version as asked, and should stop cleanly.
var ErrHelpShown = errors.New("help shown")

// Parsed finishes parsing a command's configuration: given what conf.Parse returned for
// cfg (a pointer to the command's config), it prints help or version to out when asked
// (ErrHelpShown), requires exactly one token issuer, and returns the configuration as it
// is printed at start, secrets masked.
func Parsed(out io.Writer, prefix string, cfg any, auth Auth, help string, err error) (string, error) {
	if errors.Is(err, conf.ErrHelpWanted) || errors.Is(err, conf.ErrVersionWanted) {
		fmt.Fprintln(out, help)
		return "", ErrHelpShown
	}
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	if err := auth.Check(prefix); err != nil {
		return "", err
	}
	shown, err := conf.String(cfg)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	return shown, nil
}

// Runnable is an assembled service: its HTTP surface and its background work.
type Runnable interface {
	HTTPHandler() http.Handler
	RunBackground(ctx context.Context) error
}

// CaseCommand is what a case service's command gives RunCase.
type CaseCommand struct {
	Name string // "complaints"; its variables are COMPLAINTS_*
	// Config is the command's whole configuration (a pointer, printed masked at start) as
	// conf.Parse filled it, with Help and ParseErr what conf.Parse returned; Shared is the
	// CaseService within it.
	Config   any
	Shared   *CaseService
	Help     string
	ParseErr error

	Migrations []postgres.Migration
	Notice     Contract // the built-in notice, contracts.Notice
	// Build assembles the service from the opened shared parts.
	Build func(ctx context.Context, base CaseConfig) (Runnable, error)
}

// RunCase runs a case service until ctx ends: as RunService does, with its notice loaded
// before anything is opened and the case service's shared parts given to Build.
func RunCase(ctx context.Context, cmd CaseCommand) error {
	cfg := *cmd.Shared
	var (
		n          *notice.Notice
		noticeYAML []byte
	)
	return RunService(ctx, ServiceCommand{Name: cmd.Name, Config: cmd.Config, Help: cmd.Help, ParseErr: cmd.ParseErr,
		Shared:     &Settings{Common: cfg.Common, NATS: cfg.NATS.NATS},
		Migrations: cmd.Migrations,
		prepare: func(log *slog.Logger) error {
			var err error
			if n, noticeYAML, err = LoadNotice(cmd.Name, cfg.Notice.File, cmd.Notice); err != nil {
				return fmt.Errorf("privacy notice: %w", err)
			}
			log.Info("notice loaded", "notice_version", n.Version)
			return nil
		},
		Build: func(ctx context.Context, base ServiceConfig) (Runnable, error) {
			return cmd.Build(ctx, CaseConfig{
				DB: base.DB, NATS: base.NATS, Clock: calendar.SystemClock{}, Notice: n, NoticeYAML: noticeYAML,
				Auth:         base.Auth,
				MaxBodyBytes: base.MaxBodyBytes,
				Relay: messaging.RelayConfig{BatchSize: cfg.Relay.BatchSize, PollInterval: cfg.Relay.PollInterval,
					AtomicBatchMin: cfg.Relay.AtomicBatchMin},
				StreamReplicas:    cfg.NATS.Replicas,
				ShareMaxAge:       cfg.NATS.ShareMaxAge,
				RetentionInterval: cfg.Sweep.RetentionInterval,
				SweepBatch:        cfg.Sweep.Batch,
				Logger:            base.Logger,
			})
		},
	})
}

// Main runs a command's run until SIGINT or SIGTERM, and exits 1 with the error when it
// fails; asked for help or its version (ErrHelpShown), it exits 0.
func Main(name string, run func(ctx context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil && !errors.Is(err, ErrHelpShown) {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
