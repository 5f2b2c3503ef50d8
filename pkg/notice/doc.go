// Package notice loads a service's privacy notice written as YAML and answers
// the questions a service must ask before personal data moves: may this
// recipient receive this case for this purpose, which categories of data, on
// what condition, and for how long is each record kept.
//
// Nothing about any particular council or service is written in Go: every
// recipient, category, purpose, period and word of explanation comes from the
// notice file. The Go code holds only the fixed vocabularies the law supplies
// (lawful bases, sharing conditions, data subject rights, retention triggers).
//
// # Loading
//
// Load and LoadFile decode strictly (an unknown or misspelt key is an error),
// check every cross reference and return a *ValidationError naming the key
// path and line of each problem, so a malformed notice stops a service at
// start-up rather than at its first disclosure.
//
// # Deciding
//
// Decide evaluates the recipient's grants in this order, and the first failure
// is the refusal reason:
//
//  1. the recipient must be named in the notice;
//  2. the purpose must be a notice purpose and one the recipient is named for;
//  3. a grant for that purpose must cover the case type and the scope (stage);
//  4. the grant's condition must hold. Case-specific conditions (consent,
//     explicit_consent, complainant_request, crime_prevention, vital_interests,
//     recorded_necessity) hold only when recorded on the case for this
//     recipient. Standing conditions (contract, legal_obligation, public_task)
//     are established by the notice itself, unless the grant sets
//     record_required.
//
// Categories are then released one by one. A category the satisfied grants do
// not list is withheld. A special category or criminal offence category is
// released only when the grant's special_condition is recorded as well;
// otherwise it is withheld and the remaining categories still go
// (Allowed=true, the special ones in Withheld, and the Reason says why).
// When nothing at all may go, Allowed is false.
package notice
