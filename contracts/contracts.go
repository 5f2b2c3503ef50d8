// Package contracts is the only coupling between Casework services: event types and
// subjects, the machine-readable privacy notices and the OpenAPI contracts.
package contracts

import "embed"

//go:embed notices/*.yaml openapi/*.yaml services.yaml
var files embed.FS

// Notice returns a service's privacy notice, e.g. Notice("complaints").
func Notice(service string) ([]byte, error) { return files.ReadFile("notices/" + service + ".yaml") }

// OpenAPI returns a service's HTTP contract, e.g. OpenAPI("complaints").
func OpenAPI(service string) ([]byte, error) { return files.ReadFile("openapi/" + service + ".yaml") }
