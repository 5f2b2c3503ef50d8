// Command delivery runs the webhook delivery worker: one durable JetStream consumer per
// webhook partner and share stream, signed HTTP posts with retries, the attempt log and the
// dead-letter API.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("delivery", run) }
