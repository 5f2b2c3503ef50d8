package service

import (
	"fmt"

	"casework.dev/contracts"
	"casework.dev/pkg/catalogue"
)

// LoadServiceCatalogue reads the council's service catalogue, the controlled list a
// complaint's service comes from (contracts/catalogue/services.yaml).
func LoadServiceCatalogue() (*catalogue.List, error) {
	raw, err := contracts.Catalogue("services")
	if err != nil {
		return nil, fmt.Errorf("service catalogue: %w", err)
	}
	l, err := catalogue.Load(raw, "services")
	if err != nil {
		return nil, fmt.Errorf("service catalogue: %w", err)
	}
	return l, nil
}
