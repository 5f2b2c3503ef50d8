// Command publication runs the publication decisions service: HTTP API and public register,
// the consumer of conviction disclosures, the outbox relay and the takedown and retention
// sweeps.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("publication", run) }
