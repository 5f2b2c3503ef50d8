package nats_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The complaints service connects as its own user and provisions file-backed streams with
// three replicas (COMPLAINTS_NATS_REPLICAS=3); this proves the configured cluster allows it.
func TestClusterAcceptsReplicatedStreamsFromTheComplaintsUser(t *testing.T) {
	servers := localCluster(t)
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.ClientURL())
	}
	nc, err := nats.Connect(urls[0]+","+urls[1]+","+urls[2], nats.UserInfo("complaints", complaintsPassword))
	if err != nil {
		t.Fatalf("connect as complaints: %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}

	cfg := jetstream.StreamConfig{Name: "COMPLAINTS_EVENTS", Subjects: []string{"complaints.events.>"},
		Storage: jetstream.FileStorage, Replicas: 3, Duplicates: 10 * time.Minute}
	var stream jetstream.Stream
	// The cluster elects its meta leader after start; until then stream creation is refused.
	eventually(t, 30*time.Second, "create R3 stream", func() error {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		stream, err = js.CreateOrUpdateStream(ctx, cfg)
		return err
	})
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
