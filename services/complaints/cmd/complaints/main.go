// Command complaints runs the complaints service: HTTP API, outbox relay and the overdue
// and retention sweeps.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("complaints", run) }
