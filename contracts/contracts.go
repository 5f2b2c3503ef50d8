// Package contracts is the only coupling between Casework services: event types and
// subjects, the machine-readable privacy notices, the OpenAPI contracts and the council's
// catalogues (controlled lists such as its services).
package contracts

import "embed"

//go:embed notices/*.yaml openapi/*.yaml catalogue/*.yaml services.yaml
var files embed.FS

//go:embed partners.yaml
var partnersFile []byte

// Notice returns a service's privacy notice, e.g. Notice("complaints").
func Notice(service string) ([]byte, error) { return files.ReadFile("notices/" + service + ".yaml") }

// OpenAPI returns a service's HTTP contract, e.g. OpenAPI("complaints").
func OpenAPI(service string) ([]byte, error) { return files.ReadFile("openapi/" + service + ".yaml") }

// Catalogue returns one of the council's controlled lists, e.g. Catalogue("services").
func Catalogue(name string) ([]byte, error) { return files.ReadFile("catalogue/" + name + ".yaml") }

// Partners returns the partners file: every recipient the notices name and how it receives
// disclosures (pkg/partners reads it).
func Partners() []byte { return partnersFile }
