// Command debt runs the debt recovery service (Mid Kent Enforcement): HTTP API, outbox
// relay and the instalment, 12-month and retention sweeps.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("debt", run) }
