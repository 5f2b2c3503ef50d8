// Command investigations runs the community protection investigations service: HTTP API,
// outbox relay and the retention sweep.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("investigations", run) }
