package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// SecretPrefix marks a secret in the Standard Webhooks text form.
const SecretPrefix = "whsec_"

// ErrInvalidSecret is returned for a secret that is not base64 (with or without the prefix)
// or is too short to be a key.
var ErrInvalidSecret = errors.New("webhook: invalid secret")

// minKeyBytes is the shortest key accepted: the spec recommends 24 to 64 bytes.
const minKeyBytes = 16

// ParseSecret returns the key bytes of "whsec_<base64>" (the prefix is optional, as in the
// reference libraries).
func ParseSecret(secret string) ([]byte, error) {
	raw := strings.TrimPrefix(strings.TrimSpace(secret), SecretPrefix)
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64: %w", ErrInvalidSecret, err)
	}
	if len(key) < minKeyBytes {
		return nil, fmt.Errorf("%w: %d bytes, need at least %d", ErrInvalidSecret, len(key), minKeyBytes)
	}
	return key, nil
}

// NewSecret returns a fresh random 32-byte secret in "whsec_" form.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("webhook: random secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}
