package casework

// IdempotencyKey is a request's Idempotency-Key, scoped to the actor who sent it, with a
// digest of the request it came with: the same key from the same actor with the same
// request is a retry and replays the first answer; with another request it is refused
// (ErrIdempotencyKeyReused). A zero Key means the request carried none.
type IdempotencyKey struct {
	Actor         string
	Key           string
	RequestDigest string // hex SHA-256 of the canonical request (method, route, body)
}

// Scoped is the key as stored: one actor's key never replays another's request.
func (k IdempotencyKey) Scoped() string {
	if k.Key == "" {
		return ""
	}
	return k.Actor + "|" + k.Key
}
