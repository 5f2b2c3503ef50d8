package rightsdata

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Wanted is the person a rights request looks for, by the identifiers it gives. Empty
// fields match nothing. Its fields are those of the rights protocol's Identifiers
// (casework.dev/contracts/rights), so a service converts one to the other.
type Wanted struct {
	Name        string
	Email       string
	Phone       string
	Address     string
	Postcode    string
	DateOfBirth string // YYYY-MM-DD
	References  []string
}

// Normalised is w in the forms compared (Email, Phone, Name, Compact); a phone with fewer
// than 6 digits or a name or address without letters or digits is dropped, as it would
// match by accident.
func (w Wanted) Normalised() Wanted {
	out := Wanted{Name: Name(w.Name), Email: Email(w.Email), Phone: Phone(w.Phone), Address: Compact(w.Address),
		Postcode: Compact(w.Postcode), DateOfBirth: strings.TrimSpace(w.DateOfBirth)}
	if len(out.Phone) < 6 {
		out.Phone = ""
	}
	if Compact(out.Name) == "" {
		out.Name = ""
	}
	for _, r := range w.References {
		if r = strings.ToUpper(strings.TrimSpace(r)); r != "" && !slices.Contains(out.References, r) {
			out.References = append(out.References, r)
		}
	}
	return out
}

// Empty reports whether w, normalised, has nothing to look for.
func (w Wanted) Empty() bool {
	return w.Name == "" && w.Email == "" && w.Phone == "" && w.Address == "" && w.Postcode == "" && w.DateOfBirth == "" &&
		len(w.References) == 0
}

// Person is what a record holds about one person, as stored.
type Person struct {
	Names       []string
	Email       string
	Phone       string
	Address     string
	DateOfBirth string
	References  []string // the record's references a person may quote
}

// Matched lists the identifiers of w (normalised) that p holds, in the protocol's words and
// order: name, email, phone, address, postcode, date_of_birth, reference. A postcode matches
// when the address contains it.
func (w Wanted) Matched(p Person) []string {
	matched := []string{}
	if w.Name != "" && slices.ContainsFunc(p.Names, func(n string) bool { return Name(n) == w.Name }) {
		matched = append(matched, "name")
	}
	if w.Email != "" && Email(p.Email) == w.Email {
		matched = append(matched, "email")
	}
	if w.Phone != "" && Phone(p.Phone) == w.Phone {
		matched = append(matched, "phone")
	}
	address := Compact(p.Address)
	if w.Address != "" && address == w.Address {
		matched = append(matched, "address")
	}
	if w.Postcode != "" && strings.Contains(address, w.Postcode) {
		matched = append(matched, "postcode")
	}
	if w.DateOfBirth != "" && strings.TrimSpace(p.DateOfBirth) == w.DateOfBirth {
		matched = append(matched, "date_of_birth")
	}
	if slices.ContainsFunc(p.References, func(r string) bool { return slices.Contains(w.References, strings.ToUpper(strings.TrimSpace(r))) }) {
		matched = append(matched, "reference")
	}
	return matched
}

// MaxCandidates bounds one search: a DPO confirms candidates by hand.
const MaxCandidates = 200

// Search normalises w and asks find for at most MaxCandidates records it may be about;
// nothing when w looks for nothing. find gets w normalised, and Search returns it for
// Matched.
func Search(ctx context.Context, w Wanted, find func(ctx context.Context, w Wanted, limit int) ([]string, error)) (Wanted, []string, error) {
	w = w.Normalised()
	if w.Empty() {
		return w, nil, nil
	}
	found, err := find(ctx, w, MaxCandidates)
	return w, found, err
}

// IsCandidate reports whether matched makes a record a candidate for the DPO to confirm: a
// postcode or a date of birth alone is shared by too many people to.
func IsCandidate(matched []string) bool {
	return slices.ContainsFunc(matched, func(m string) bool { return m != "postcode" && m != "date_of_birth" })
}

// Email is an e-mail address as compared: trimmed, lower case.
func Email(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// A name or an address may reach a service in either Unicode form of an accented letter:
// "Zoë" as one code point (NFC, most keyboards) or as "e" and a combining diaeresis (NFD,
// some devices and imports). Both are compared in one compatibility form, so either finds
// the other; the compatibility forms also read a no-break space as a space and a full-width
// digit as a digit. PostgreSQL's normalize() gives the same forms in SQL.

// Phone is a phone number as compared: its digits, a leading 44 (from +44) read as 0.
func Phone(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if strings.HasPrefix(d, "44") {
		d = "0" + d[2:]
	}
	return d
}

// Name is a name as compared: composed (NFKC), lower case, words separated by one space.
func Name(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFKC.String(s)), " "))
}

// Compact is an address or postcode as compared: decomposed (NFKD), then its letters a-z and
// digits only, lower case, so "1 High St., ME14 1AA" and "1 high st me141aa" are one
// address, and "Rue Élise" reads "rueelise" in either form of the É.
func Compact(s string) string {
	return strings.Map(func(r rune) rune {
		r = unicode.ToLower(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, norm.NFKD.String(s))
}

// The same forms in SQL, over a column or expression, for the first filter in the database
// (Matched then decides). Each is IMMUTABLE, so an expression index can serve it.

// PersonFilterSQL is the first filter of a search over one person's stored details, for a
// WHERE clause: name, e-mail, phone and address columns compared with the query's $1 to $4
// (a Wanted's Name, Email, Phone and Address, normalised; an empty one is not searched).
func PersonFilterSQL(name, email, phone, address string) string {
	return PersonMatchSQL(NameSQL(name)+" = $1", email, phone, address)
}

// PersonMatchSQL is PersonFilterSQL with the name compared by nameMatch, a condition on $1:
// for a record that holds several names (e.g. an array its service's index normalises).
func PersonMatchSQL(nameMatch, email, phone, address string) string {
	return `(($1 <> '' AND ` + nameMatch + `)
   OR ($2 <> '' AND ` + EmailSQL(email) + ` = $2)
   OR ($3 <> '' AND ` + PhoneSQL(phone) + ` = $3)
   OR ($4 <> '' AND ` + CompactSQL(address) + ` = $4))`
}

// EmailSQL is Email in SQL.
func EmailSQL(col string) string { return "lower(btrim(" + col + "))" }

// PhoneSQL is Phone in SQL.
func PhoneSQL(col string) string {
	return "regexp_replace(regexp_replace(" + col + ", '[^0-9]', '', 'g'), '^44', '0')"
}

// NameSQL is Name in SQL: composed, runs of white space folded into one space, then trimmed
// (btrim trims spaces only, so it comes second). Each service's name index spells it exactly.
func NameSQL(col string) string {
	return "lower(btrim(regexp_replace(normalize(" + col + ", NFKC), '\\s+', ' ', 'g')))"
}

// CompactSQL is Compact in SQL. Each service's address index spells it exactly.
func CompactSQL(col string) string {
	return "regexp_replace(lower(normalize(" + col + ", NFKD)), '[^a-z0-9]', '', 'g')"
}
