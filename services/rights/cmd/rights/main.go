// Command rights runs the information rights service: HTTP API for the data protection
// officer's team, the fan-out to every service over NATS request-reply, the outbox relay
// and the overdue, fan-out and retention sweeps.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("rights", run) }
