// Package casework holds what every case service's domain and use cases share and the
// platform understands: the kind of case a service keeps, the typed refusals its domain
// returns (pkg/httpserver turns each into one RFC 9457 problem), a disclosure already
// decided by the notice, and a request's idempotency key. It holds no council domain and
// imports no driver, broker or HTTP package.
package casework
