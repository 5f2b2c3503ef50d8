package app

import (
	"context"
	"strings"

	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
)

// Person identifies one complainant across their complaints for a rights request (UK GDPR
// Art 15 and Art 19): the complaint id alone only answers for one case.
type Person struct {
	Email string // compared case-insensitively
	Phone string // compared by its digits, +44 read as 0
}

// PersonComplaint is a complaint found for the person.
type PersonComplaint struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
}

// PersonDisclosure is one disclosure log row of the person, with the complaint it came from.
type PersonDisclosure struct {
	ComplaintID string `json:"complaint_id"`
	Reference   string `json:"reference"`
	DisclosureRecord
}

// Normalised returns the forms the repository compares, or a validation error when the
// request names nobody.
func (p Person) Normalised() (Person, error) {
	out := Person{Email: rightsdata.Email(p.Email), Phone: rightsdata.Phone(p.Phone)}
	switch {
	case out.Email == "" && strings.TrimSpace(p.Phone) == "":
		return out, &casework.ValidationError{Field: "email", Detail: "give the person's email or phone"}
	case p.Email != "" && !strings.Contains(out.Email, "@"):
		return out, &casework.ValidationError{Field: "email", Detail: "is not an e-mail address"}
	case p.Phone != "" && len(out.Phone) < 6:
		return out, &casework.ValidationError{Field: "phone", Detail: "has fewer than 6 digits"}
	}
	return out, nil
}

// DisclosuresOfPerson finds the person's complaints that still hold their personal data and
// lists what left the service about them, oldest first. The look-up is audited on each
// complaint found, as a read of its personal data.
func (s *Service) DisclosuresOfPerson(ctx context.Context, reader string, p Person) ([]PersonComplaint, []PersonDisclosure, error) {
	n, err := p.Normalised()
	if err != nil {
		return nil, nil, err
	}
	return s.repo.DisclosuresOfPerson(ctx, n, reader, s.now())
}
