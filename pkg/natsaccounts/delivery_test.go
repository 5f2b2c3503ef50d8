package natsaccounts_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/natsaccounts"
)

// publishShares publishes n disclosures to share.<partner>.complaints.<purpose> as the
// complaints service does (JetStream, one id per message) and waits for every ack.
func publishShares(t *testing.T, js jetstream.JetStream, partner, prefix string, n int) {
	t.Helper()
	for i := range n {
		msg := &nats.Msg{Subject: "share." + partner + ".complaints.complaint_handling", Data: []byte(prefix + strconv.Itoa(i)), Header: nats.Header{}}
		msg.Header.Set(jetstream.MsgIDHeader, prefix+strconv.Itoa(i))
		if _, err := js.PublishMsgAsync(msg); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(30 * time.Second):
		t.Fatal("publish acks not received within 30s")
	}
}

// readFeed fetches from the partner's own consumer with the partner's own credentials,
// acknowledging each message, until want messages have arrived; it returns their bodies.
func readFeed(t *testing.T, nc *nats.Conn, partner string, want int) map[string]int {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cons, err := js.Consumer(ctx, "SHARE", partner)
	if err != nil {
		t.Fatalf("%s reading its own consumer: %v", partner, err)
	}
	got := map[string]int{}
	for total := 0; total < want; {
		batch, err := cons.Fetch(min(500, want-total), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			got[string(m.Data())]++
			if err := m.DoubleAck(ctx); err != nil {
				t.Fatalf("ack: %v", err)
			}
			n++
		}
		if batch.Error() != nil {
			t.Fatalf("fetch: %v", batch.Error())
		}
		if n == 0 {
			t.Fatalf("%s received %d of %d", partner, total, want)
		}
		total += n
	}
	return got
}

func TestThousandsOfDisclosuresReachOnlyTheirPartnerAndLeaveNoCopy(t *testing.T) {
	s := startStack(t, alpha, beta)
	const n = 3000
	publishShares(t, s.council(t), alpha, "alpha-", n)

	nc, _ := s.asPartner(t, alpha)
	got := readFeed(t, nc, alpha, n)
	if len(got) != n {
		t.Fatalf("%s received %d distinct disclosures, want %d", alpha, len(got), n)
	}
	for i := range n {
		if c := got["alpha-"+strconv.Itoa(i)]; c != 1 {
			t.Fatalf("disclosure alpha-%d received %d times, want once", i, c)
		}
	}

	// Acknowledged means gone: the partner's stream keeps no copy.
	alphaJS, _ := jetstream.New(nc)
	st, err := alphaJS.Stream(context.Background(), "SHARE")
	if err != nil {
		t.Fatalf("%s reading its own stream's state: %v", alpha, err)
	}
	if st.CachedInfo().State.Msgs != 0 {
		t.Errorf("%s's stream holds %d messages after every ack, want 0", alpha, st.CachedInfo().State.Msgs)
	}

	// The other partner saw none of it.
	if got := feedMsgs(t, s.asAdmin(t, beta)); got != 0 {
		t.Errorf("%s's feed holds %d messages, want 0", beta, got)
	}
	betaNC, _ := s.asPartner(t, beta)
	betaJS, _ := jetstream.New(betaNC)
	cons, err := betaJS.Consumer(context.Background(), "SHARE", beta)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.FetchNoWait(10)
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		t.Errorf("%s received %s: %q", beta, m.Subject(), m.Data())
	}
}

func TestPartnerRemovedFromTheFileStopsReceivingAfterReload(t *testing.T) {
	s := startStack(t, alpha, beta)
	council := s.council(t)
	betaNC, _ := s.asPartner(t, beta)
	publishShares(t, council, beta, "before-", 1)
	if got := readFeed(t, betaNC, beta, 1); got["before-0"] != 1 {
		t.Fatalf("before reload %s received %v", beta, got)
	}

	closed := make(chan struct{})
	betaNC.SetClosedHandler(func(*nats.Conn) { close(closed) })
	alphaNC, _ := s.asPartner(t, alpha)

	// beta is taken out of the partners file: its feed is retired, the config regenerated
	// and the running server reloaded.
	if got := natsaccounts.Removed(s.partners, []natsaccounts.Partner{partner(alpha)}); len(got) != 1 || got[0].ID != beta {
		t.Fatalf("Removed = %v, want [%s]", got, beta)
	}
	if err := natsaccounts.Retire(context.Background(), s.url, partner(beta)); err != nil {
		t.Fatal(err)
	}
	s.reload(t, alpha)

	// The removed partner is disconnected and cannot come back.
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s still connected after reload", beta)
	}
	p := partner(beta)
	_, err := nats.Connect(s.url, nats.UserInfo(p.User.Name, p.User.Password.Value), nats.MaxReconnects(0))
	if !errors.Is(err, nats.ErrAuthorization) {
		t.Errorf("%s connecting after reload: err = %v, want %v", beta, err, nats.ErrAuthorization)
	}

	// Its account is gone, and with it the import of share.beta-agency.>: the council's
	// further disclosures to it stay in the council's own stream and reach no one.
	publishShares(t, council, beta, "after-", 5)
	if _, err := s.ns.LookupAccount("BETA_AGENCY"); !errors.Is(err, server.ErrMissingAccount) {
		t.Errorf("looking up BETA_AGENCY after reload: err = %v, want %v", err, server.ErrMissingAccount)
	}

	// Taken back in, it starts from an empty feed: nothing sent while it was out was kept.
	s.reload(t, alpha, beta)
	if err := natsaccounts.ProvisionAll(context.Background(), s.url, []natsaccounts.Partner{partner(beta)}, feedOptions); err != nil {
		t.Fatal(err)
	}
	if n := feedMsgs(t, s.asAdmin(t, beta)); n != 0 {
		t.Errorf("%s's feed holds %d messages sent while it was removed, want 0", beta, n)
	}

	// The remaining partner, still connected across the reload, goes on receiving.
	publishShares(t, council, alpha, "after-", 1)
	if got := readFeed(t, alphaNC, alpha, 1); got["after-0"] != 1 {
		t.Errorf("after reload %s received %v", alpha, got)
	}
}
