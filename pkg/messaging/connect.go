package messaging

import "github.com/nats-io/nats.go"

// ConnectOptions are the options of a connection the relay publishes on: it reconnects for
// ever and buffers nothing while it does. nats.go would send what was published during a
// reconnect on the new connection, where it is stored ahead of what was written to the lost
// one and lost with it: a later row before an earlier one. Refused at once instead, the
// rows go again from the cursor, in order. An acknowledgement a consumer sends meanwhile is
// refused the same way, and its message is delivered again.
func ConnectOptions() []nats.Option {
	return []nats.Option{nats.MaxReconnects(-1), nats.ReconnectBufSize(-1)}
}
