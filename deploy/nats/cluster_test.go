package nats_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/natsaccounts"
	"casework.dev/pkg/partners"
)

// Each service connects as its own user in the COUNCIL account and provisions file-backed
// streams with three replicas (<SERVICE>_NATS_REPLICAS=3); this proves the configured cluster,
// with the generated accounts, allows it.
func TestClusterAcceptsReplicatedStreamsFromAServiceUser(t *testing.T) {
	servers := localCluster(t)
	js := connectJS(t, allURLs(servers), "complaints")
	stream := createR3(t, js, jetstream.StreamConfig{Name: "COMPLAINTS_EVENTS", Subjects: []string{"complaints.events.>"},
		Storage: jetstream.FileStorage, Replicas: 3, Duplicates: 10 * time.Minute})
	info := stream.CachedInfo()
	if info.Config.Replicas != 3 || info.Config.Storage != jetstream.FileStorage {
		t.Fatalf("stream replicas/storage = %d/%v, want 3/file", info.Config.Replicas, info.Config.Storage)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	first, err := js.Publish(ctx, "complaints.events.stage1.received", []byte(`{}`), jetstream.WithMsgID("evt-1"))
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	again, err := js.Publish(ctx, "complaints.events.stage1.received", []byte(`{}`), jetstream.WithMsgID("evt-1"))
	if err != nil {
		t.Fatalf("republish: %v", err)
	}
	if first.Duplicate || !again.Duplicate || again.Sequence != first.Sequence {
		t.Fatalf("dedup: first %+v, again %+v; want the second publish to be a duplicate of seq %d", first, again, first.Sequence)
	}

	eventually(t, 20*time.Second, "both followers current", func() error {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		info, err := stream.Info(ctx)
		if err != nil {
			return err
		}
		if info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas) != 2 {
			return fmt.Errorf("cluster info %+v", info.Cluster)
		}
		for _, r := range info.Cluster.Replicas {
			if !r.Current {
				return fmt.Errorf("replica %s not current", r.Name)
			}
		}
		return nil
	})

	// The other services share the account, so they see the stream (delivery reads the
	// share streams the complaints and investigations services own).
	other := connectJS(t, allURLs(servers), "delivery")
	ctx2, cancel2 := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel2()
	if _, err := other.Stream(ctx2, "COMPLAINTS_EVENTS"); err != nil {
		t.Fatalf("delivery reading COMPLAINTS_EVENTS: %v", err)
	}
}

// r3Feed is what natsconf -provision -replicas 3 asks for with the default account limit
// (256 MiB): the server counts MaxBytes once per replica against the account.
var r3Feed = natsaccounts.FeedOptions{Replicas: 3, MaxBytes: (256 << 20) / 3}

// A partner receives what the council shares with it, through its own R3 feed provisioned
// as natsconf -provision does, and can read nothing of the council's.
func TestPartnerReadsOnlyItsFeedNotCouncilStreams(t *testing.T) {
	servers := localCluster(t)
	urls := allURLs(servers)
	council := connectJS(t, urls, "investigations")
	createR3(t, council, jetstream.StreamConfig{Name: "INVESTIGATIONS_SHARE", Subjects: []string{"share.*.investigations.>"},
		Storage: jetstream.FileStorage, Replicas: 3})

	dir, err := partners.Load(filepath.Join("..", "..", "contracts", "partners.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var lgo []natsaccounts.Partner
	for _, p := range natsaccounts.PartnersOf(dir, func(u string) natsaccounts.Secret { return natsaccounts.Secret{Value: password(u)} }) {
		if p.ID == "lgo" {
			lgo = append(lgo, p)
		}
	}
	if len(lgo) != 1 {
		t.Fatalf("partners.yaml has %d NATS partners with id lgo, want 1", len(lgo))
	}
	eventually(t, 30*time.Second, "provision lgo's feed", func() error {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		return natsaccounts.ProvisionAll(ctx, urls, lgo, r3Feed)
	})

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := council.Publish(ctx, "share.lgo.investigations.referral", []byte(`{"case":"IC-1"}`)); err != nil {
		t.Fatalf("council publish: %v", err)
	}

	errs := make(chan error, 16)
	nc, err := nats.Connect(urls, nats.UserInfo("lgo", password("lgo")), nats.PermissionErrOnSubscribe(true),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { errs <- err }))
	if err != nil {
		t.Fatalf("connect as lgo: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	eventually(t, 20*time.Second, "lgo fetches its disclosure", func() error {
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		c, err := js.Consumer(ctx, natsaccounts.FeedStream, natsaccounts.ConsumerName("lgo"))
		if err != nil {
			return err
		}
		batch, err := c.Fetch(1, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return err
		}
		for m := range batch.Messages() {
			got = m.Data()
			if m.Subject() != "share.lgo.investigations.referral" {
				return fmt.Errorf("subject %s", m.Subject())
			}
			return m.Ack()
		}
		return errors.New("no message yet")
	})
	if string(got) != `{"case":"IC-1"}` {
		t.Fatalf("lgo received %q", got)
	}

	// The council's stream: the request is refused, so no reply comes.
	ctx3, cancel3 := context.WithTimeout(t.Context(), time.Second)
	defer cancel3()
	if _, err := js.Stream(ctx3, "INVESTIGATIONS_SHARE"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lgo reading INVESTIGATIONS_SHARE: err = %v, want no reply (deadline exceeded)", err)
	}
	wantViolation(t, errs, `Permissions Violation for Publish to "$JS.API.STREAM.INFO.INVESTIGATIONS_SHARE"`)

	// The council's subjects, raw.
	sub, err := nc.SubscribeSync("share.>")
	if err != nil {
		t.Fatal(err)
	}
	_, err = sub.NextMsg(5 * time.Second)
	if want := `nats: permissions violation: Permissions Violation for Subscription to "share.>"`; err == nil || err.Error() != want {
		t.Errorf("subscribe share.>: err = %v, want %s", err, want)
	}
}

func TestClusterRejectsAWrongPassword(t *testing.T) {
	servers := localCluster(t)
	nc, err := nats.Connect(servers[0].ClientURL(), nats.UserInfo("complaints", "wrong"), nats.MaxReconnects(0))
	if err == nil {
		nc.Close()
		t.Fatal("connected with a wrong password")
	}
	if !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("err = %v, want %v", err, nats.ErrAuthorization)
	}
}

func allURLs(servers []*server.Server) string {
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.ClientURL())
	}
	return strings.Join(urls, ",")
}

// connectJS connects as a council service user with its test password.
func connectJS(t *testing.T, urls, user string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(urls, nats.UserInfo(user, password(user)))
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// createR3 creates a stream, retrying while the new cluster elects its meta leader (until
// then stream creation is refused).
func createR3(t *testing.T, js jetstream.JetStream, cfg jetstream.StreamConfig) jetstream.Stream {
	t.Helper()
	var stream jetstream.Stream
	eventually(t, 30*time.Second, "create R3 stream "+cfg.Name, func() error {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		var err error
		stream, err = js.CreateOrUpdateStream(ctx, cfg)
		return err
	})
	return stream
}

// wantViolation waits for the server's asynchronous permissions error.
func wantViolation(t *testing.T, errs <-chan error, want string) {
	t.Helper()
	select {
	case err := <-errs:
		if err.Error() != "nats: permissions violation: "+want {
			t.Errorf("server said %v, want %s", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no permissions error; want %s", want)
	}
}

// localCluster starts the three nodes from their files in this process, moved to loopback
// ports and temporary store directories; everything else is exactly as configured.
func localCluster(t *testing.T) []*server.Server {
	t.Helper()
	clusterPorts := make([]int, len(nodes))
	for i := range nodes {
		clusterPorts[i] = freePort(t)
	}
	servers := make([]*server.Server, len(nodes))
	for i, node := range nodes {
		opts := loadNode(t, node)
		opts.Host, opts.Port = "127.0.0.1", -1
		opts.HTTPPort = 0
		opts.Cluster.Host, opts.Cluster.Port = "127.0.0.1", clusterPorts[i]
		opts.StoreDir = t.TempDir()
		opts.Routes = nil
		for j := range nodes {
			if j != i {
				opts.Routes = append(opts.Routes, &url.URL{Scheme: "nats", Host: fmt.Sprintf("127.0.0.1:%d", clusterPorts[j])})
			}
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("new server %s: %v", node, err)
		}
		s.Start()
		t.Cleanup(s.Shutdown)
		servers[i] = s
	}
	for i, s := range servers {
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("%s did not become ready", nodes[i])
		}
	}
	return servers
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// eventually retries try every 100ms until it succeeds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, try func() error) {
	t.Helper()
	deadline := time.After(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := try()
		if err == nil {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("%s: still failing after %s: %v", what, timeout, err)
		case <-tick.C:
		}
	}
}
