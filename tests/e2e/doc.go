// Package e2e holds the tests that run several Casework services together, in one process
// on one embedded NATS server and a database each, as they run in production: each service
// assembled by its own inprocess package, talking to the others only over NATS.
package e2e
