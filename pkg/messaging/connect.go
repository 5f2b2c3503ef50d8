package messaging

import "github.com/nats-io/nats.go"

// ConnectOptions are the options of every connection a service makes to the broker (the
// relay's, and its consumers', which NewConsumer adds them to): reconnect for ever, and
// buffer nothing while reconnecting. nats.go would send what was published during a
// reconnect on the new connection, where it is stored ahead of what was written to the lost
// one and lost with it: a later row before an earlier one. Refused at once instead, the
// rows go again from the cursor, in order, once the broker is back (the relay waits for
// it). An acknowledgement a consumer sends meanwhile is refused the same way, and its
// message is delivered again. Against a cluster a reconnect can finish within a round's
// publishing; the relay then stops the round (see sendEach).
func ConnectOptions() []nats.Option {
	return []nats.Option{nats.MaxReconnects(-1), nats.ReconnectBufSize(-1)}
}
